"""Experts: vetted practitioners' profiles, applications and vetting."""

from flask import Blueprint

bp = Blueprint("experts", __name__, template_folder="templates")

from expertnet.experts import profile_views, views  # noqa: E402,F401 - routes join bp
