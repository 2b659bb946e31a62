"""The API's conventions, in one place every endpoint uses (issue 16):

- **Authentication**: `Authorization: Bearer <personal API token>` only. The API is cookieless: `without_cookies`
  drops the `Cookie` header of every API call before the app sees it, so neither the session nor the
  remember-me cookie can authorise one (which is why the blueprint is exempt from CSRF) and no answer sets a
  cookie. Flask-Login's documented `request_loader` (`load_token_user`) then finds the token's user, so
  `current_user` is the token's user in the API as it is the session's on pages; a page never accepts a
  token. Revoked, expired or unknown tokens are 401 with `WWW-Authenticate`; a read-only token on a write is
  403 (`insufficient_scope`).
- **Errors**: `application/problem+json` (RFC 9457) for every error under `/api/`: `title`, `status`,
  `detail`, the refusal's `code`, and `errors` (field -> messages) for input that does not validate.
  Refusals of services come through the action seam (`expertnet.actions`), like on pages.
- **Bodies**: JSON only (415 otherwise); their size and text are bounded by `expertnet.web_input` (413/400),
  ids by the bounded `<int:...>` converter (a number no column can hold is a 404).
- **Pagination**: `page` and `page_size` (at most 100); the answer carries `X-Total-Count` and a `Link`
  header (RFC 8288: first, prev, next, last).
- **Rate**: calls are counted per token (per address without one): past the limit, 429 with `Retry-After`
  (`expertnet.api.rate_limits`).
- **Timestamps**: ISO-8601 in UTC (`2026-12-07T01:13:35+00:00`).
- **ETag / If-Match**: reads carry an `ETag`; updates require `If-Match` (428 without, 412 when stale).
- **Idempotency-Key** on creates: the same key with the same body replays the first answer (no second row);
  with another body it is refused (422 `idempotency_key_reused`).
"""
import hashlib
import http
import json
import re
import threading
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Response, abort, current_app, g, make_response, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Api, Blueprint, Page
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, TooManyRequests, UnsupportedMediaType

from expertnet.accounts import api_tokens
from expertnet.accounts.models import Role
from expertnet.actions import action
from expertnet.api import rate_limits
from expertnet.api.models import IdempotentCreate
from expertnet.api.schemas import ProblemSchema
from expertnet.errors import problem_response
from expertnet.extensions import database_unreachable, db
from expertnet.service_errors import Conflict, ServiceError
from expertnet.web_input import DATABASE_INT_MAX

PROBLEM_JSON = "application/problem+json"
MULTIPART = "multipart/form-data"
# The endpoints that take a file (`accepts_files`): their body is multipart/form-data, every other body JSON.
FILE_ENDPOINTS: set[str] = set()
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
REALM = 'Bearer realm="expertnet"'
API_PREFIX = "/api/v1"
# Every operation may answer these; each is documented on every operation so clients (and schemathesis) know.
COMMON_ERRORS = (400, 401, 403, 404, 405, 413, 415, 422, 429)
ERROR_MESSAGES = {
    401: _l("Send a valid personal API token as 'Authorization: Bearer …'."),
    403: _l("This token or its user may not do this."),
    415: _l("Send the body as application/json (a file as multipart/form-data)."),
    429: _l("Too many calls: wait the seconds Retry-After says, then try again."),
}


class ApiRefusal(ServiceError):
    """A refusal of the API's own conventions (not of a feature's rules)."""

    messages = {
        "idempotency_key_reused": _l("This Idempotency-Key was used before with a different body."),
        "idempotency_key_invalid": _l("An Idempotency-Key is 1 to 100 letters, digits or . _ : -."),
    }


class IdempotencyConflict(Conflict):
    messages = {"idempotency_in_progress": _l("A request with this Idempotency-Key is being processed.")}


