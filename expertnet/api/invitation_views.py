"""`/api/v1/invitations`: an expert's invitations (issue 16, item 3), the twin of the expert's invitation pages:
the same scoped query (another expert's invitation is a 404), the same need-to-know read (the request's summary
until accepted under the current terms, then the full request, audited as a sensitive read) and the same
services, whose moves go through `statemachine.transition`."""

from expertnet.accounts.models import Role
from expertnet.actions import action
from expertnet.api import bp
from expertnet.api.conventions import SelectPage, caller, caller_in, documented_errors, operation
from expertnet.api.schemas import DeclineIn, InvitationListOut, InvitationReadOut, TermsIn
from expertnet.engagements import access, services
from expertnet.engagements.models import Invitation, InvitationStatus
from expertnet.engagements.reading import request_view
from expertnet.engagements.schemas import EngagementOut, InvitationOut

INVITATION = "/invitations/<int:invitation_id>"


def _own(invitation_id: int) -> Invitation:
    return access.get_own_invitation_or_404(caller_in(Role.EXPERT), invitation_id)


def _read(invitation: Invitation) -> dict:
    data, full = request_view(caller(), invitation)
    return {**{name: getattr(invitation, name) for name in InvitationOut().fields},
            "terms_current": services.terms_current(invitation), "full": full, "request": data}


@bp.route("/invitations", methods=["GET"])
@bp.response(200, InvitationListOut(many=True))
@bp.paginate(SelectPage)
@documented_errors(bp)
def list_invitations():
    """The caller's invitations (experts only): pending ones first, then the newest."""
    return access.own_invitations(caller_in(Role.EXPERT)).order_by(
        (Invitation.status == InvitationStatus.PENDING).desc(), Invitation.created_at.desc(), Invitation.id.desc())


@bp.route(INVITATION, methods=["GET"])
@action  # the sensitive-read audit row of a full read, as on the page
@bp.response(200, InvitationReadOut)
@documented_errors(bp)
def get_invitation(invitation_id: int):
    """One invitation with the request as the expert may see it now."""
    return _read(_own(invitation_id))


@operation(bp, f"{INVITATION}/terms", "POST", InvitationReadOut, body=TermsIn, errors=(409,))
def accept_terms(data, invitation_id: int):
    """Accept the confidentiality terms of this version (422 when they are not the current ones)."""
    invitation = _own(invitation_id)
    services.accept_terms(caller(), invitation, data["terms_version"])
    return _read(invitation)


@operation(bp, f"{INVITATION}/accept", "POST", EngagementOut, errors=(409,))
def accept_invitation(invitation_id: int):
    """Accept under the accepted terms: the engagement it opens (a repeat answers the same engagement)."""
    return services.accept_invitation(caller(), _own(invitation_id))


@operation(bp, f"{INVITATION}/decline", "POST", InvitationReadOut, body=DeclineIn, errors=(409,))
def decline_invitation(data, invitation_id: int):
    """Decline, with a reason (and a note for 'other'); 'conflict' records a conflict of interest."""
    invitation = _own(invitation_id)
    services.decline_invitation(caller(), invitation, data["reason"], data["note"])
    return _read(invitation)
