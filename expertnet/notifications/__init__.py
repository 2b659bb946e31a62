"""Outgoing e-mail and in-app notifications: the send_mail and notify seams, an outbox table, delivery by the
job engine; each user's notification list and the admin outbox page."""
from flask import Blueprint

bp = Blueprint("notifications", __name__, template_folder="templates")

from expertnet.notifications import views  # noqa: E402,F401 - routes join bp
