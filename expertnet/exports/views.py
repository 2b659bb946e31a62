"""The member's export page and download."""
import json

from flask import abort, render_template
from flask_login import current_user

from expertnet.accounts.models import Role
from expertnet.accounts.policy import roles_required
from expertnet.actions import action
from expertnet.exports import bp
from expertnet.exports.services import export_organisation
from expertnet.http_security import download

members_only = roles_required(Role.MEMBER)


def _member_with_organisation():
    member = current_user._get_current_object()
    if member.organisation is None:
        abort(404)
    return member


@bp.get("")
@members_only
def organisation_export_page():
    return render_template("exports/organisation.html", organisation=_member_with_organisation().organisation)


@bp.post("")
@members_only
@action  # the export's audit row
def organisation_export_download():
    member = _member_with_organisation()
    document = export_organisation(member)
    return download(json.dumps(document, ensure_ascii=False, indent=2), "application/json",
                    "expertnet-organisation-export.json")
