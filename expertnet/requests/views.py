"""Request pages (filled in below)."""
from flask import Blueprint

from expertnet.requests.labels import TEMPLATE_GLOBALS

bp = Blueprint("requests", __name__, template_folder="templates", url_prefix="/requests")
for _name, _function in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)
