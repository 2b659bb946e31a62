"""Factories for the coordination desk: requests at a given age, coordinators, a small matchable network."""
from datetime import timedelta

from expertnet.accounts.models import Role
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_organisation, make_user
from tests.engagements.factories import make_assistance_request, make_expert  # noqa: F401 - re-exported


# Statuses off the main path: the main-path status they branch from, and the note they need.
SIDE_STEPS = {S.INFO_REQUESTED: (S.TRIAGE, "Which sites are concerned?"), S.ON_HOLD: (S.IN_PROGRESS, "Venue."),
              S.REJECTED: (S.TRIAGE, "Out of scope."), S.WITHDRAWN: (S.SUBMITTED, "Solved locally.")}


def aged_request(hours: float, status: S = S.SUBMITTED, coordinator=None, **overrides):
    """A request walked to `status` whose whole history happened in the last `hours` (back-dated)."""
    coordinator = coordinator or make_user(Role.COORDINATOR)
    member = make_user(Role.MEMBER, make_organisation(f"Agency aged {utcnow().timestamp()}"))
    on_path, note = SIDE_STEPS.get(status, (status, ""))
    assistance_request = make_assistance_request(member, on_path, coordinator, **overrides)
    if on_path != status:
        actor = member if status == S.WITHDRAWN else coordinator
        lifecycle.transition(assistance_request, status, actor, note)
        db.session.commit()
    backdate(assistance_request, hours)
    return assistance_request


def backdate(assistance_request, hours: float) -> None:
    """Shift every timestamp of the request (and its timeline) `hours` into the past."""
    delta = timedelta(hours=hours)
    for name in ("submitted_at", "triaged_at", "first_invited_at", "assigned_at", "closed_at", "paused_since",
                 "status_changed_at", "created_at"):
        if getattr(assistance_request, name) is not None:
            setattr(assistance_request, name, getattr(assistance_request, name) - delta)
    for event in assistance_request.events:
        event.occurred_at -= delta
    db.session.commit()


def step(assistance_request, to_status: S, actor, hours_ago: float = 0, note: str = "step") -> None:
    lifecycle.transition(assistance_request, to_status, actor, note, at=utcnow() - timedelta(hours=hours_ago),
                         **lifecycle.backfill_details(to_status))
    db.session.commit()
