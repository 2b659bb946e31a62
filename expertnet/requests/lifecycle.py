"""The request state machine: its table and the stamps of each move; `statemachine.transition` moves it.

`ALLOWED[from][to]` says who may make each transition and what must hold first. A move stamps the
milestones, runs the SLA clock, appends the visible timeline entry and the audit row — all in the caller's
transaction (flush, never commit). Requests are version-checked (their `version` column refuses a stale
write at flush), not row-locked. `actor=None` is the system (for example the engagements' machine once
the first expert accepted).

The request's work is done by its engagements, so from assignment on it follows them: the engagements'
machine moves it (assigned, in progress, delivered) as a side effect of their own moves. The coordinator
confirms the end once: closed from assigned, in progress, delivered or evaluation. Features above requests
follow its moves through `register_follower` (the invitations close with their request), in the same
transaction.
"""
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import format_date, gettext as _

from expertnet import statemachine
from expertnet.accounts.models import Role
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests.messages import CONFLICTS, REFUSALS
from expertnet.requests.models import AssistanceRequest, RequestEvent, RequestStatus, Urgency
from expertnet.service_errors import ServiceError
from expertnet.statemachine import MEMBER, STAFF, SYSTEM, Move, Step, step


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


def _complete_for_submission(move: Move) -> str | None:
    """What a coordinator needs before triage: the essentials filled in and the officer's declaration."""
    r = move.obj
    if not (r.title.strip() and r.summary.strip() and r.gap_statement.strip()):
        return "incomplete"
    if not 1 <= len(r.topics) <= 5:
        return "topics_required"
    if r.urgency == Urgency.URGENT and not (r.urgency_reason or "").strip():
        return "urgency_reason_required"
    if not r.authorised_declaration:
        return "declaration_required"
    return None


def _reason_given(move: Move) -> str | None:
    return None if move.note else "reason_required"


_WITHDRAW = step(MEMBER, guard=_reason_given)
_REJECT = step(STAFF, guard=_reason_given)
CLOSING_CHECKS = "expertnet.request_closing_checks"  # the app.extensions key of the registered checks
ClosingCheck = Callable[[AssistanceRequest], list[str]]


def register_closing_check(app: Flask, check: ClosingCheck) -> None:
    """A feature above requests that knows a reason to think twice before closing (fewer experts than wanted)."""
    app.extensions.setdefault(CLOSING_CHECKS, []).append(check)


def closing_warnings(assistance_request: AssistanceRequest) -> list[str]:
    """Why closing the request now may be premature (translated sentences); empty when nothing speaks against."""
    warnings = []
    if assistance_request.end_date and utcnow().date() < assistance_request.end_date:
        warnings.append(_("The planned end date (%(date)s) is still ahead.", date=format_date(assistance_request.end_date)))
    for check in current_app.extensions.get(CLOSING_CHECKS, []):
        warnings.extend(check(assistance_request))
    return warnings


def _close_confirmed(move: Move) -> str | None:
    """A coordinator closing early confirms it explicitly (the desk's checkbox): enforced here, not in the page."""
    if move.actor is None or move.details.get("confirmed") or not closing_warnings(move.obj):
        return None
    return "close_unconfirmed"


# The coordinator confirms the end once, from any stage after assignment; with a warning (fewer experts
# accepted than wanted, the planned end still ahead) only with `confirmed=True`.
_CLOSE = step(STAFF, guard=_close_confirmed)

