"""What the home page shows each role. Features add their panels and figures here as they land."""
import sqlalchemy as sa

from expertnet.accounts.models import OnboardingInvitation, Organisation, Role, User
from expertnet.db import utcnow
from expertnet.experts.models import ExpertProfile, VettingStatus
from expertnet.extensions import db
from expertnet.requests.home import member_figures
from expertnet.coordination.home import coordination_figures
from expertnet.engagements.home import expert_figures


def count(query) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()


def _staff_figures(user: User) -> dict:
    return {
        "pending_applications": count(
            sa.select(ExpertProfile.id).where(ExpertProfile.vetting_status == VettingStatus.PENDING)),
        "vetted_experts": count(
            sa.select(ExpertProfile.id).where(ExpertProfile.vetting_status == VettingStatus.APPROVED)),
        "open_invitations": count(sa.select(OnboardingInvitation.id).where(
            OnboardingInvitation.accepted_at.is_(None), OnboardingInvitation.revoked_at.is_(None),
            OnboardingInvitation.expires_at > utcnow())),
    }


def _admin_figures(user: User) -> dict:
    return {"organisations": count(sa.select(Organisation.id).where(Organisation.is_active)),
            "users": count(sa.select(User.id).where(User.is_active))}


def _expert_figures(user: User) -> dict:
    profile = user.expert_profile
    return {"vetting_status": profile.vetting_status.value if profile else "pending"}


# (panel template, roles it is for, function giving its figures), in page order.
HOME_PANELS = [
    ("coordination/_home.html", (Role.COORDINATOR, Role.ADMIN), coordination_figures),
    ("home/_staff.html", (Role.COORDINATOR, Role.ADMIN), _staff_figures),
    ("home/_admin.html", (Role.ADMIN,), _admin_figures),
    ("home/_expert_vetting.html", (Role.EXPERT,), _expert_figures),
    ("engagements/_home_expert.html", (Role.EXPERT,), expert_figures),
    ("requests/_home_member.html", (Role.MEMBER,), member_figures),
]


def home_summary(user: User) -> dict:
    summary: dict = {"panels": []}
    for template, roles, figures in HOME_PANELS:
        if user.role in roles:
            summary["panels"].append(template)
            summary.update(figures(user))
    return summary
