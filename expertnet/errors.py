"""Error pages: HTML for pages, problem+json for /api. Bad input is a 4xx, never a 500.

Every request carries an id (the `X-Request-ID` header) that is also in the log line of its failure, so a
user's report leads to the one line about it. A database that cannot be reached is a 503 with one short
log line per request; a genuine bug is a 500 with its full traceback logged.
"""
import logging
import re
import secrets

from flask import current_app, g, has_request_context, jsonify, render_template, request
from flask.logging import default_handler
from sqlalchemy.exc import DisconnectionError, IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import Conflict, HTTPException, ServiceUnavailable

from expertnet.extensions import db

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it is a short token: anything else could forge or flood log lines.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
RETRY_AFTER_SECONDS = 30
DATABASE_UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError)


def request_id() -> str:
    """This request's id: the incoming header when it is a safe token, else a new random one."""
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else secrets.token_hex(8)
    return g.request_id


class RequestIdFilter(logging.Filter):
    """Stamps a record with the request id ("-" outside a request) for the `%(request_id)s` of a log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() if has_request_context() else "-"
        return True


REQUEST_ID_FILTER = RequestIdFilter()
LOG_FORMAT = "[%(asctime)s] %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def log_request_ids(app) -> None:
    """The id in every log line. The filter on the app's logger stamps its own records for whatever handler
    a deployment configures; the one on Flask's default handler (added by Flask when logging is not
    configured otherwise) also stamps the records of the loggers below, `expertnet.*`."""
    app.logger.addFilter(REQUEST_ID_FILTER)
    default_handler.addFilter(REQUEST_ID_FILTER)
    default_handler.setFormatter(logging.Formatter(LOG_FORMAT))


def add_request_id_header(response):
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _rollback() -> None:
    """Undo the failed transaction; when the database is gone even that may fail, and must not hide the answer."""
    try:
        db.session.rollback()
    except DATABASE_UNREACHABLE:
        db.session.close()


def problem_response(title: str, status: int, detail: str | None = None, **extensions):
    """An RFC 9457 problem; `extensions` are further members (a refusal's `code`, field `errors`)."""
    response = jsonify(type="about:blank", title=title, status=status, detail=detail, **extensions)
    response.status_code = status
    response.content_type = "application/problem+json"
    return response


def handle_http_error(error: HTTPException):
    original = getattr(error, "original_exception", None)
    if isinstance(original, DATABASE_UNREACHABLE):  # raised outside a view, e.g. in an after_request hook
        return handle_database_error(original)
    if error.code >= 500:  # Flask has logged the traceback of an `original` already, without the id
        current_app.logger.error("%s %s answered %s", request.method, request.path, error.code)
    _rollback()
    if _wants_json():
        response = problem_response(error.name, error.code, error.description)
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    return render_template("errors/error.html", error=error), error.code


def _log_bug(error: BaseException) -> None:
    current_app.logger.error("%s %s failed", request.method, request.path,
                             exc_info=(type(error), error, error.__traceback__))


def handle_unexpected_error(error: Exception):
    _log_bug(error)
    _rollback()
    if _wants_json():
        return problem_response("Internal Server Error", 500)
    return render_template("errors/error.html", error=None), 500


def handle_write_conflict(error: Exception):
    """Two users wrote the same thing at once (a unique key taken meanwhile, SQLite's writer lock):
    the slower action is refused whole, like any other 409, and can simply be tried again."""
    _rollback()
    return handle_http_error(Conflict())


def _is_locked(error: Exception) -> bool:
    return isinstance(error, OperationalError) and "locked" in str(error.orig)


def handle_database_error(error: Exception):
    """SQLite's writer lock is a conflict (409); any other operational failure means the database cannot
    be reached: 503 with a retry hint and one line in the log, not a traceback per request."""
    if _is_locked(error):
        return handle_write_conflict(error)
    cause = getattr(error, "orig", None) or error
    summary = str(cause).strip().splitlines()[0][:200] if str(cause).strip() else ""
    current_app.logger.error("database unavailable on %s %s: %s: %s", request.method, request.path,
                             type(cause).__name__, summary)
    _rollback()
    g.database_unreachable = True  # the user loaders answer "nobody": the page is drawn as for a visitor
    unavailable = ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS)
    if _wants_json():
        response = problem_response(unavailable.name, 503, unavailable.description)
    else:
        response = current_app.make_response((render_template("errors/error.html", error=unavailable), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register_error_handlers(app) -> None:
    log_request_ids(app)
    app.after_request(add_request_id_header)
    app.jinja_env.globals["request_id"] = request_id  # quoted on error pages, to find the log line
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(IntegrityError, handle_write_conflict)
    for database_error in DATABASE_UNREACHABLE:
        app.register_error_handler(database_error, handle_database_error)
    if not app.testing:
        # In tests an unexpected exception must fail loudly instead of becoming a friendly page.
        app.register_error_handler(Exception, handle_unexpected_error)
