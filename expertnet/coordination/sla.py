"""SLA clocks for requests: targets per urgency (config SLA_TARGETS, hours), time waiting on the agency excluded.

The clock starts at submission. Three milestones are measured, each against its own target:
triage (the request entered triage), first invitation (entered inviting) and assignment (assigned).
A milestone not reached yet is on_track, due_soon (less than SLA_WARNING_FRACTION of its target left)
or overdue; a reached one is met, or missed when it came late. A request closed, rejected or withdrawn
before a milestone stops that clock (state "stopped").
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app

from expertnet.db import utcnow
from expertnet.requests.lifecycle import FINAL as STOPPED, PAUSED
from expertnet.requests.models import AssistanceRequest, Urgency

PAUSED_VALUES = frozenset(status.value for status in PAUSED)


# Each member's value is its lower-cased name (StrEnum).
Milestone = StrEnum("Milestone", "TRIAGE FIRST_INVITATION ASSIGNMENT")
SlaState = StrEnum("SlaState", "ON_TRACK DUE_SOON OVERDUE MET MISSED STOPPED")


OPEN_STATES = (SlaState.ON_TRACK, SlaState.DUE_SOON, SlaState.OVERDUE)
SLIPPING = (SlaState.DUE_SOON, SlaState.OVERDUE)
REACHED_AT = {Milestone.TRIAGE: "triaged_at", Milestone.FIRST_INVITATION: "first_invited_at",
              Milestone.ASSIGNMENT: "assigned_at"}


@dataclass(frozen=True)
class SlaClock:
    milestone: Milestone
    state: SlaState
    target: timedelta
    due_at: datetime
    reached_at: datetime | None

    @property
    def remaining(self) -> timedelta:
        return self.due_at - utcnow()

    @property
    def is_slipping(self) -> bool:
        return self.state in SLIPPING


def targets_for(urgency: Urgency) -> dict[Milestone, timedelta]:
    hours = current_app.config["SLA_TARGETS"][Urgency(urgency).value]
    return {milestone: timedelta(hours=hours[milestone.value]) for milestone in Milestone}


def paused_until(assistance_request: AssistanceRequest, moment: datetime, from_timeline: bool = False) -> timedelta:
    """Time spent waiting on the agency before `moment`.

    From the request's counters by default: exact for every milestone not yet reached, since nothing can have
    happened after now. A reached milestone is measured `from_timeline`, so that a later pause (on hold during
    the work) does not flatter it.
    """
    if from_timeline and assistance_request.events:
        return _paused_from_events(assistance_request, moment)
    paused = timedelta(seconds=assistance_request.paused_seconds or 0)
    if assistance_request.paused_since is not None and assistance_request.paused_since < moment:
        paused += moment - assistance_request.paused_since
    return paused


def _paused_from_events(assistance_request: AssistanceRequest, moment: datetime) -> timedelta:
    paused, since = timedelta(), None
    for event in assistance_request.events:
        if event.occurred_at >= moment:
            break
        if event.to_status in PAUSED_VALUES and since is None:
            since = event.occurred_at
        elif event.to_status not in PAUSED_VALUES and since is not None:
            paused, since = paused + (event.occurred_at - since), None
    if since is not None:
        paused += moment - since
    return paused


def clock(assistance_request: AssistanceRequest, milestone: Milestone, now: datetime | None = None) -> SlaClock | None:
    """The state of one milestone's clock; None before submission (drafts have no clock)."""
    submitted = assistance_request.submitted_at
    if submitted is None:
        return None
    now = now or utcnow()
    target = targets_for(assistance_request.urgency)[milestone]
    reached = getattr(assistance_request, REACHED_AT[milestone])
    measured_at = reached or now
    due_at = submitted + target + paused_until(assistance_request, measured_at, from_timeline=reached is not None)
    return SlaClock(milestone, _state(assistance_request, reached, due_at, target, now), target, due_at, reached)


def _state(assistance_request, reached, due_at, target, now) -> SlaState:
    if reached is not None:
        return SlaState.MET if reached <= due_at else SlaState.MISSED
    if assistance_request.status in STOPPED:
        return SlaState.STOPPED
    if now > due_at:
        return SlaState.OVERDUE
    if due_at - now <= target * current_app.config["SLA_WARNING_FRACTION"]:
        return SlaState.DUE_SOON
    return SlaState.ON_TRACK


def clocks(assistance_request: AssistanceRequest, now: datetime | None = None) -> list[SlaClock]:
    now = now or utcnow()
    found = [clock(assistance_request, milestone, now) for milestone in Milestone]
    return [c for c in found if c is not None]


def current_clock(assistance_request: AssistanceRequest, now: datetime | None = None) -> SlaClock | None:
    """The clock that matters now: the first milestone not yet reached (None when all are reached or stopped).

    Reached milestones are skipped unmeasured, so a list of requests never loads their timelines."""
    for milestone in Milestone:
        if getattr(assistance_request, REACHED_AT[milestone]) is None:
            item = clock(assistance_request, milestone, now)
            return item if item is not None and item.state in OPEN_STATES else None
    return None


def elapsed_to(assistance_request: AssistanceRequest, milestone: Milestone) -> timedelta | None:
    """Working time from submission to a reached milestone (pauses excluded), for the dashboard medians."""
    reached = getattr(assistance_request, REACHED_AT[milestone])
    if reached is None or assistance_request.submitted_at is None:
        return None
    return reached - assistance_request.submitted_at - paused_until(assistance_request, reached, from_timeline=True)
