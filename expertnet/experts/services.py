"""Expert rules: applying to join, vetting, and (later) profile upkeep."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.accounts.services import create_user
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.engagements.suggestions import mark_expert_changed
from expertnet.experts.models import ExpertProfile, ExpertTopic, VettingStatus
from expertnet.extensions import db
from expertnet.notifications.services import send_mail


class VettingError(Exception):
    """A vetting decision that cannot be made (already decided, or no reason for a rejection)."""


def apply_as_expert(email: str, full_name: str, password: str, locale: str | None, affiliation: str,
                    headline: str, expertise_statement: str, topics: list, application_note: str) -> ExpertProfile:
    """Anyone may apply; the account can sign in but is not matched until a coordinator approves it."""
    user = create_user(email, full_name, Role.EXPERT, password, locale=locale)
    profile = ExpertProfile(user=user, affiliation=affiliation.strip(), headline=headline.strip(),
                            expertise_statement=expertise_statement.strip(), application_note=application_note.strip())
    profile.topics = [ExpertTopic(topic=topic) for topic in topics]
    db.session.add(profile)
    db.session.flush()
    mark_expert_changed(profile)
    record("expert.applied", user, profile)
    return profile


def vetting_queue():
    return (sa.select(ExpertProfile).where(ExpertProfile.vetting_status == VettingStatus.PENDING)
            .order_by(ExpertProfile.created_at))


def decide_application(coordinator, profile: ExpertProfile, approve: bool, reason: str) -> None:
    if profile.vetting_status != VettingStatus.PENDING:
        raise VettingError("already_decided")
    if not approve and not reason.strip():
        raise VettingError("reason_required")
    profile.vetting_status = VettingStatus.APPROVED if approve else VettingStatus.REJECTED
    profile.vetting_reason, profile.vetted_at, profile.vetted_by = reason.strip(), utcnow(), coordinator
    db.session.flush()
    mark_expert_changed(profile)
    record("expert.approved" if approve else "expert.rejected", coordinator, profile, reason=reason.strip())
    send_mail(profile.user.email, "vetting_decision", profile.user.locale, profile=profile, approved=approve)