class ExpertnetApi(Api):
    """flask-smorest's Api, answering errors with the site's problem+json (not its own error format), and
    writing the operations into the OpenAPI document when the document is first read rather than when the app
    is made: writing them deep-copies every operation's schemas, about a third of a second that every worker
    start and every test's app paid for a document few callers open."""

    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation documents its problem+json answers instead
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args, **kwargs):
        self._documentation_due: list[Callable[[], None]] = []
        self._documentation_lock = threading.Lock()
        self._registering = False
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def spec(self):
        if not self._registering and self._documentation_due:
            with self._documentation_lock:
                while self._documentation_due:
                    self._documentation_due.pop(0)()
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def document_later(self, write: Callable[[], None]) -> None:
        self._documentation_due.append(write)

    def register_blueprint(self, blp, *, parameters=None, **options):
        self._registering = True  # the registration itself touches the document; it must not write it yet
        try:
            super().register_blueprint(blp, parameters=parameters, **options)
        finally:
            self._registering = False

    def _register_error_handlers(self):
        """The app's HTTPException handler (expertnet.errors) stays in charge; the blueprint adds its own."""

    def _register_responses(self):
        """The status responses flask-smorest's decorators refer to (412 and 428 of `etag`, 422 of `arguments`)
        documented as what they are: problems, as `application/problem+json`."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)


def _string_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _string_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_string_keys(item) for item in value]
    return value


def field_errors(error: HTTPException) -> dict | None:
    """webargs' messages ({location: {field: [...]}}) as one {field: [...]} map, as RFC 9457 extension."""
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if not isinstance(messages, dict):
        return None
    merged: dict = {}
    for location, fields in messages.items():
        merged.update(fields if isinstance(fields, dict) else {location: fields})
    return _string_keys(merged)


def problem(status: int, title: str, detail: str | None = None, *, headers: dict | None = None,
            **extra: Any) -> Response:
    response = problem_response(title, status, detail, **extra)
    response.headers.update(headers or {})
    return response


def handle_http_error(error: HTTPException) -> Response:
    """Every HTTP error of an API view: problem+json, keeping the error's own headers (Allow, WWW-Authenticate,
    Retry-After) and webargs' field messages."""
    db.session.rollback()
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update((getattr(error, "data", None) or {}).get("headers") or {})
    errors = field_errors(error)
    detail = str(ERROR_MESSAGES.get(error.code or 500, error.description))
    extra = {"errors": errors} if errors else {}
    return problem(error.code or 500, error.name, detail, headers=headers, **extra)


class Unauthenticated(HTTPException):
    code = 401
    description = "Unauthorized"

    def __init__(self, reason: str = "invalid_token"):
        super().__init__()
        self.reason = reason

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        challenge = REALM if self.reason == "missing" else f'{REALM}, error="{self.reason}"'
        return [("WWW-Authenticate", challenge)]

    @property
    def name(self) -> str:  # type: ignore[override]
        return "Unauthorized"


class InsufficientScope(HTTPException):
    code = 403
    description = "Forbidden"

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [("WWW-Authenticate", f'{REALM}, error="insufficient_scope", scope="write"')]


def is_api_call(path: str) -> bool:
    """An operation of the API (its readable reference, `/docs`, is a page of the site and keeps cookies)."""
    return path.startswith(API_PREFIX + "/") and path != API_PREFIX + "/docs"


def without_cookies(wsgi_app: Callable) -> Callable:
    """WSGI middleware: an API call reaches the app without its `Cookie` header."""
    def app(environ: dict, start_response: Callable) -> Any:
        if is_api_call(environ.get("PATH_INFO", "")):
            environ.pop("HTTP_COOKIE", None)
        return wsgi_app(environ, start_response)
    return app


def load_token_user(sent: Any) -> Any:
    """Flask-Login's request loader: the user of a live bearer token, on API calls only (else nobody). What was
    wrong with the token is kept for `authenticate`'s 401."""
    if not is_api_call(sent.path) or database_unreachable():
        return None
    scheme, _space, secret = sent.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        g.api_auth_error = "missing"
        return None
    token = api_tokens.find_token(secret.strip())
    if token is None or not token.is_live() or not token.user.is_active:
        g.api_auth_error = "invalid_token"
        return None
    g.api_token = token
    return token.user


