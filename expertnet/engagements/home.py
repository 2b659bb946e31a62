"""The expert's home panel figures: open invitations, active engagements, profile completeness."""
import sqlalchemy as sa

from expertnet.engagements.access import own_engagements, own_invitations
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.experts.completeness import completeness
from expertnet.extensions import db

ACTIVE = (EngagementStatus.PLANNED, EngagementStatus.ACTIVE, EngagementStatus.REPORT_SUBMITTED,
          EngagementStatus.SUSPENDED)


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def expert_figures(user) -> dict:
    profile = user.expert_profile
    if profile is None:
        return {}
    percent, hints = completeness(profile)
    return {
        "expert_pending_invitations": _count(own_invitations(user).where(Invitation.status == InvitationStatus.PENDING)),
        "expert_active_engagements": _count(own_engagements(user).where(Engagement.status.in_(ACTIVE))),
        "expert_profile_percent": percent, "expert_profile_hints": hints[:2],
        "expert_vetted": profile.vetting_status.value == "approved",
    }
