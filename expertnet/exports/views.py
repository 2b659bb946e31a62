"""The member's export page and download."""
import json

from flask import Response, abort, make_response, render_template
from flask_login import current_user

from expertnet.accounts.models import Role
from expertnet.accounts.policy import roles_required
from expertnet.actions import action
from expertnet.exports import bp
from expertnet.exports.services import export_organisation

members_only = roles_required(Role.MEMBER)


def _member_with_organisation():
    member = current_user._get_current_object()
    if member.organisation is None:
        abort(404)
    return member


@bp.get("")
@members_only
def organisation_export_page():
    member = _member_with_organisation()
    response = make_response(render_template("exports/organisation.html", organisation=member.organisation))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("")
@members_only
@action  # the export's audit row
def organisation_export_download():
    member = _member_with_organisation()
    document = export_organisation(member)
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="expertnet-organisation-export.json"',
                             "Cache-Control": "no-store"})
