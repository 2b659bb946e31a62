"""The request state machine: the ONLY place a request's status changes.

`ALLOWED[from][to]` says who may make each transition and what must hold first. `transition()`
checks that, moves the status, stamps the milestones, runs the SLA clock, appends the visible
timeline entry and the audit row — all in the caller's transaction (flush, never commit).
`actor=None` is the system (for example the invitations service once enough experts accepted).
"""
import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests.messages import CONFLICTS, REFUSALS
from expertnet.requests.models import AssistanceRequest, RequestEvent, RequestStatus, Urgency
from expertnet.service_errors import ServiceError

S = RequestStatus


class LifecycleError(ServiceError):
    """A refused transition; `.code` names the reason for messages and API error bodies."""

    code = "lifecycle_error"
    messages = REFUSALS

    def __init__(self, code: str | None = None, message: str = ""):
        code = code or self.code
        super().__init__(code, http_status=409 if code in CONFLICTS else None)
        self.args = (message or code,)


class IllegalTransition(LifecycleError):
    """The machine has no such transition from the current status (a conflict: 409)."""

    code = "illegal_transition"


class TransitionNotAllowed(LifecycleError):
    """The transition exists but this actor may not make it, or its guard does not hold."""

    code = "not_allowed"


class Actor(str, enum.Enum):
    MEMBER = "member"  # a member of the organisation that owns the request
    STAFF = "staff"  # a coordinator or an admin
    SYSTEM = "system"  # actor=None: automatic transitions made by other services


# A guard returns an error code when the transition may not happen yet, None when it may.
Guard = Callable[[AssistanceRequest, str], str | None]


def _complete_for_submission(assistance_request: AssistanceRequest, note: str) -> str | None:
    """What a coordinator needs before triage: the essentials filled in and the officer's declaration."""
    r = assistance_request
    if not (r.title.strip() and r.summary.strip() and r.gap_statement.strip()):
        return "incomplete"
    if not 1 <= len(r.topics) <= 5:
        return "topics_required"
    if r.urgency == Urgency.URGENT and not (r.urgency_reason or "").strip():
        return "urgency_reason_required"
    if not r.authorised_declaration:
        return "declaration_required"
    return None


def _reason_given(assistance_request: AssistanceRequest, note: str) -> str | None:
    return None if note.strip() else "reason_required"


@dataclass(frozen=True)
class Rule:
    actors: frozenset
    guard: Guard | None = None


def _rule(*actors: Actor, guard: Guard | None = None) -> Rule:
    return Rule(frozenset(actors), guard)


MEMBER, STAFF, SYSTEM = Actor.MEMBER, Actor.STAFF, Actor.SYSTEM
_WITHDRAW = _rule(MEMBER, guard=_reason_given)
_REJECT = _rule(STAFF, guard=_reason_given)

ALLOWED: dict[RequestStatus, dict[RequestStatus, Rule]] = {
    S.DRAFT: {S.SUBMITTED: _rule(MEMBER, guard=_complete_for_submission), S.WITHDRAWN: _rule(MEMBER)},
    S.SUBMITTED: {S.TRIAGE: _rule(STAFF, SYSTEM), S.REJECTED: _REJECT, S.WITHDRAWN: _WITHDRAW},
    S.TRIAGE: {S.INFO_REQUESTED: _rule(STAFF, guard=_reason_given), S.MATCHING: _rule(STAFF),
               S.REJECTED: _REJECT, S.WITHDRAWN: _WITHDRAW},
    # The agency answers (back to triage); a coordinator may also resume without an answer.
    S.INFO_REQUESTED: {S.TRIAGE: _rule(MEMBER, STAFF, guard=_complete_for_submission),
                       S.REJECTED: _REJECT, S.WITHDRAWN: _WITHDRAW},
    S.MATCHING: {S.INVITING: _rule(STAFF, SYSTEM), S.TRIAGE: _rule(STAFF), S.REJECTED: _REJECT,
                 S.WITHDRAWN: _WITHDRAW},
    # inviting -> matching when every invitation was declined, expired or conflicted.
    S.INVITING: {S.ASSIGNED: _rule(STAFF, SYSTEM), S.MATCHING: _rule(STAFF, SYSTEM), S.REJECTED: _REJECT,
                 S.WITHDRAWN: _WITHDRAW},
    S.ASSIGNED: {S.IN_PROGRESS: _rule(STAFF, SYSTEM), S.MATCHING: _rule(STAFF, SYSTEM)},
    S.IN_PROGRESS: {S.ON_HOLD: _rule(STAFF, guard=_reason_given), S.DELIVERED: _rule(STAFF, SYSTEM)},
    S.ON_HOLD: {S.IN_PROGRESS: _rule(STAFF, SYSTEM)},
    S.DELIVERED: {S.EVALUATION: _rule(STAFF, SYSTEM), S.IN_PROGRESS: _rule(STAFF, guard=_reason_given)},
    S.EVALUATION: {S.CLOSED: _rule(STAFF, SYSTEM)},
    S.CLOSED: {},
    S.REJECTED: {},
    S.WITHDRAWN: {},
}