def authenticate() -> None:
    """Before every API view: the call is within its rate, has a live token, and the scope and body type its
    method needs."""
    token = g.api_token if current_user.is_authenticated else None
    wait = rate_limits.count_call(token.id if token is not None else None)
    if token is not None:
        api_tokens.note_use(token)  # at most hourly
    db.session.commit()  # the count (and the use) kept whatever the call's outcome
    if wait:
        raise TooManyRequests(retry_after=wait)
    if token is None:
        raise Unauthenticated(g.get("api_auth_error", "missing"))
    if request.method not in SAFE_METHODS and not token.may_write:
        raise InsufficientScope()
    if request.method in BODY_METHODS and request.content_length and not (
            request.mimetype == MULTIPART if request.endpoint in FILE_ENDPOINTS else request.is_json):
        raise UnsupportedMediaType()


def caller():
    """The user of the token of this call."""
    return current_user._get_current_object()


def caller_in(*roles: Role):
    """The caller when their role is one of `roles` (the pages' `roles_required`); 403 otherwise."""
    user = caller()
    if user.role not in roles:
        abort(403)
    return user


def for_roles(*roles: Role) -> Callable:
    """Outermost on an operation: a caller of another role is a 403 before its body or query is read."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def run(*args: Any, **kwargs: Any) -> Any:
            caller_in(*roles)
            return view(*args, **kwargs)
        return run
    return decorate


class ApiParser(FlaskParser):
    """webargs' Flask parser with a `multipart` location: the form fields and files of a multipart body."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        return MultiDictProxy(CombinedMultiDict([req.files, req.form]), schema)


def accepts_files(blueprint: Blueprint) -> Callable:
    """On a `MethodView`: its writes take a multipart/form-data body (`location="multipart"`), not JSON."""
    def decorate(view_class: Any) -> Any:
        FILE_ENDPOINTS.add(f"{blueprint.name}.{view_class.__name__}")
        return view_class
    return decorate


