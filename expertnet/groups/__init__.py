"""Regional networks and working groups (issue 18): groups of organisations and people with their coordinators,
a group's page (its members, its hub shelf, its own discussion space and, for coordinators, its requests,
engagements and open gaps), and the group as a scope of need-to-know (a regional coordinator sees only the requests of their regions)."""
from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups", template_folder="templates")

from expertnet.groups import views  # noqa: E402,F401 - routes join bp