PAUSED = frozenset({S.INFO_REQUESTED, S.ON_HOLD})  # waiting on the agency: the SLA clock stops
FINAL = frozenset({S.CLOSED, S.REJECTED, S.WITHDRAWN})
EDITABLE = frozenset({S.DRAFT, S.INFO_REQUESTED})  # the agency may change its text only here
# Statuses the agency can still withdraw from (before work starts: draft .. inviting).
WITHDRAWABLE = frozenset(status for status, targets in ALLOWED.items() if S.WITHDRAWN in targets)


# The usual road through the machine, and where each side exit leaves it (demo seeding, test factories).
MAIN_PATH = (S.SUBMITTED, S.TRIAGE, S.MATCHING, S.INVITING, S.ASSIGNED, S.IN_PROGRESS, S.DELIVERED, S.EVALUATION,
             S.CLOSED)
SIDE_EXITS = {S.INFO_REQUESTED: S.TRIAGE, S.ON_HOLD: S.IN_PROGRESS, S.REJECTED: S.TRIAGE, S.WITHDRAWN: S.SUBMITTED}


def path_to(status: RequestStatus) -> list[RequestStatus]:
    """The legal steps from draft to `status` along the usual road."""
    status = RequestStatus(status)
    if status == S.DRAFT:
        return []
    on_path = SIDE_EXITS.get(status, status)
    steps = list(MAIN_PATH[:MAIN_PATH.index(on_path) + 1])
    return steps + [status] if status in SIDE_EXITS else steps


def actor_kind(assistance_request: AssistanceRequest, user) -> Actor | None:
    if user is None:
        return SYSTEM
    if not getattr(user, "is_active", False):
        return None
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return STAFF
    if user.role == Role.MEMBER and user.organisation_id == assistance_request.organisation_id:
        return MEMBER
    return None


def rule_for(assistance_request: AssistanceRequest, to_status: RequestStatus) -> Rule:
    rule = ALLOWED[assistance_request.status].get(to_status)
    if rule is None:
        raise IllegalTransition(message=f"{assistance_request.status.value} -> {to_status.value}")
    return rule


def allowed_transitions(assistance_request: AssistanceRequest, user) -> list[RequestStatus]:
    """Targets this user may move the request to, by role (for buttons); guards are checked on the action."""
    kind = actor_kind(assistance_request, user)
    return [to for to, rule in ALLOWED[assistance_request.status].items() if kind in rule.actors]


def transition(assistance_request: AssistanceRequest, to_status: RequestStatus, actor, note: str = "",
               at: datetime | None = None) -> RequestEvent:
    """Move the request to `to_status` as `actor` (None: the system); `at` back-dates it (demo seeding only)."""
    to_status = RequestStatus(to_status)
    rule = rule_for(assistance_request, to_status)
    if actor_kind(assistance_request, actor) not in rule.actors:
        raise TransitionNotAllowed()
    note = (note or "").strip()
    if rule.guard and (problem := rule.guard(assistance_request, note)):
        raise TransitionNotAllowed(problem)
    now = at or utcnow()
    from_status = assistance_request.status
    _run_sla_clock(assistance_request, from_status, to_status, now)
    _stamp_milestones(assistance_request, to_status, now)
    assistance_request.status, assistance_request.status_changed_at = to_status, now
    event = RequestEvent(actor_id=getattr(actor, "id", None), from_status=from_status.value,
                         to_status=to_status.value, note=note, occurred_at=now)
    assistance_request.events.append(event)
    db.session.flush()
    audit = record(f"request.{to_status.value}", actor, assistance_request, from_status=from_status.value,
                   note=note, reference=assistance_request.reference)
    audit.occurred_at = now
    return event


def _run_sla_clock(assistance_request: AssistanceRequest, from_status, to_status, now: datetime) -> None:
    if from_status in PAUSED and to_status not in PAUSED and assistance_request.paused_since:
        waited = (now - assistance_request.paused_since).total_seconds()
        assistance_request.paused_seconds += max(0, int(waited))
        assistance_request.paused_since = None
    elif to_status in PAUSED and assistance_request.paused_since is None:
        assistance_request.paused_since = now


def _stamp_milestones(assistance_request: AssistanceRequest, to_status, now: datetime) -> None:
    r = assistance_request
    if to_status == S.SUBMITTED and r.submitted_at is None:
        r.submitted_at = now
        r.reference = r.reference or next_reference(now.year)
    elif to_status == S.TRIAGE and r.triaged_at is None:
        r.triaged_at = now
    elif to_status == S.INVITING and r.first_invited_at is None:
        r.first_invited_at = now
    elif to_status == S.ASSIGNED and r.assigned_at is None:
        r.assigned_at = now
    elif to_status in FINAL:
        r.closed_at = now


# Any fixed number: the key of the PostgreSQL advisory lock that serialises reference numbering.
REFERENCE_LOCK_KEY = 0x7E5E_4E01


def next_reference(year: int) -> str:
    """TA-YYYY-NNNN, numbered per year. On PostgreSQL two submissions at once would read the same last
    number and the second would fail on the unique constraint (a 409 for a valid submission), so numbering
    waits for the other submitting transaction to end; SQLite already serialises its writers."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(REFERENCE_LOCK_KEY)))
    prefix = f"TA-{year}-"
    last = db.session.scalar(sa.select(sa.func.max(AssistanceRequest.reference))
                             .where(AssistanceRequest.reference.like(f"{prefix}%")))
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"
