"""The running SLA clock stored on each request, so the triage queue filters, sorts and counts in SQL.

`sla.current_clock` says what the clock of a request is now; its state moves with time (on track, due soon,
overdue) without any write, so what is stored are the clock's inputs, in microseconds since 1970:

- a running clock: when it falls due (`sla_due_us`) and from when it is due soon (`sla_warn_us`);
- a paused clock (waiting on the agency): the due time moves with the present (now + time left), so the time
  left when the pause began (`sla_left_us`, negative once overdue) and the time left before it is due soon
  (`sla_warn_left_us`) are stored; a paused clock's state does not change while it waits.

and the request's place in the queue (`queue_stage`: "queue" before assignment, "active" after it, NULL for
drafts and closed requests), so that every queue index starts with one value rather than five statuses.

`stored_clock` computes them like sla.py does (time already paused excluded); a listener recomputes them in
every flush that changes their inputs (status, urgency, milestones, pause counters), whoever wrote them: the
state machine's stamps, the triage services, the agency editing its request, seeding, back-dating. A change of
SLA_TARGETS or SLA_WARNING_FRACTION in the configuration needs `flask coordination refresh-sla`.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from expertnet.coordination import sla
from expertnet.extensions import db
from expertnet.requests.lifecycle import FINAL
from expertnet.requests.models import AssistanceRequest, RequestStatus

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MICROSECOND = timedelta(microseconds=1)
# The triage queue's statuses (before assignment), and those it shows as "assigned or in progress".
QUEUE_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.TRIAGE, RequestStatus.INFO_REQUESTED, RequestStatus.MATCHING,
                  RequestStatus.INVITING)
ACTIVE_STATUSES = (RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS, RequestStatus.ON_HOLD, RequestStatus.DELIVERED,
                   RequestStatus.EVALUATION)
STAGES = {**dict.fromkeys(QUEUE_STATUSES, "queue"), **dict.fromkeys(ACTIVE_STATUSES, "active")}
COLUMNS = ("queue_stage", "sla_milestone", "sla_due_us", "sla_warn_us", "sla_left_us", "sla_warn_left_us")
INPUTS = ("status", "urgency", "submitted_at", "paused_seconds", "paused_since", *sla.REACHED_AT.values())
NO_CLOCK = dict.fromkeys(COLUMNS)
R = AssistanceRequest


def to_us(moment: datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


def stored_clock(assistance_request: AssistanceRequest) -> dict:
    """The queue columns of a request: its stage, and the clock of its first milestone not yet reached, unless
    the request is a draft or closed (then no clock runs and the clock's columns are NULL)."""
    r = assistance_request
    stage = {"queue_stage": STAGES.get(r.status)}  # a status or its value (StrEnum); None before the default
    milestone = next((m for m, name in sla.REACHED_AT.items() if getattr(r, name) is None), None)
    if milestone is None or r.submitted_at is None or r.status in FINAL:
        return {**NO_CLOCK, **stage}
    target = sla.targets_for(r.urgency)[milestone]
    margin = target * current_app.config["SLA_WARNING_FRACTION"]
    due = r.submitted_at + target + timedelta(seconds=r.paused_seconds or 0)  # time paused before now excluded
    if r.paused_since is not None:
        left = due - r.paused_since
        return {**NO_CLOCK, **stage, "sla_milestone": milestone.value, "sla_left_us": left // MICROSECOND,
                "sla_warn_left_us": (left - margin) // MICROSECOND}
    return {**NO_CLOCK, **stage, "sla_milestone": milestone.value, "sla_due_us": to_us(due),
            "sla_warn_us": to_us(due - margin)}


def refresh(assistance_request: AssistanceRequest) -> None:
    """Write the request's SLA columns where they differ (an unchanged request gets no UPDATE)."""
    for name, value in stored_clock(assistance_request).items():
        if getattr(assistance_request, name) != value:
            setattr(assistance_request, name, value)


def _inputs_changed(assistance_request: AssistanceRequest) -> bool:
    state = sa.inspect(assistance_request)
    return state.pending or any(state.attrs[name].history.has_changes() for name in INPUTS)


def _refresh_before_flush(session: Session, _context, _instances) -> None:
    if not has_app_context():
        return
    for row in [*session.new, *session.dirty]:
        if isinstance(row, AssistanceRequest) and _inputs_changed(row):
            refresh(row)


def register() -> None:
    """Listen on every session (once per process, however many apps are created)."""
    if not sa.event.contains(Session, "before_flush", _refresh_before_flush):
        sa.event.listen(Session, "before_flush", _refresh_before_flush)


def refresh_all(batch: int = 1000) -> int:
    """Recompute every request's columns (after a change of the SLA configuration); returns how many changed."""
    changed, last_id = 0, 0
    while True:
        rows = db.session.scalars(sa.select(R).where(R.id > last_id).order_by(R.id).limit(batch)).all()
        if not rows:
            return changed
        for row in rows:
            before = [getattr(row, name) for name in COLUMNS]
            refresh(row)
            changed += before != [getattr(row, name) for name in COLUMNS]
        last_id = rows[-1].id
        db.session.flush()


# ------------------------------------------------------------------ the clock's state and due time in SQL
# Each state as (running clocks, paused clocks): disjoint, so a count is the sum of two index range counts.
def overdue(now_us: int):
    return R.sla_due_us < now_us, R.sla_left_us < 0


def slipping(now_us: int):
    """Due soon or overdue."""
    return R.sla_warn_us <= now_us, R.sla_warn_left_us <= 0


def due_soon(now_us: int):
    return (sa.and_(R.sla_warn_us <= now_us, R.sla_due_us >= now_us),
            sa.and_(R.sla_warn_left_us <= 0, R.sla_left_us >= 0))


def on_track(now_us: int):
    return R.sla_warn_us > now_us, R.sla_warn_left_us > 0


STATE_FILTERS = {"slipping": slipping, sla.SlaState.OVERDUE.value: overdue, sla.SlaState.DUE_SOON.value: due_soon,
                 sla.SlaState.ON_TRACK.value: on_track}


def due_order(now_us: int):
    """When the running clock falls due (a paused one: now + its time left); NULL without a clock."""
    return sa.func.coalesce(R.sla_due_us, now_us + R.sla_left_us)
