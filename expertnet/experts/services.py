"""Expert rules: applying to join, vetting, and (later) profile upkeep."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from expertnet.accounts.models import Organisation, Role
from expertnet.accounts.services import create_user
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.experts.models import (BlackoutPeriod, Experience, ExpertProfile, ExpertTopic, Publication,
                                      VettingStatus)
from expertnet.extensions import db
from expertnet.notifications.services import link, notify
from expertnet.service_errors import ServiceError
from expertnet.taxonomy.services import topics_by_slug


# The experts feature's one message table, for vetting and profile refusals alike.
REFUSALS = {
    "already_decided": _l("This application has already been decided."),
    "reason_required": _l("Give a reason for the rejection; the applicant will see it."),
    "not_staff": _l("Only coordinators may do this."),
    "capacity_below_commitments": _l(
        "Your capacity cannot be lower than your current commitments (pending invitations and open engagements)."),
}


class VettingError(ServiceError):
    """A vetting decision that cannot be made (already decided, or no reason for a rejection)."""

    messages = REFUSALS


def apply_as_expert(email: str, full_name: str, password: str, locale: str | None, affiliation: str,
                    headline: str, expertise_statement: str, topics: list, application_note: str) -> ExpertProfile:
    """Anyone may apply; the account can sign in but is not matched until a coordinator approves it."""
    user = create_user(email, full_name, Role.EXPERT, password, locale=locale)
    profile = ExpertProfile(user=user, affiliation=affiliation.strip(), headline=headline.strip(),
                            expertise_statement=expertise_statement.strip(), application_note=application_note.strip())
    profile.topics = [ExpertTopic(topic=topic) for topic in topics]
    db.session.add(profile)
    db.session.flush()
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
    record("expert.approved" if approve else "expert.rejected", coordinator, profile, reason=reason.strip())
    notify(profile.user, "vetting_decision", link("experts.edit_profile" if approve else "home.index"),
           {"approved": approve}, profile=profile, approved=approve)


# ------------------------------------------------------------------ profile upkeep
class ProfileError(ServiceError):
    """A profile change that cannot be made; `.code` names it."""

    messages = REFUSALS


PLAIN_FIELDS = ("headline", "affiliation", "biography", "expertise_statement", "countries", "regions",
                "willing_to_travel", "availability", "unavailable_until", "conflict_countries")


def _replace_children(profile: ExpertProfile, data: dict) -> None:
    topics = topics_by_slug(item["slug"] for item in data["topics"])
    profile.topics = [ExpertTopic(topic=topics[item["slug"]], level=item["level"]) for item in data["topics"]]
    profile.experiences = [Experience(**item) for item in data["experiences"]]
    profile.publications = [Publication(**item) for item in data["publications"]]
    profile.blackouts = [BlackoutPeriod(**item) for item in data["blackouts"]]
    profile.languages = [{"code": item["code"], "proficiency": item["proficiency"].value} for item in data["languages"]]
    wanted = set(data["conflict_organisation_ids"])
    profile.conflict_organisations = list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(wanted))))


def update_profile(actor, profile: ExpertProfile, data: dict) -> None:
    """Replace the profile with `data` (loaded by schemas.ProfileIn); the matcher sees it at once."""
    if data["capacity"] < profile.commitments:
        raise ProfileError("capacity_below_commitments")
    with db.session.no_autoflush:
        for name in PLAIN_FIELDS:
            setattr(profile, name, data[name])
        profile.capacity = data["capacity"]
        _replace_children(profile, data)
    db.session.flush()
    record("expert.profile_updated", actor, profile, fields=sorted(data))


def set_vetting(coordinator, profile: ExpertProfile, status: VettingStatus, reason: str) -> None:
    """Coordinators may change a decided vetting status later (suspend, reinstate) with a reason."""
    if coordinator.role not in (Role.COORDINATOR, Role.ADMIN):
        raise VettingError("not_staff")
    if not (reason or "").strip():
        raise VettingError("reason_required")
    previous = profile.vetting_status
    profile.vetting_status, profile.vetting_reason = VettingStatus(status), reason.strip()
    profile.vetted_at, profile.vetted_by = utcnow(), coordinator
    db.session.flush()
    record("expert.vetting_changed", coordinator, profile, previous=previous.value, status=profile.vetting_status.value,
           reason=reason.strip())


def request_deactivation(expert_user, profile: ExpertProfile) -> bool:
    """The expert asks to leave; coordinators act on it. Returns False when it was already asked."""
    if profile.deactivation_requested_at is not None:
        return False
    profile.deactivation_requested_at = utcnow()
    db.session.flush()
    record("expert.deactivation_requested", expert_user, profile)
    return True
