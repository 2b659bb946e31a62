"""Events of the network (issue 18): webinars, workshops and meetings with an agenda, registration with a
capacity and a waiting list, reminders by mail, attendance, materials afterwards and calendar export."""
from flask import Blueprint

bp = Blueprint("events", __name__, template_folder="templates")

from expertnet.events import views  # noqa: E402,F401 - routes join bp
