"""Error pages: HTML for pages, problem+json for /api. Bad input is a 4xx, never a 500."""
from flask import jsonify, render_template, request
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import Conflict, HTTPException

from expertnet.extensions import db


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    db.session.rollback()
    if _wants_json():
        response = jsonify(type="about:blank", title=error.name, status=error.code, detail=error.description)
        response.status_code = error.code
        response.content_type = "application/problem+json"
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    response = render_template("errors/error.html", error=error), error.code
    return response


def handle_unexpected_error(error: Exception):
    db.session.rollback()
    if _wants_json():
        response = jsonify(type="about:blank", title="Internal Server Error", status=500)
        response.status_code = 500
        response.content_type = "application/problem+json"
        return response
    return render_template("errors/error.html", error=None), 500


def handle_write_conflict(error: Exception):
    """Two users wrote the same thing at once (a unique key taken meanwhile, SQLite's writer lock):
    the slower action is refused whole, like any other 409, and can simply be tried again."""
    db.session.rollback()
    if isinstance(error, OperationalError) and "locked" not in str(error.orig):
        raise error
    return handle_http_error(Conflict())


def register_error_handlers(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(IntegrityError, handle_write_conflict)
    app.register_error_handler(OperationalError, handle_write_conflict)
    if not app.testing:
        # In tests an unexpected exception must fail loudly instead of becoming a friendly page.
        app.register_error_handler(Exception, handle_unexpected_error)
