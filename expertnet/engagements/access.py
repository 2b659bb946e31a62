"""What an expert may reach of invitations and engagements: only their own (anything else is 404).

Coordinators and admins reach every engagement (a regional coordinator: those of their regions' requests); the
request's sensitive parts follow requests.access.
"""
import sqlalchemy as sa

from expertnet.accounts.policy import found_or_404, is_staff
from expertnet.engagements.models import Engagement, Invitation
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.requests.access import may_read_detail, staff_scope_of_rows


def own_invitations(user) -> sa.Select:
    return (sa.select(Invitation).join(ExpertProfile, ExpertProfile.id == Invitation.expert_id)
            .where(ExpertProfile.user_id == user.id))


def own_engagements(user) -> sa.Select:
    return (sa.select(Engagement).join(ExpertProfile, ExpertProfile.id == Engagement.expert_id)
            .where(ExpertProfile.user_id == user.id))


def get_own_invitation_or_404(user, invitation_id: int) -> Invitation:
    return found_or_404(db.session.scalar(own_invitations(user).where(Invitation.id == invitation_id)))


def reachable_engagements(user) -> sa.Select:
    """The expert's own engagements, or for coordinators and admins every engagement within their scope."""
    if not is_staff(user):
        return own_engagements(user)
    return sa.select(Engagement).where(*staff_scope_of_rows(user, Engagement.request_id))


def get_engagement_or_404(user, engagement_id: int) -> Engagement:
    return found_or_404(db.session.scalar(reachable_engagements(user).where(Engagement.id == engagement_id)))


def desk_engagement_or_404(user, engagement_id: int) -> Engagement:
    """An engagement as the desk reaches it: on a request `user` (a coordinator or admin) reads in full (a
    regional coordinator: their regions'); any other is a 404. The desk's pages and the API."""
    engagement = db.session.get(Engagement, engagement_id)
    return found_or_404(engagement, engagement is not None and may_read_detail(user, engagement.request))
