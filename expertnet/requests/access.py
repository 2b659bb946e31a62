"""Who may see which request, and which of its parts (need-to-know).

- Members see their own organisation's requests; others' are reported missing (404).
- Coordinators and admins see every request except agencies' unsubmitted drafts; a regional coordinator (one
  who coordinates region groups, `groups.access`) only those of the organisations in their regions.
- Experts see a request only while their LIVE invitation or engagement gives them a need to know
  (the rule `expertnet.need_to_know` registers at app start, asked afresh on every check): the cleaned summary (`schemas.RequestSummaryOut`) while invited, the full
  request and the thread while their engagement is open (terms accepted), the full request read-only for a
  configured period after it closed, then the summary; withdrawn, replaced, declined, expired and revoked
  experts keep only their own invitation page.
- TLP:RED parts reach named recipients only: the owning agency, coordinators, and experts on a live
  engagement. Every read of a sensitive part is audited (`request.read_sensitive`).
- Files (`may_read_attachment`): an expert reads the agency's files (a TLP:RED one only while their engagement
  is open), never another expert's deliverables; the agency reads its own files and the deliverables of
  engagements whose report the coordinators accepted (the registered `outcomes`); coordinators read all.
"""
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, current_app

from expertnet.accounts.models import Role, User
from expertnet.accounts.policy import found_or_404, is_staff
from expertnet.audit.models import AuditEvent
from expertnet.audit.services import record
from expertnet.extensions import db
from expertnet.groups.access import in_scope, scoped_organisations
from expertnet.requests.models import AssistanceRequest, RequestStatus
from expertnet.sensitivity import Access, Tlp

SENSITIVE_PARTS = ("detail", "annex", "attachment")
NEED_TO_KNOW = "expertnet.need_to_know"  # the app.extensions key of the registered ExpertNeedToKnow


@dataclass(frozen=True)
class ExpertNeedToKnow:
    """How experts come to see requests, decided above requests by who invited and engaged them."""

    access: Callable[[User, AssistanceRequest], Access]
    request_ids: Callable[[User], sa.Select]  # ids of the requests the expert may see at least the summary of
    accepted_experts: Callable[[AssistanceRequest], list]  # who shares the request (engagement open or done)
    # The experts' accepted work the agency may see (reports accepted by the coordinators, their deliverables).
    outcomes: Callable[[AssistanceRequest], list] = lambda assistance_request: []


def register_expert_rule(app: Flask, rule: ExpertNeedToKnow) -> None:
    app.extensions[NEED_TO_KNOW] = rule


def _expert_rule() -> ExpertNeedToKnow:
    return current_app.extensions[NEED_TO_KNOW]


def accepted_experts(assistance_request: AssistanceRequest) -> list:
    return _expert_rule().accepted_experts(assistance_request)


def outcomes(assistance_request: AssistanceRequest) -> list:
    """The accepted completion reports with their deliverables (never a draft or a report not yet accepted)."""
    return _expert_rule().outcomes(assistance_request)


def visible_requests(user) -> sa.Select:
    """A select of the requests `user` may know exist; chain filters and ordering onto it."""
    query = sa.select(AssistanceRequest)
    if not user.is_authenticated or not user.is_active:
        return query.where(sa.false())
    if user.role == Role.MEMBER:
        return query.where(AssistanceRequest.organisation_id == user.organisation_id)
    if is_staff(user):
        return query.where(AssistanceRequest.status != RequestStatus.DRAFT, *staff_scope(user))
    if user.role == Role.EXPERT:
        return query.where(AssistanceRequest.id.in_(_expert_rule().request_ids(user)))
    return query.where(sa.false())


def staff_scope(user) -> list:
    """The WHERE that limits a staff user to their regions' requests (nothing for a global one): the one place the
    triage queue, the request pages, the suggestions and the API take the group scope from."""
    organisations = scoped_organisations(user)
    return [] if organisations is None else [AssistanceRequest.organisation_id.in_(organisations)]


def staff_scope_of_rows(user, request_id_column) -> list:
    """The same scope for rows that belong to a request (invitations, engagements): their request is in it."""
    where = staff_scope(user)
    return [request_id_column.in_(sa.select(AssistanceRequest.id).where(*where))] if where else []