ALLOWED: dict[RequestStatus, dict[RequestStatus, Step]] = {
    RequestStatus.DRAFT: {RequestStatus.SUBMITTED: step(MEMBER, guard=_complete_for_submission),
                          RequestStatus.WITHDRAWN: step(MEMBER)},
    RequestStatus.SUBMITTED: {RequestStatus.TRIAGE: step(STAFF, SYSTEM), RequestStatus.REJECTED: _REJECT,
                              RequestStatus.WITHDRAWN: _WITHDRAW},
    RequestStatus.TRIAGE: {RequestStatus.INFO_REQUESTED: step(STAFF, guard=_reason_given),
                           RequestStatus.MATCHING: step(STAFF), RequestStatus.REJECTED: _REJECT,
                           RequestStatus.WITHDRAWN: _WITHDRAW},
    # The agency answers (back to triage); a coordinator may also resume without an answer.
    RequestStatus.INFO_REQUESTED: {RequestStatus.TRIAGE: step(MEMBER, STAFF, guard=_complete_for_submission),
                                   RequestStatus.REJECTED: _REJECT, RequestStatus.WITHDRAWN: _WITHDRAW},
    RequestStatus.MATCHING: {RequestStatus.INVITING: step(STAFF, SYSTEM), RequestStatus.TRIAGE: step(STAFF),
                             RequestStatus.REJECTED: _REJECT, RequestStatus.WITHDRAWN: _WITHDRAW},
    # inviting -> matching when every invitation was declined, expired or conflicted.
    RequestStatus.INVITING: {RequestStatus.ASSIGNED: step(STAFF, SYSTEM), RequestStatus.MATCHING: step(STAFF, SYSTEM),
                             RequestStatus.REJECTED: _REJECT, RequestStatus.WITHDRAWN: _WITHDRAW},
    RequestStatus.ASSIGNED: {RequestStatus.IN_PROGRESS: step(STAFF, SYSTEM),
                             RequestStatus.MATCHING: step(STAFF, SYSTEM), RequestStatus.CLOSED: _CLOSE},
    RequestStatus.IN_PROGRESS: {RequestStatus.ON_HOLD: step(STAFF, guard=_reason_given),
                                RequestStatus.DELIVERED: step(STAFF, SYSTEM), RequestStatus.CLOSED: _CLOSE},
    RequestStatus.ON_HOLD: {RequestStatus.IN_PROGRESS: step(STAFF, SYSTEM)},
    RequestStatus.DELIVERED: {RequestStatus.EVALUATION: step(STAFF, SYSTEM),
                              RequestStatus.IN_PROGRESS: step(STAFF, guard=_reason_given),
                              RequestStatus.CLOSED: _CLOSE},
    RequestStatus.EVALUATION: {RequestStatus.CLOSED: step(STAFF, SYSTEM, guard=_close_confirmed)},
    RequestStatus.CLOSED: {},
    RequestStatus.REJECTED: {},
    RequestStatus.WITHDRAWN: {},
}

# Waiting on the agency: the SLA clock stops.
PAUSED = frozenset({RequestStatus.INFO_REQUESTED, RequestStatus.ON_HOLD})
FINAL = frozenset({RequestStatus.CLOSED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN})
# The agency may rate the help once the experts' work is delivered.
FEEDBACK_OPEN = frozenset({RequestStatus.DELIVERED, RequestStatus.EVALUATION, RequestStatus.CLOSED})
# The agency may change its text only here.
EDITABLE = frozenset({RequestStatus.DRAFT, RequestStatus.INFO_REQUESTED})
# Statuses the agency can still withdraw from (before work starts: draft .. inviting).
WITHDRAWABLE = frozenset(status for status, targets in ALLOWED.items() if RequestStatus.WITHDRAWN in targets)


# Where the request's engagements carry it, in order (`engagements.machine` moves it forward along these).
FOLLOWS_ENGAGEMENTS = (RequestStatus.INVITING, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS,
                       RequestStatus.DELIVERED)
# From where the coordinator may confirm the end.
CLOSABLE = frozenset(status for status, targets in ALLOWED.items() if RequestStatus.CLOSED in targets)


# The usual road through the machine, and where each side exit leaves it (demo seeding, test factories).
MAIN_PATH = (RequestStatus.SUBMITTED, RequestStatus.TRIAGE, RequestStatus.MATCHING, RequestStatus.INVITING,
             RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS, RequestStatus.DELIVERED, RequestStatus.EVALUATION,
             RequestStatus.CLOSED)
SIDE_EXITS = {RequestStatus.INFO_REQUESTED: RequestStatus.TRIAGE, RequestStatus.ON_HOLD: RequestStatus.IN_PROGRESS,
              RequestStatus.REJECTED: RequestStatus.TRIAGE, RequestStatus.WITHDRAWN: RequestStatus.SUBMITTED}


def backfill_details(to_status: RequestStatus) -> dict:
    """What demo seeding and test factories add when they walk a request along `path_to` without a desk: their
    close is confirmed (the experts they add come afterwards)."""
    return {"confirmed": True} if RequestStatus(to_status) == RequestStatus.CLOSED else {}