class ApiBlueprint(Blueprint):
    """flask-smorest's Blueprint with the API's pagination headers (`X-Total-Count` and `Link`), whose operations
    join the OpenAPI document when it is first read (`ExpertnetApi`)."""

    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING, "multipart": MULTIPART}
    ARGUMENTS_PARSER = ApiParser()

    def register_views_in_doc(self, api, app, spec, *, name, parameters):
        write = super().register_views_in_doc
        api.document_later(lambda: write(api, app, spec, name=name, parameters=parameters))

    def _set_pagination_metadata(self, page_params, result, headers):
        headers = dict(headers or {})
        total, size = page_params.item_count, page_params.page_size
        last = max(1, -(-total // size))
        links = {"first": 1, "last": last}
        if page_params.page > 1:
            links["prev"] = min(page_params.page - 1, last)
        if page_params.page < last:
            links["next"] = page_params.page + 1
        args = request.args.to_dict()
        headers["X-Total-Count"] = str(total)
        headers["Link"] = ", ".join(
            f'<{request.base_url}?{urlencode({**args, "page": page, "page_size": size})}>; rel="{rel}"'
            for rel, page in links.items())
        return result, headers

    def _document_pagination_metadata(self, spec, resp_doc):
        resp_doc.setdefault("headers", {}).update({
            "X-Total-Count": {"description": "How many items all pages hold.", "schema": {"type": "integer"}},
            "Link": {"description": "RFC 8288 links to the first, previous, next and last pages.",
                     "schema": {"type": "string"}},
        })


class SelectPage(Page):
    """flask-smorest's pager over an SQLAlchemy select: one COUNT and one LIMIT/OFFSET query. A page past any
    offset a database takes is simply empty (no overflow)."""

    @property
    def items(self):
        params = self.page_params
        if params.first_item > DATABASE_INT_MAX:
            return []
        return list(db.session.scalars(self.collection.offset(params.first_item).limit(params.page_size)))

    @property
    def item_count(self):
        return db.session.scalar(sa.select(sa.func.count()).select_from(self.collection.order_by(None).subquery()))


def documented_errors(blueprint: Blueprint, *codes: int) -> Callable:
    """Document the problem+json answers an operation may give (the common ones and `codes`)."""
    def decorate(view: Callable) -> Callable:
        for code in sorted({*COMMON_ERRORS, *codes}):
            view = blueprint.alt_response(code, schema=ProblemSchema, content_type=PROBLEM_JSON,
                                          description=_PROBLEM_DESCRIPTION)(view)
        return view
    return decorate


_PROBLEM_DESCRIPTION = "A problem (RFC 9457)."


def operation(blueprint: Blueprint, rule: str, method: str, answer: Any = None, *, status: int = 200,
              body: Any = None, errors: tuple[int, ...] = ()) -> Callable:
    """A state-changing operation: its route, the action seam (one commit; service errors become problems),
    the body's schema, the answer's schema and the problems it may give, stacked in the order flask-smorest
    reads them."""
    def decorate(view: Callable) -> Callable:
        return blueprint.route(rule, methods=[method])(
            operation_method(blueprint, answer, status=status, body=body, errors=errors)(view))
    return decorate


def operation_method(blueprint: Blueprint, answer: Any = None, *, status: int = 200, body: Any = None,
                     errors: tuple[int, ...] = ()) -> Callable:
    """`operation` without the route: the state-changing method of a `MethodView` whose path also has a read
    (one rule for both methods, so an id no column can hold is a 404 for each, not a 405)."""
    def decorate(view: Callable) -> Callable:
        view = blueprint.response(status, answer)(documented_errors(blueprint, *errors)(view))
        if body is not None:
            view = blueprint.arguments(body)(view)
        return action(view)
    return decorate


def _fingerprint() -> str:
    body = request.get_json(silent=True)
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def idempotent_create(operation: str) -> Callable:
    """A create that honours `Idempotency-Key`: the first answer is stored with the body's fingerprint and
    replayed for a repeat with the same body; another body under the same key is refused."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def run(*args: Any, **kwargs: Any) -> Any:
            key = request.headers.get("Idempotency-Key")
            if key is None:
                return view(*args, **kwargs)
            if not IDEMPOTENCY_KEY.fullmatch(key):
                raise ApiRefusal("idempotency_key_invalid", http_status=400)
            user, fingerprint = caller(), _fingerprint()
            earlier = db.session.scalar(sa.select(IdempotentCreate).where(
                IdempotentCreate.user_id == user.id, IdempotentCreate.operation == operation,
                IdempotentCreate.key == key))
            if earlier is not None:
                return _replay(earlier, fingerprint)
            response = make_response(view(*args, **kwargs))
            if response.status_code < 300:
                db.session.add(IdempotentCreate(
                    user_id=user.id, operation=operation, key=key, fingerprint=fingerprint,
                    status_code=response.status_code, body=response.get_data(as_text=True),
                    location=response.headers.get("Location", "")))
                try:
                    db.session.flush()
                except IntegrityError as twin:  # the same key sent twice at once: the slower one waits, then this
                    raise IdempotencyConflict("idempotency_in_progress") from twin
            return response
        return run
    return decorate


def _replay(earlier: IdempotentCreate, fingerprint: str) -> Response:
    if earlier.fingerprint != fingerprint:
        raise ApiRefusal("idempotency_key_reused")
    response = current_app.response_class(earlier.body, status=earlier.status_code, mimetype="application/json")
    if earlier.location:
        response.headers["Location"] = earlier.location
    response.headers["Idempotent-Replayed"] = "true"
    return response

