"""Invitations of experts to requests and the engagements that follow acceptance."""

from flask import Blueprint

from expertnet.engagements.labels import TEMPLATE_GLOBALS

bp = Blueprint("engagements", __name__, template_folder="templates")
for _name, _function in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)

from expertnet.engagements import views  # noqa: E402,F401 - routes join bp
