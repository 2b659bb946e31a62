"""Outgoing e-mail: one send_mail seam, an outbox table, delivery by the job engine; the admin outbox page."""
from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/admin/outbox", template_folder="templates")

from expertnet.notifications import views  # noqa: E402,F401 - routes join bp
