"""The request follows its engagements (issue 13 bug 4): assigned once an expert accepted, in progress once
one started work, delivered once every engagement still on the request has its report accepted.

Called from the side effects of the invitation and engagement machines (`engagements.machine`), with the
request row already locked by the move, so it runs in the move's transaction. Idempotent: it only moves the
request forward along `lifecycle.FOLLOWS_ENGAGEMENTS`, and a request already there (or elsewhere: on hold,
closed) is left as it is.
"""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from expertnet.engagements.models import Engagement, EngagementStatus
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.models import RequestStatus

WORK_STARTED = frozenset({EngagementStatus.ACTIVE, EngagementStatus.REPORT_SUBMITTED,
                          EngagementStatus.REPORT_ACCEPTED, EngagementStatus.CLOSED})
REPORT_DONE = frozenset({EngagementStatus.REPORT_ACCEPTED, EngagementStatus.CLOSED})
# The timeline note of each move the engagements make (the request's page shows it).
NOTES = {RequestStatus.ASSIGNED: _l("An expert accepted: the request is assigned."),
         RequestStatus.IN_PROGRESS: _l("An expert started work."),
         RequestStatus.DELIVERED: _l("Every expert's completion report is accepted.")}


def engagement_statuses(assistance_request) -> list[EngagementStatus]:
    """The statuses of the engagements still on the request (a withdrawn or replaced expert's is not)."""
    return list(db.session.scalars(sa.select(Engagement.status).where(
        Engagement.request_id == assistance_request.id, Engagement.status != EngagementStatus.WITHDRAWN)))


def accepted_count(assistance_request) -> int:
    """Experts on the request now: a withdrawn or replaced expert's acceptance no longer counts."""
    return len(engagement_statuses(assistance_request))


def stage_of(statuses: list[EngagementStatus]) -> RequestStatus:
    """Where engagements in `statuses` put their request."""
    if not statuses:
        return RequestStatus.INVITING
    if all(status in REPORT_DONE for status in statuses):
        return RequestStatus.DELIVERED
    if any(status in WORK_STARTED for status in statuses):
        return RequestStatus.IN_PROGRESS
    return RequestStatus.ASSIGNED


def request_follows_engagements(assistance_request) -> None:
    """Move the request forward to where its engagements are, one legal step at a time (as the system)."""
    road = lifecycle.FOLLOWS_ENGAGEMENTS
    if assistance_request.status not in road:
        return
    here, there = road.index(assistance_request.status), road.index(stage_of(engagement_statuses(assistance_request)))
    for status in road[here + 1:there + 1]:
        lifecycle.transition(assistance_request, status, None, str(NOTES[status]))
