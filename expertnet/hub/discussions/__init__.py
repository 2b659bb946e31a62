"""Discussions of the Global Knowledge Hub (issue 17): threads on a taxonomy topic or a hub item, replies,
@mentions, following, in-app and e-mail notifications, and moderation (report; hide and restore with a reason).
A blueprint nested in the hub's (`hub.discussions.*`, under /hub/discussions)."""
from flask import Blueprint

bp = Blueprint("discussions", __name__, template_folder="templates", url_prefix="/discussions")

from expertnet.hub.discussions import views  # noqa: E402,F401 - routes join bp
