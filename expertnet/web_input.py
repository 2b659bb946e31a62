"""Hostile input refused at the edge, once for every route: ids no database column can hold, page numbers
beyond any offset, control characters in submitted text and redirect targets that leave the site.

Each of these used to reach the database or a response header and come back as a 500; here it is a 404,
a 400 or the safe fallback, before any view runs.
"""
import enum
import re
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from werkzeug.routing import IntegerConverter

from expertnet.extensions import db

# Ids are `Integer` columns: 32-bit on PostgreSQL, and the bound below also keeps offsets in range.
DATABASE_INT_MAX = 2**31 - 1
# C0 control characters except tab, LF and CR (multi-line text keeps its line breaks). PostgreSQL refuses
# NUL in text outright; the others have no business in any field and confuse logs, headers and mail.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# In a redirect target no control character at all: a line break cannot go in a header, and browsers drop
# tabs and line breaks from URLs, so "/<TAB>/host" would become "//host".
ANY_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


class RowId(fields.Integer):
    """A row's id in submitted data (JSON or a form's schema): a whole number the id column can hold. A larger one
    is refused with the field's message (422), never sent to the database (PostgreSQL's integer overflow)."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=validate.Range(min=1, max=DATABASE_INT_MAX), **kwargs)


class BoundedIntegerConverter(IntegerConverter):
    """Flask's `int` converter, but a number beyond the database's integer range matches no route:
    such an id cannot exist, so the answer is the 404 of any unknown id, not a database overflow."""

    def __init__(self, map, fixed_digits=0, min=None, max=DATABASE_INT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _json_strings(value):
    """Every key and string value of a decoded JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _submitted_text():
    yield request.path
    for multidict in (request.args, request.form):
        for key, value in multidict.items(multi=True):
            yield key
            yield value
    if request.is_json:
        yield from _json_strings(request.get_json(silent=True))


def limit_text_body_size():
    """A url-encoded or JSON body is read whole into memory (only multipart text parts are held to
    MAX_FORM_MEMORY_SIZE by Werkzeug), so hold the whole body to that size: a 25 MB "e-mail" is a 413
    before anything parses it. Uploads (multipart) keep MAX_CONTENT_LENGTH."""
    if request.mimetype != "multipart/form-data":
        request.max_content_length = current_app.config["MAX_FORM_MEMORY_SIZE"]


def refuse_control_characters():
    """before_request: a control character anywhere in the path, query string, form or JSON body is a 400."""
    if any(CONTROL_CHARACTERS.search(text) for text in _submitted_text()):
        abort(400, description=_l("The request contains control characters that are not allowed in text."))


def safe_next(target: str | None, fallback: str = "home.index") -> str:
    """A same-site relative path to go back to, or the fallback page: never another host (`//host`,
    `/\\host`, which browsers read as `//host`) and no control character."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\"))
            and not ANY_CONTROL_CHARACTER.search(target) and not urlsplit(target).netloc):
        return target
    return url_for(fallback)


Choice = TypeVar("Choice", bound=enum.Enum)


def choice_or_400(choices: type[Choice], value) -> Choice:
    """A posted choice as its enum member; a value no form offers is a forged post (400), not a 500."""
    try:
        return choices(value)
    except ValueError:
        abort(400)


def bounded_page(per_page: int) -> int:
    """`?page=` as given (Flask-SQLAlchemy refuses with 404, or clamps, a page below 1), but never so large
    that its offset overflows the database: such a page is simply beyond the last one."""
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        return 0  # not a number: treated as any page below 1
    return min(page, DATABASE_INT_MAX // per_page)


def paginate(query, per_page: int, error_out: bool = True):
    """`db.paginate` with a page number the database can take."""
    return db.paginate(query, page=bounded_page(per_page), per_page=per_page, error_out=error_out)


def register_input_checks(app) -> None:
    app.url_map.converters["int"] = BoundedIntegerConverter
    # Registered before the extensions' own hooks (CSRF, rate limits), which already read the form.
    app.before_request(limit_text_body_size)
    app.before_request(refuse_control_characters)
