"""Technical-assistance requests filed by member agencies."""

from flask import Blueprint

from expertnet.requests.labels import TEMPLATE_GLOBALS

bp = Blueprint("requests", __name__, template_folder="templates", url_prefix="/requests")
for _name, _function in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)

from expertnet.requests import views  # noqa: E402,F401 - routes join bp
