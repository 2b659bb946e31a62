"""Accounts: organisations, users, roles, onboarding and sign-in."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from expertnet.accounts import service_account_views, views  # noqa: E402,F401 - routes join bp
