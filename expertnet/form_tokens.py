"""One-time form tokens: a create-form is acted on once, however often the browser sends it (issue 13, bug 1).

The token lives in the form page's address (`?once=…`): a form page opened without one is redirected to the same
address with a fresh one, so every "New …" link starts a new form while the Back button, which reloads our
never-cached pages, finds the same token again (and the text the browser kept in the fields). The form posts
back to that address. Its first successful use is stored (`FormToken`, unique on purpose and token) in the
transaction that creates the thing; a repeat is refused with `AlreadySubmitted` before anything is checked,
and a twin sent at the same moment waits on the unique index until the first commits, then is refused too
(or goes ahead if the first rolled back). The refusal page links to what the first use created.

To use it on another create-form: a GET without `form_token()` redirects to `fresh_url()`; `refuse_repeat(PURPOSE, token)` on POST,
`claim(actor, PURPOSE, token)` just before the service call, `claimed.target_id = created.id` after it, and
`@action(refused=refused_as_repeat(PURPOSE, open_url))`.
"""
import re
import secrets
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from expertnet.actions import Refusal, flash_refusal
from expertnet.db import DefaultNow, IntPK, owned_by
from expertnet.extensions import db
from expertnet.service_errors import Conflict, ServiceError

QUERY_ARG = "once"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
OpenUrl = Callable[["FormToken"], tuple[str, str] | None]


class FormToken(db.Model):
    """A form token's first successful use: who sent it, and the id of what it created."""

    __tablename__ = "form_token"
    __table_args__ = (sa.UniqueConstraint("purpose", "token"),)

    id: Mapped[IntPK]
    purpose: Mapped[str] = mapped_column(sa.String(40))
    token: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int | None] = owned_by("user_account.id", index=True)
    target_id: Mapped[int | None]
    created_at: Mapped[DefaultNow]


class AlreadySubmitted(Conflict):
    """The form was sent before with this token: nothing is done again."""

    messages = {"already_submitted": _l("This form has already been sent; it was not sent a second time.")}


def form_token() -> str | None:
    """The token in this page's address, if it is one we could have issued."""
    token = request.args.get(QUERY_ARG, "")
    return token if TOKEN_PATTERN.fullmatch(token) else None


def fresh_url() -> str:
    """This page's address with a new token."""
    return url_for(request.endpoint or "", **(request.view_args or {}), **{QUERY_ARG: secrets.token_urlsafe(24)})


def used(purpose: str, token: str | None) -> FormToken | None:
    if token is None:
        return None
    return db.session.scalar(sa.select(FormToken).where(FormToken.purpose == purpose, FormToken.token == token))


def refuse_repeat(purpose: str, token: str | None) -> None:
    if used(purpose, token) is not None:
        raise AlreadySubmitted("already_submitted")


def claim(actor, purpose: str, token: str) -> FormToken:
    """Record the token's use in the caller's transaction; a use committed meanwhile is `AlreadySubmitted`."""
    claimed = FormToken(purpose=purpose, token=token, user_id=getattr(actor, "id", None))
    db.session.add(claimed)
    try:
        db.session.flush()  # no savepoint: the refusal rolls the whole transaction back (the action seam)
    except IntegrityError as twin:
        raise AlreadySubmitted("already_submitted") from twin
    return claimed


def first_use(purpose: str, token: str | None, open_url: OpenUrl) -> tuple[bool, tuple[str, str] | None]:
    """Whether the token was used already, and what its use created (`open_url(claimed)`: address and name,
    or None), shown only to the user who sent it."""
    claimed = used(purpose, token)
    if claimed is None:
        return False, None
    mine = claimed.user_id is not None and claimed.user_id == getattr(current_user, "id", None)
    return True, (open_url(claimed) if mine and claimed.target_id is not None else None)


def refused_as_repeat(purpose: str, open_url: OpenUrl) -> Refusal:
    """The refusal page of a create-form: a repeat gets the "already sent" page linking to what the first use
    created, as a page that answers the sending (200: nothing failed, the browser shows no error); any other
    refusal the default page."""
    def refused(error: ServiceError, **_view_args: Any) -> ResponseReturnValue:
        if not isinstance(error, AlreadySubmitted):
            return flash_refusal(error)
        _sent, target = first_use(purpose, form_token(), open_url)
        return render_template("already_submitted.html", target=target,
                               new_url=url_for(request.endpoint or "", **(request.view_args or {})))
    return refused
