"""Demo requests: the 30 of `content.requests()` walked through the real lifecycle to their statuses, with
back-dated steps (from `days_ago`) so their timelines read like real ones, plus the conversation snippets.

Invitations and engagements for requests at inviting and later are seeded by the engagements step, which
runs after this one; expert messages wait for it too (`seed_expert_messages`)."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.demo import content
from expertnet.engagements.models import Invitation, InvitationStatus
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.models import AssistanceRequest, RequestMessage, RequestStatus

DEFAULT_NOTES = {
    RequestStatus.INFO_REQUESTED: "Could you tell us more about the sites concerned and who would take part?",
    RequestStatus.ON_HOLD: "Paused at the agency's request until the venue is confirmed.",
    RequestStatus.WITHDRAWN: "The agency found a solution through a bilateral programme.",
    RequestStatus.REJECTED: "Outside the network's scope.",
}
FIELDS = ("title", "summary", "gap_statement", "desired_outcome", "sectors", "languages", "country", "experts_wanted")


def _users(role: Role) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.role == role).order_by(User.id)))


def _build(entry: dict, member: User, coordinator: User, topics: dict, created_at) -> AssistanceRequest:
    assistance_request = AssistanceRequest(
        organisation_id=member.organisation_id, created_by_id=member.id, status=RequestStatus.DRAFT,
        gap_type=entry["gap_type"], modality=entry["modality"], urgency=entry["urgency"],
        urgency_reason=entry.get("urgency_reason") or "", summary_tlp=entry["summary_tlp"],
        detail_tlp=entry["detail_tlp"], consent_statistics=True, authorised_declaration=True,
        created_at=created_at, updated_at=created_at, status_changed_at=created_at,
        # A lead coordinator is named at triage; submitted requests wait for one.
        lead_coordinator_id=(coordinator.id if RequestStatus.TRIAGE in lifecycle.path_to(RequestStatus(entry["status"]))
                             else None),
        **{name: entry[name] for name in FIELDS})
    assistance_request.topics = [topics[slug] for slug in entry["topics"] if slug in topics]
    db.session.add(assistance_request)
    db.session.flush()
    record("request.created", member, assistance_request, title=assistance_request.title).occurred_at = created_at
    return assistance_request


def _walk(assistance_request: AssistanceRequest, entry: dict, member: User, coordinator: User, created_at) -> None:
    """Each step a little later than the last, the final one a day before today."""
    steps = lifecycle.path_to(RequestStatus(entry["status"]))
    span = (utcnow() - timedelta(days=1)) - created_at
    for number, step in enumerate(steps, start=1):
        at = created_at + span * (number / len(steps)) ** 1.5 if number > 1 else created_at + timedelta(hours=3)
        rule = lifecycle.rule_for(assistance_request, step)
        actor = member if lifecycle.MEMBER in rule.actors else coordinator
        note = (entry.get("rejection_reason") or DEFAULT_NOTES.get(step, "")) if step in DEFAULT_NOTES else ""
        lifecycle.transition(assistance_request, step, actor, note, at=at, **lifecycle.backfill_details(step))


def seed_requests(admin: User, organisations: dict) -> None:
    from expertnet.taxonomy.models import Topic

    topics = {t.slug: t for t in db.session.scalars(sa.select(Topic))}
    coordinators = _users(Role.COORDINATOR)
    members = {}
    for user in _users(Role.MEMBER):
        members.setdefault(user.organisation_id, user)
    # Oldest first, so references (numbered per year on first submission) follow the calendar.
    entries = sorted(enumerate(content.requests()), key=lambda pair: -pair[1]["days_ago"])
    for index, entry in entries:
        member = members[organisations[entry["organisation"]].id]
        coordinator = coordinators[index % len(coordinators)]
        created_at = utcnow() - timedelta(days=entry["days_ago"], hours=index % 7)
        assistance_request = _build(entry, member, coordinator, topics, created_at)
        _walk(assistance_request, entry, member, coordinator, created_at)
    db.session.flush()
    seed_messages(("member", "coordinator"))


def seed_messages(roles=("member", "coordinator"), author_for_expert=None) -> None:
    """The conversation snippets, each placed after the request was submitted (never on drafts)."""
    by_title = {r.title: r for r in db.session.scalars(sa.select(AssistanceRequest))}
    for number, entry in enumerate(content.messages()):
        assistance_request = by_title.get(entry["request_title"])
        if entry["author_role"] not in roles or assistance_request is None or assistance_request.submitted_at is None:
            continue
        author = _author(assistance_request, entry["author_role"], author_for_expert)
        if author is None:
            continue
        at = min(assistance_request.submitted_at + timedelta(hours=6 + 5 * number), utcnow() - timedelta(hours=2))
        db.session.add(RequestMessage(request_id=assistance_request.id, author_id=author.id, body=entry["body"],
                                      internal=bool(entry.get("internal")), created_at=at))
    db.session.flush()


def _author(assistance_request: AssistanceRequest, role: str, author_for_expert):
    if role == "member":
        return assistance_request.created_by
    if role == "coordinator":
        return assistance_request.lead_coordinator or _users(Role.COORDINATOR)[0]
    return author_for_expert(assistance_request) if author_for_expert else None


def seed_expert_messages(admin: User, organisations: dict) -> None:
    """For the engagements step to run after it seeded engagements: experts' lines go to an accepted expert."""
    def accepted_expert(assistance_request):
        invitation = db.session.scalar(sa.select(Invitation).where(
            Invitation.request_id == assistance_request.id, Invitation.status == InvitationStatus.ACCEPTED).limit(1))
        return invitation.expert.user if invitation else None

    seed_messages(("expert",), accepted_expert)
