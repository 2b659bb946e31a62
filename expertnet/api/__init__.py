"""The JSON API, `/api/v1/` (issue 16): another door into the same rooms as the pages.

`bp` holds the operations (documented in the OpenAPI document flask-smorest builds from the marshmallow
schemas, at `/api/v1/openapi.json`); `pages` holds the readable reference page. `conventions` says how every
operation authenticates, answers errors, paginates, versions and de-duplicates.
"""
from flask import Blueprint, Flask
from werkzeug.exceptions import HTTPException

from expertnet.api.conventions import (API_PREFIX, ApiBlueprint, ExpertnetApi, authenticate, handle_http_error,
                                      load_token_user, without_cookies)
from expertnet.extensions import csrf, login_manager

PREFIX = API_PREFIX
bp = ApiBlueprint("api", __name__, url_prefix=PREFIX,
                  description="Requests and their conversation, invitations, engagements, the coordinators' "
                              "suggestions and invitations, notifications and webhooks, the caller and the "
                              "taxonomy, with a personal API token.")
pages = Blueprint("api_pages", __name__, url_prefix=PREFIX, template_folder="templates")
bp.before_request(authenticate)
bp.register_error_handler(HTTPException, handle_http_error)


def init_app(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "expertnet API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = ExpertnetApi(app, spec_kwargs={"components": {"securitySchemes": {
        "token": {"type": "http", "scheme": "bearer", "description": "A personal API token (settings page)."}}},
        "security": [{"token": []}]})
    api.register_blueprint(bp)
    csrf.exempt(bp)
    login_manager.request_loader(load_token_user)
    app.wsgi_app = without_cookies(app.wsgi_app)  # type: ignore[method-assign]
    app.register_blueprint(pages)


from expertnet.api import admin_views, attachment_views, desk_views, engagement_views, expert_views, invitation_views, message_views, notification_views, views, webhook_views  # noqa: E402,F401 - routes join bp and pages
