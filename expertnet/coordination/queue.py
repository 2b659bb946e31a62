"""The triage queue: open requests with their SLA clock, filtered, sorted and paginated.

SLA state is computed (pauses, targets from config), so the candidates are selected in SQL by everything
else and the SLA filter and sort run in Python; the queue holds the network's open requests, not history.
"""
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from expertnet.coordination import sla
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus, Urgency
from expertnet.taxonomy.models import Topic

QUEUE_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.TRIAGE, RequestStatus.INFO_REQUESTED, RequestStatus.MATCHING,
                  RequestStatus.INVITING)
ACTIVE_STATUSES = (RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS, RequestStatus.ON_HOLD, RequestStatus.DELIVERED,
                   RequestStatus.EVALUATION)
URGENCY_RANK = {Urgency.URGENT: 0, Urgency.PRIORITY: 1, Urgency.ROUTINE: 2}
SORTS = ("sla", "age", "priority", "urgency")

# Saved views: named presets of the filters ("urgent unassigned" = urgent and no experts assigned yet).
SAVED_VIEWS = {
    "all": {},
    "urgent_unassigned": {"urgency": "urgent"},
    "waiting_on_agency": {"status": "info_requested"},
    "overdue": {"sla": "overdue"},
    "unled": {"lead": "none"},
    "mine": {"lead": "me"},
}


@dataclass
class QueueFilters:
    view: str = "all"
    status: str = ""  # a RequestStatus value, "active" (after assignment) or "" (everything before assignment)
    urgency: str = ""
    sla: str = ""  # an SlaState value, or "slipping" (due soon or overdue)
    topic: str = ""
    country: str = ""
    lead: str = ""  # "me", "none" or a user id
    q: str = ""
    sort: str = "sla"

    def with_view(self) -> "QueueFilters":
        """The view's presets fill the filters the coordinator left empty."""
        for key, value in SAVED_VIEWS.get(self.view, {}).items():
            if not getattr(self, key):
                setattr(self, key, value)
        return self


@dataclass
class QueueRow:
    request: AssistanceRequest
    clock: sla.SlaClock | None
    age: timedelta


@dataclass
class Page:
    """The slice of rows shown, shaped like Flask-SQLAlchemy's pagination for the pagination macro."""

    items: list
    page: int
    per_page: int
    total: int
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = max(1, math.ceil(self.total / self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def candidates(filters: QueueFilters, viewer) -> sa.Select:
    query = sa.select(AssistanceRequest).options(
        selectinload(AssistanceRequest.organisation), selectinload(AssistanceRequest.topics),
        selectinload(AssistanceRequest.lead_coordinator))
    if filters.status == "active":
        query = query.where(AssistanceRequest.status.in_(ACTIVE_STATUSES))
    elif filters.status:
        query = query.where(AssistanceRequest.status == RequestStatus(filters.status))
    else:
        query = query.where(AssistanceRequest.status.in_(QUEUE_STATUSES))
    if filters.urgency:
        query = query.where(AssistanceRequest.urgency == Urgency(filters.urgency))
    if filters.country:
        query = query.where(AssistanceRequest.country == filters.country.upper())
    if filters.topic:
        query = query.where(AssistanceRequest.topics.any(Topic.slug == filters.topic))
    query = _lead_filter(query, filters.lead, viewer)
    if filters.q.strip():
        like = f"%{filters.q.strip()}%"
        query = query.where(sa.or_(AssistanceRequest.title.ilike(like), AssistanceRequest.reference.ilike(like)))
    return query


def _lead_filter(query, lead: str, viewer):
    if lead == "me":
        return query.where(AssistanceRequest.lead_coordinator_id == viewer.id)
    if lead == "none":
        return query.where(AssistanceRequest.lead_coordinator_id.is_(None))
    if lead.isdigit():
        return query.where(AssistanceRequest.lead_coordinator_id == int(lead))
    return query


def _matches_sla(row: QueueRow, wanted: str) -> bool:
    if not wanted:
        return True
    state = row.clock.state if row.clock else None
    if wanted == "slipping":
        return state in sla.SLIPPING
    return state == sla.SlaState(wanted)


def _sort_key(sort: str):
    far = datetime.max.replace(tzinfo=utcnow().tzinfo)
    keys = {
        "sla": lambda r: (r.clock.due_at if r.clock else far, r.request.id),
        "age": lambda r: (-r.age.total_seconds(), r.request.id),
        "priority": lambda r: (r.request.priority, URGENCY_RANK[r.request.urgency], -r.age.total_seconds()),
        "urgency": lambda r: (URGENCY_RANK[r.request.urgency], r.clock.due_at if r.clock else far),
    }
    return keys.get(sort, keys["sla"])


def triage_queue(filters: QueueFilters, viewer, page: int = 1, per_page: int = 20,
                 now: datetime | None = None) -> Page:
    now = now or utcnow()
    rows = []
    for assistance_request in db.session.scalars(candidates(filters, viewer)):
        started = assistance_request.submitted_at or assistance_request.created_at
        row = QueueRow(assistance_request, sla.current_clock(assistance_request, now), now - started)
        if _matches_sla(row, filters.sla):
            rows.append(row)
    rows.sort(key=_sort_key(filters.sort))
    pages = max(1, math.ceil(len(rows) / per_page))
    page = min(max(page, 1), pages)
    return Page(rows[(page - 1) * per_page: page * per_page], page, per_page, len(rows))


def _in_view(row: QueueRow, preset: dict, viewer) -> bool:
    """Whether a queue row belongs to a saved view (presets use only status, urgency, SLA and lead)."""
    r = row.request
    return ((not preset.get("status") or r.status.value == preset["status"])
            and (not preset.get("urgency") or r.urgency.value == preset["urgency"])
            and _matches_sla(row, preset.get("sla", ""))
            and (preset.get("lead") != "me" or r.lead_coordinator_id == viewer.id)
            and (preset.get("lead") != "none" or r.lead_coordinator_id is None))


def view_counts(viewer, now: datetime | None = None) -> dict[str, int]:
    """How many requests each saved view holds, for the view tabs: one query, each clock computed once."""
    rows = triage_queue(QueueFilters(), viewer, per_page=10_000, now=now).items
    return {name: sum(1 for row in rows if _in_view(row, preset, viewer)) for name, preset in SAVED_VIEWS.items()}