def path_to(status: RequestStatus) -> list[RequestStatus]:
    """The legal steps from draft to `status` along the usual road."""
    status = RequestStatus(status)
    if status == RequestStatus.DRAFT:
        return []
    on_path = SIDE_EXITS.get(status, status)
    steps = list(MAIN_PATH[:MAIN_PATH.index(on_path) + 1])
    return steps + [status] if status in SIDE_EXITS else steps


def actor_kind(assistance_request: AssistanceRequest, user) -> statemachine.Actor | None:
    return statemachine.acting_kind(user, MEMBER, lambda member: (
        member.role == Role.MEMBER and member.organisation_id == assistance_request.organisation_id))


def rule_for(assistance_request: AssistanceRequest, to_status: RequestStatus) -> Step:
    return statemachine.step_for(REQUEST_MACHINE, assistance_request, to_status)


def allowed_transitions(assistance_request: AssistanceRequest, user) -> list[RequestStatus]:
    """Targets this user may move the request to, by role (for buttons); guards are checked on the action."""
    return statemachine.allowed_targets(REQUEST_MACHINE, assistance_request, user)


def transition(assistance_request: AssistanceRequest, to_status: RequestStatus, actor, note: str = "",
               at: datetime | None = None, **details) -> RequestEvent:
    """Move the request to `to_status` as `actor` (None: the system); `at` back-dates it (demo seeding only);
    `details` reach the guards and the audit row (`confirmed=True`: closing despite the warnings)."""
    to_status = RequestStatus(to_status)
    statemachine.transition(REQUEST_MACHINE, assistance_request, to_status, actor, note=note, at=at, **details)
    # The timeline entry this move appended (the followers may have moved the request on after it).
    return next(e for e in reversed(assistance_request.events) if e.to_status == to_status.value)


def _run_sla_clock(move: Move) -> None:
    r = move.obj
    if move.from_status in PAUSED and move.to_status not in PAUSED and r.paused_since:
        waited = (move.at - r.paused_since).total_seconds()
        r.paused_seconds += max(0, int(waited))
        r.paused_since = None
    elif move.to_status in PAUSED and r.paused_since is None:
        r.paused_since = move.at


def _stamp_milestones(move: Move) -> None:
    r, to_status, now = move.obj, move.to_status, move.at
    r.status_changed_at = now
    if to_status == RequestStatus.SUBMITTED and r.submitted_at is None:
        r.submitted_at = now
        r.reference = r.reference or next_reference(now.year)
    elif to_status == RequestStatus.TRIAGE and r.triaged_at is None:
        r.triaged_at = now
    elif to_status == RequestStatus.INVITING and r.first_invited_at is None:
        r.first_invited_at = now
    elif to_status == RequestStatus.ASSIGNED and r.assigned_at is None:
        r.assigned_at = now
    elif to_status in FINAL:
        r.closed_at = now


def _append_timeline_entry(move: Move) -> None:
    move.obj.events.append(RequestEvent(actor_id=getattr(move.actor, "id", None), from_status=move.from_status.value,
                                        to_status=move.to_status.value, note=move.note, occurred_at=move.at))


FOLLOWERS = "expertnet.request_followers"  # the app.extensions key of the registered followers
Follower = Callable[[Move], None]


def register_follower(app: Flask, follower: Follower) -> None:
    """A feature above requests that must act on the request's moves (in the move's transaction)."""
    app.extensions.setdefault(FOLLOWERS, []).append(follower)


def _tell_followers(move: Move) -> None:
    followers = current_app.extensions.get(FOLLOWERS, [])
    if followers:
        db.session.flush()  # the timeline entry is written before a follower re-reads the request
    for follower in followers:
        follower(move)


REQUEST_MACHINE = statemachine.Machine(
    name="request", table=ALLOWED, actor_kind=actor_kind,
    refuse_missing=lambda r, to_status: IllegalTransition(message=f"{r.status.value} -> {to_status.value}"),
    refuse_actor=lambda r: TransitionNotAllowed(), refuse_guard=TransitionNotAllowed,
    # A repeated submit or decision answers 409 like any move the table lacks (the agency sees that the
    # request moved on), so a repeat is not silently accepted here.
    repeat_is_noop=False,
    audit_details=lambda move: {"note": move.note, "reference": move.obj.reference},
    stamps=(_run_sla_clock, _stamp_milestones), effects=(_append_timeline_entry, _tell_followers))


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
