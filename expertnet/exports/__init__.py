"""A member agency's copy of its own data: its requests as the agency sees them, and its users."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/organisation/export", template_folder="templates")

from expertnet.exports import views  # noqa: E402,F401 - routes join bp