def get_visible_request_or_404(user, request_id: int) -> AssistanceRequest:
    return found_or_404(db.session.scalar(visible_requests(user).where(AssistanceRequest.id == request_id)))


def is_owner(user, assistance_request: AssistanceRequest) -> bool:
    return (user.is_authenticated and user.role == Role.MEMBER
            and user.organisation_id == assistance_request.organisation_id)


def _is_expert(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.EXPERT


def has_accepted_terms(user, assistance_request: AssistanceRequest) -> bool:
    """An expert on a live engagement of this request (terms signed, engagement open or closed recently)."""
    return _is_expert(user) and _expert_rule().access(user, assistance_request) >= Access.READ_ONLY


def may_read_detail(user, assistance_request: AssistanceRequest) -> bool:
    """The gap statement, desired outcome, annex and attachments: named recipients only."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_owner(user, assistance_request):
        return True
    if is_staff(user):
        return assistance_request.status != RequestStatus.DRAFT and in_scope(user, assistance_request.organisation_id)
    return has_accepted_terms(user, assistance_request)


def may_read_part(user, assistance_request: AssistanceRequest, tlp: Tlp, part: str = "detail") -> bool:
    """One labelled part. The summary is for everyone who may see the request unless it is TLP:RED;
    every other part (and any TLP:RED one) goes to the named recipients of may_read_detail."""
    if part == "summary" and Tlp(tlp) != Tlp.RED:
        return True
    return may_read_detail(user, assistance_request)


def may_read_attachment(user, assistance_request: AssistanceRequest, attachment) -> bool:
    """One file of the request (see the module's rules); whoever may not is told it does not exist."""
    if attachment.request_id != assistance_request.id or not may_read_part(user, assistance_request, attachment.tlp,
                                                                           "attachment"):
        return False
    if is_staff(user):
        return True
    if _is_expert(user):
        return attachment.engagement_id is None and (
            Tlp(attachment.tlp) != Tlp.RED or _expert_rule().access(user, assistance_request) == Access.FULL)
    if attachment.engagement_id is None:
        return True
    return attachment.engagement_id in {outcome.engagement_id for outcome in outcomes(assistance_request)}


def may_converse(user, assistance_request: AssistanceRequest) -> bool:
    """The shared thread: the agency, coordinators, and experts on an OPEN engagement (a closed one reads it)."""
    if _is_expert(user):
        return _expert_rule().access(user, assistance_request) == Access.FULL
    return may_read_detail(user, assistance_request)


def record_sensitive_read(user, assistance_request: AssistanceRequest, part: str, **details) -> AuditEvent:
    """Log that `user` opened a sensitive part; the agency's "who has seen this" list is built from these."""
    return record("request.read_sensitive", user, assistance_request, part=part, **details)


def sensitive_readers(assistance_request: AssistanceRequest) -> list[dict]:
    """Who opened the sensitive parts, most recent first: first and last time, how often they read the text
    and how often they downloaded a file. One page view logs the text and, when shown, the annex: counting
    the text alone makes one view "read once"."""
    part = AuditEvent.details["part"].as_string()
    rows = db.session.execute(
        sa.select(AuditEvent.actor_id, sa.func.min(AuditEvent.occurred_at), sa.func.max(AuditEvent.occurred_at),
                  sa.func.count(AuditEvent.id).filter(part == "detail"),
                  sa.func.count(AuditEvent.id).filter(part == "attachment"))
        .where(AuditEvent.action == "request.read_sensitive", AuditEvent.object_type == "assistance_request",
               AuditEvent.object_id == assistance_request.id, AuditEvent.actor_id.is_not(None))
        .group_by(AuditEvent.actor_id).order_by(sa.func.max(AuditEvent.occurred_at).desc())).all()
    people: dict[int | None, User] = {  # keyed for the rows' actor ids, typed optional though None is filtered out
        u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_([r[0] for r in rows])))}
    return [{"user": people[actor_id], "first": first, "last": last, "reads": reads, "downloads": downloads}
            for actor_id, first, last, reads, downloads in rows]
