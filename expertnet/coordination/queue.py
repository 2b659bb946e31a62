"""The triage queue: open requests with their SLA clock, filtered, sorted, counted and paginated in SQL.

The SLA state and due time come from the clock stored on each request (sla_columns: kept up to date in the
flush of every change), compared with the present in the query; only the rows of the page shown are loaded,
and their clocks computed by sla.py for display. The queue holds the network's open requests, not history.
"""
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from expertnet.coordination import sla, sla_columns
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus, Urgency
from expertnet.taxonomy.models import Topic

R = AssistanceRequest

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


def conditions(filters: QueueFilters, viewer, now_us: int) -> list:
    """The WHERE of a queue view: every filter is SQL, the SLA state from the stored clock (sla_columns)."""
    if filters.status == "active":
        where = [R.status.in_(ACTIVE_STATUSES)]
    elif filters.status:
        where = [R.status == RequestStatus(filters.status)]
    else:
        where = [R.status.in_(QUEUE_STATUSES)]
    if filters.urgency:
        where.append(R.urgency == Urgency(filters.urgency))
    if filters.country:
        where.append(R.country == filters.country.upper())
    if filters.topic:
        where.append(R.topics.any(Topic.slug == filters.topic))
    where += _lead_filter(filters.lead, viewer)
    if filters.q.strip():
        like = f"%{filters.q.strip()}%"
        where.append(sa.or_(R.title.ilike(like), R.reference.ilike(like)))
    if filters.sla in sla_columns.STATE_FILTERS:
        where.append(sla_columns.STATE_FILTERS[filters.sla](now_us))
    return where


def _lead_filter(lead: str, viewer) -> list:
    if lead == "me":
        return [R.lead_coordinator_id == viewer.id]
    if lead == "none":
        return [R.lead_coordinator_id.is_(None)]
    if lead.isdigit():
        return [R.lead_coordinator_id == int(lead)]
    return []


def _order(sort: str, now_us: int) -> list:
    started = sa.func.coalesce(R.submitted_at, R.created_at)  # the age is counted from there
    due = sla_columns.due_order(now_us).nulls_last()  # requests without a running clock last
    urgency = sa.case(*((R.urgency == level, rank) for level, rank in URGENCY_RANK.items()))
    orders = {
        "sla": [due, R.id],
        "age": [started, R.id],
        "priority": [R.priority, urgency, started, R.id],
        "urgency": [urgency, due, R.id],
    }
    return orders.get(sort, orders["sla"])


def triage_queue(filters: QueueFilters, viewer, page: int = 1, per_page: int = 20,
                 now: datetime | None = None) -> Page:
    """One page of the queue: counted, sorted and sliced in SQL; only the page's rows are loaded."""
    now = now or utcnow()
    where = conditions(filters, viewer, sla_columns.to_us(now))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(R).where(*where)) or 0
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    query = (sa.select(R).where(*where).order_by(*_order(filters.sort, sla_columns.to_us(now)))
             .limit(per_page).offset((page - 1) * per_page)
             .options(selectinload(R.organisation), selectinload(R.topics), selectinload(R.lead_coordinator)))
    rows = [QueueRow(r, sla.current_clock(r, now), now - (r.submitted_at or r.created_at))
            for r in db.session.scalars(query)]
    return Page(rows, page, per_page, total)


def view_counts(viewer, now: datetime | None = None) -> dict[str, int]:
    """How many requests each saved view holds, for the view tabs: one SQL query, a filtered count per view."""
    now_us = sla_columns.to_us(now or utcnow())
    counts = [sa.func.count().filter(sa.and_(*conditions(QueueFilters(view=name).with_view(), viewer, now_us)))
              for name in SAVED_VIEWS]
    every_view = conditions(QueueFilters(), viewer, now_us)  # each view narrows the open queue
    return dict(zip(SAVED_VIEWS, db.session.execute(sa.select(*counts).select_from(R).where(*every_view)).one()))
