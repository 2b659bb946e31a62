"""Administration: organisations, users and invitations, the taxonomy, the audit log, the mail outbox."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from expertnet.admin import outbox_views, views  # noqa: E402,F401 - routes join bp
