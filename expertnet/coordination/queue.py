"""The triage queue: open requests with their SLA clock, filtered, sorted, counted and paginated in SQL.

The SLA state and due time come from the clock stored on each request (sla_columns: kept up to date in the
flush of every change), compared with the present in the query; only the rows of the page shown are loaded,
and their clocks computed by sla.py for display. The queue holds the network's open requests, not history.
"""
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from expertnet.coordination import sla, sla_columns
from expertnet.coordination.sla_columns import ACTIVE_STATUSES, QUEUE_STATUSES  # noqa: F401 - forms, digest
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests.access import staff_scope
from expertnet.requests.models import AssistanceRequest, RequestStatus, Urgency, request_topic
from expertnet.taxonomy.models import Topic

R = AssistanceRequest

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


def _status_filter(filters: QueueFilters):
    if filters.status == "active":
        return R.queue_stage == "active"
    return R.status == RequestStatus(filters.status) if filters.status else R.queue_stage == "queue"


def conditions(filters: QueueFilters, viewer) -> list:
    """The WHERE of a queue view without its SLA state: every filter is SQL."""
    return [_status_filter(filters), *_narrowing(filters, viewer)]


def sla_state(filters: QueueFilters, now_us: int) -> tuple:
    """The SLA filter as (running clocks, paused clocks), each from the stored clock (sla_columns); () for any."""
    return sla_columns.STATE_FILTERS[filters.sla](now_us) if filters.sla in sla_columns.STATE_FILTERS else ()


def count(filters: QueueFilters, viewer, now_us: int) -> int:
    """How many requests a view holds: with an SLA filter, running and paused clocks counted apart (each an
    index range), as an OR of both would read every row."""
    where = conditions(filters, viewer)
    parts = [(part,) for part in sla_state(filters, now_us)] or [()]
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(R).where(*where, *part)) or 0
               for part in parts)


def _narrowing(filters: QueueFilters, viewer) -> list:
    """Every filter but the status and the SLA state, after the viewer's scope (a regional coordinator's regions)."""
    where = staff_scope(viewer)
    if filters.urgency:
        where.append(R.urgency == Urgency(filters.urgency))
    if filters.country:
        where.append(R.country == filters.country.upper())
    if filters.topic:
        where.append(R.id.in_(sa.select(request_topic.c.request_id).join(Topic).where(Topic.slug == filters.topic)))
    where += _lead_filter(filters.lead, viewer)
    if filters.q.strip():
        like = f"%{filters.q.strip()}%"
        where.append(sa.or_(R.title.ilike(like), R.reference.ilike(like)))
    return where


def _lead_filter(lead: str, viewer) -> list:
    if lead == "me":
        return [R.lead_coordinator_id == viewer.id]
    if lead == "none":
        return [R.lead_coordinator_id.is_(None)]
    if lead.isdigit():
        return [R.lead_coordinator_id == int(lead)]
    return []


@dataclass(frozen=True)
class Branch:
    """Queue rows of one shape that an index hands out already in order: what selects them, the sort keys they
    give the merge (the same labels in every branch of a sort) and their order."""

    where: tuple
    keys: dict
    order: tuple


def _clock_branches(now_us: int, *where, state: tuple = ()) -> list[Branch]:
    """Running clocks by due time, paused ones by time left (due now + left), then requests without a clock;
    an SLA filter applies its running part to running clocks and its paused part to paused ones."""
    running, paused = ((part,) for part in state) if state else ((), ())
    no_due = sa.cast(sa.null(), sa.BigInteger)
    branches = [Branch((*where, R.sla_due_us.is_not(None), *running), {"due": R.sla_due_us}, (R.sla_due_us, R.id)),
                Branch((*where, R.sla_left_us.is_not(None), *paused), {"due": now_us + R.sla_left_us},
                       (R.sla_left_us, R.id))]
    if state:
        return branches  # a request without a clock is in no SLA state
    return [*branches, Branch((*where, R.sla_milestone.is_(None)), {"due": no_due}, (R.id,))]


def _age_branches(*where, keys=None, order=()) -> list[Branch]:
    """The age runs from submission (from creation for a request never submitted)."""
    keys = keys or {}
    return [Branch((*where, R.submitted_at.is_not(None)), {**keys, "started": R.submitted_at},
                   (*order, R.submitted_at, R.id)),
            Branch((*where, R.submitted_at.is_(None)), {**keys, "started": R.created_at}, (*order, R.created_at, R.id))]


