"""The coordinators' desk: triage queue, suggestions, invitations and engagements, SLAs, dashboard, exports."""

from flask import Blueprint

from expertnet.coordination.labels import TEMPLATE_GLOBALS

bp = Blueprint("coordination", __name__, template_folder="templates", url_prefix="/coordination")
for _name, _function in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)

from expertnet.coordination import (  # noqa: E402,F401 - routes join bp
    commands, directory_views, engagement_views, report_views, substance_views, views)
