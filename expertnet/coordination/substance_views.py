"""Tagging a request or an expert with substances of the chemicals register (coordinators and admins). A
request's page offers the substances its text names, ticked, until it is tagged."""
from flask import url_for
from flask_babel import gettext as _

from expertnet.accounts.policy import STAFF, roles_required
from expertnet.actions import action
from expertnet.chemicals import services as chemicals
from expertnet.chemicals.tagging import tag_page
from expertnet.coordination import bp
from expertnet.coordination.pages import actor
from expertnet.coordination.substances import suggested_ids
from expertnet.experts.access import profile_or_404
from expertnet.requests.access import get_visible_request_or_404


@bp.route("/requests/<int:request_id>/substances", methods=["GET", "POST"])
@roles_required(*STAFF)
@action
def request_substances(request_id: int):
    assistance_request = get_visible_request_or_404(actor(), request_id)
    back = url_for("coordination.request_desk", request_id=request_id)
    return tag_page(assistance_request, chemicals.request_substances(request_id), suggested_ids(assistance_request),
                    chemicals.tag_request, back,
                    _("Substances of request %(reference)s", reference=assistance_request.reference), back)


@bp.route("/experts/<int:expert_id>/substances", methods=["GET", "POST"])
@roles_required(*STAFF)
@action
def expert_substances(expert_id: int):
    profile = profile_or_404(expert_id)
    back = url_for("coordination.expert_profile", expert_id=expert_id)
    return tag_page(profile, chemicals.expert_substances(expert_id), set(), chemicals.tag_expert, back,
                    _("Substances of %(name)s", name=profile.user.full_name), back)