def _branches(sort: str, now_us: int, state: tuple) -> tuple[list[Branch], Callable]:
    """How each sort is read from the indexes, and the merge's order over the branches' keys."""
    in_state = (sa.or_(*state),) if state else ()
    if sort == "age":
        return _age_branches(*in_state), lambda u: [u.c.started, u.c.id]
    if sort == "priority":
        submitted = [_age_branches(R.urgency == level, *in_state, order=(R.priority,),
                                   keys={"priority": R.priority, "rank": sa.literal(rank)})[0]
                     for level, rank in URGENCY_RANK.items()]
        rank = sa.case(*((R.urgency == level, rank) for level, rank in URGENCY_RANK.items()))
        never_submitted = _age_branches(*in_state, keys={"priority": R.priority, "rank": rank})[1]
        return [*submitted, never_submitted], lambda u: [u.c.priority, u.c.rank, u.c.started, u.c.id]
    if sort == "urgency":
        return ([Branch(b.where, {"rank": sa.literal(rank), **b.keys}, b.order)
                 for level, rank in URGENCY_RANK.items()
                 for b in _clock_branches(now_us, R.urgency == level, state=state)],
                lambda u: [u.c.rank, u.c.due.nulls_last(), u.c.id])
    return _clock_branches(now_us, state=state), lambda u: [u.c.due.nulls_last(), u.c.id]  # "sla" by default


def page_ids(filters: QueueFilters, viewer, now_us: int, limit: int, offset: int) -> list[int]:
    """The ids of one page in the sort's order: each branch (one shape of row) reads at most offset + limit rows
    in the order of an index (led by the queue stage, the status or the lead), and SQL merges them (LIMIT and
    OFFSET over the merge), so a first page costs about the same at 1k or 100k requests."""
    branches, merged_order = _branches(filters.sort, now_us, sla_state(filters, now_us))
    where = conditions(filters, viewer)
    parts = [sa.select(R.id, *(expr.label(label) for label, expr in b.keys.items()))
             .where(*where, *b.where).order_by(*b.order).limit(offset + limit).subquery() for b in branches]
    union = sa.union_all(*(sa.select(*part.c) for part in parts)).subquery()
    return list(db.session.scalars(sa.select(union.c.id).order_by(*merged_order(union)).limit(limit).offset(offset)))


ROW_FILTERS = ("status", "urgency", "sla", "topic", "country", "lead", "q")  # what selects rows (not the sort)


def _rows_of(filters: QueueFilters) -> tuple:
    return tuple(getattr(filters, name) for name in ROW_FILTERS)


def _saved_view_of(filters: QueueFilters) -> str | None:
    """The saved view whose rows these filters select (whatever their sort), if any."""
    return next((name for name in SAVED_VIEWS if _rows_of(QueueFilters(view=name).with_view()) == _rows_of(filters)),
                None)


def triage_queue(filters: QueueFilters, viewer, page: int = 1, per_page: int = 20,
                 now: datetime | None = None, counts: dict[str, int] | None = None) -> Page:
    """One page of the queue: counted, sorted and sliced in SQL; only the page's rows are loaded (`counts`:
    `view_counts` at the same `now`, whose count serves when the filters are a saved view's)."""
    now = now or utcnow()
    now_us = sla_columns.to_us(now)
    view = _saved_view_of(filters) if counts else None
    total = counts[view] if counts and view else count(filters, viewer, now_us)
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    ids = page_ids(filters, viewer, now_us, per_page, (page - 1) * per_page)
    loaded = {r.id: r for r in db.session.scalars(sa.select(R).where(R.id.in_(ids)).options(
        selectinload(R.organisation), selectinload(R.topics), selectinload(R.lead_coordinator)))}
    rows = [QueueRow(r, sla.current_clock(r, now), now - (r.submitted_at or r.created_at))
            for r in (loaded[i] for i in ids)]
    return Page(rows, page, per_page, total)


def view_counts(viewer, now: datetime | None = None) -> dict[str, int]:
    """How many requests each saved view holds, for the view tabs. PostgreSQL: one pass over the queue (every
    saved view selects requests before assignment), each view a FILTER of it, read from one covering index (a
    count per view read the queue's index entries six times over). SQLite counts an index range faster than it
    evaluates the FILTERs row by row: a count per view, each answered from an index."""
    now_us = sla_columns.to_us(now or utcnow())
    views = {name: QueueFilters(view=name).with_view() for name in SAVED_VIEWS}
    if db.session.get_bind().dialect.name != "postgresql":
        return {name: count(filters, viewer, now_us) for name, filters in views.items()}
    counted = []
    for name, filters in views.items():
        assert filters.status != "active", "a saved view selects requests before assignment"
        state = sla_state(filters, now_us)
        where = [*([R.status == RequestStatus(filters.status)] if filters.status else []), *_narrowing(filters, viewer),
                 *((sa.or_(*state),) if state else ())]
        counted.append(sa.func.count().filter(sa.and_(sa.true(), *where)).label(name))
    row = db.session.execute(sa.select(*counted).select_from(R).where(R.queue_stage == "queue")).one()
    return {name: row._mapping[name] or 0 for name in SAVED_VIEWS}
