"""The role-aware home page."""

from flask import Blueprint

bp = Blueprint("home", __name__, template_folder="templates")

from expertnet.home import views  # noqa: E402,F401 - routes join bp
