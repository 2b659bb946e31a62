"""The triage queue pages in the database (issue 15): its order, filters, pages and view counts equal the former
Python computation (every open request loaded, sla.py's clocks, filtered and sorted in Python), the stored SLA
columns follow every change of their inputs, the migration fills them for existing rows, and a page costs the
same number of SQL statements at any size."""
import itertools
import math
import random
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from expertnet.accounts.models import Role
from expertnet.coordination import sla, sla_columns
from expertnet.groups.access import is_regional_coordinator
from expertnet.coordination.queue import (ACTIVE_STATUSES, QUEUE_STATUSES, SAVED_VIEWS, URGENCY_RANK, QueueFilters,
                                          triage_queue, view_counts)
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus as S, Urgency
from tests.conftest import POSTGRES_URL, make_user
from tests.coordination.factories import aged_request, backdate, step
from tests.coordination.test_triage import listed

PER_PAGE = 4
TOPICS = ("customs-interdiction", "decontamination")


# ------------------------------------------------------------------ the former computation, as a reference
def python_queue(filters: QueueFilters, viewer, now: datetime) -> list[int]:
    """What queue.py computed before issue 15: every candidate loaded, its clock from sla.py, filtered and
    sorted in Python (the id added where the old sort left ties to the database's order)."""
    wanted = {"": QUEUE_STATUSES, "active": ACTIVE_STATUSES}.get(filters.status) or (S(filters.status),)
    rows = []
    for r in db.session.scalars(sa.select(AssistanceRequest).where(AssistanceRequest.status.in_(wanted))):
        if filters.urgency and r.urgency != Urgency(filters.urgency):
            continue
        if filters.country and r.country != filters.country.upper():
            continue
        if filters.topic and filters.topic not in {t.slug for t in r.topics}:
            continue
        if filters.lead == "me" and r.lead_coordinator_id != viewer.id:
            continue
        if filters.lead == "none" and r.lead_coordinator_id is not None:
            continue
        if filters.lead.isdigit() and r.lead_coordinator_id != int(filters.lead):
            continue
        if filters.q and filters.q.lower() not in f"{r.title}\n{r.reference}".lower():
            continue
        clock = sla.current_clock(r, now)
        state = clock.state if clock else None
        if filters.sla == "slipping" and state not in sla.SLIPPING:
            continue
        if filters.sla and filters.sla != "slipping" and state != sla.SlaState(filters.sla):
            continue
        rows.append((r, clock, now - (r.submitted_at or r.created_at)))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    keys = {
        "sla": lambda x: (x[1].due_at if x[1] else far, x[0].id),
        "age": lambda x: (-x[2].total_seconds(), x[0].id),
        "priority": lambda x: (x[0].priority, URGENCY_RANK[x[0].urgency], -x[2].total_seconds(), x[0].id),
        "urgency": lambda x: (URGENCY_RANK[x[0].urgency], x[1].due_at if x[1] else far, x[0].id),
    }
    return [x[0].id for x in sorted(rows, key=keys[filters.sort])]


def sql_queue(filters: QueueFilters, viewer, now: datetime) -> list[int]:
    """Every page of the SQL queue, one after the other."""
    first = triage_queue(filters, viewer, page=1, per_page=PER_PAGE, now=now)
    ids = [row.request.id for row in first.items]
    for number in range(2, first.pages + 1):
        ids += [row.request.id for row in triage_queue(filters, viewer, page=number, per_page=PER_PAGE, now=now).items]
    assert first.total == len(ids) and first.pages == max(1, math.ceil(len(ids) / PER_PAGE))
    return ids


# ------------------------------------------------------------------ a network with requests in every state
@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR, full_name="Queue Coordinator")


@pytest.fixture
def seeded(app, coordinator):
    """Requests in every status, urgency and SLA state (on track, due soon, overdue; paused, resumed after a
    pause, paused twice), with and without a lead, in two countries, with two topics."""
    rng = random.Random(15)
    colleague = make_user(Role.COORDINATOR)
    statuses = [*QUEUE_STATUSES, *QUEUE_STATUSES, S.SUBMITTED, S.TRIAGE, S.INFO_REQUESTED, S.ASSIGNED, S.ON_HOLD,
                S.IN_PROGRESS, S.CLOSED, S.REJECTED, S.WITHDRAWN]
    made = []
    for number, (status, urgency) in enumerate(itertools.product(statuses, list(Urgency))):
        if number % 3:  # a third of the product keeps the set quick to build and still covers every pair
            continue
        made.append(aged_request(rng.choice((1, 3, 5, 20, 30, 60, 80, 140, 200, 400)), status, coordinator,
                                 urgency=urgency, urgency_reason="Summit", country=rng.choice(("EG", "JO")),
                                 title=f"Request {number} {rng.choice(('port', 'lab'))}",
                                 topics=(rng.choice(TOPICS),)))
    for status, urgency in itertools.product(QUEUE_STATUSES, list(Urgency)):
        made.append(aged_request(rng.choice((2, 10, 50, 100, 300)), status, coordinator, urgency=urgency,
                                 urgency_reason="Summit", country="EG", title=f"Second {status} port"))
    # Paused, resumed, paused again: time waited on the agency before now excluded, the current pause frozen.
    for hours in (20, 90, 200, 400):
        r = aged_request(hours, S.TRIAGE, coordinator, title=f"Paused twice {hours}")
        step(r, S.INFO_REQUESTED, coordinator, hours_ago=hours * 0.8)
        step(r, S.TRIAGE, coordinator, hours_ago=hours * 0.5)
        step(r, S.INFO_REQUESTED, coordinator, hours_ago=hours * 0.2)
        made.append(r)
        resumed = aged_request(hours, S.TRIAGE, coordinator, title=f"Resumed {hours}")
        step(resumed, S.INFO_REQUESTED, coordinator, hours_ago=hours * 0.7)
        step(resumed, S.TRIAGE, coordinator, hours_ago=hours * 0.1)
        made.append(resumed)
    for number, r in enumerate(made):
        r.lead_coordinator_id = (None, coordinator.id, colleague.id)[number % 3]
        r.priority = 1 + number % 5
    db.session.commit()
    return made


FILTERS = [
    {}, {"urgency": "urgent"}, {"status": "info_requested"}, {"status": "triage"}, {"status": "active"},
    {"sla": "overdue"}, {"sla": "due_soon"}, {"sla": "on_track"}, {"sla": "slipping"}, {"lead": "me"},
    {"lead": "none"}, {"country": "eg"}, {"topic": "decontamination"}, {"q": "port"},
    {"urgency": "routine", "sla": "slipping", "lead": "none"}, {"status": "active", "sla": "overdue"},
]


@pytest.mark.parametrize("later", [0, 30, 24 * 20], ids=["now", "30h later", "20 days later"])
def test_every_filter_sort_and_page_equals_the_python_computation(app, coordinator, seeded, later):
    now = utcnow() + timedelta(hours=later)  # the stored columns are unchanged; the states move with time
    assert len({r.id for r in seeded}) > 40
    for params, sort in itertools.product(FILTERS, ("sla", "age", "priority", "urgency")):
        filters = QueueFilters(sort=sort, **params)
        assert sql_queue(filters, coordinator, now) == python_queue(filters, coordinator, now), (params, sort)
    for name in SAVED_VIEWS:
        filters = QueueFilters(view=name).with_view()
        assert sql_queue(filters, coordinator, now) == python_queue(filters, coordinator, now), name
    expected = {name: len(python_queue(QueueFilters(view=name).with_view(), coordinator, now)) for name in SAVED_VIEWS}
    assert view_counts(coordinator, now=now) == expected
    assert all(expected.values()), "every saved view holds requests in this set"


def test_the_page_shows_what_it_showed(client, auth, coordinator, seeded):
    """Through the page: each saved view and sort lists the Python computation's first page."""
    auth.login(coordinator)
    now = utcnow()
    for name, sort in itertools.product(SAVED_VIEWS, ("sla", "age", "priority", "urgency")):
        expected = python_queue(QueueFilters(view=name, sort=sort).with_view(), coordinator, now)[:20]
        assert listed(client, view=name, sort=sort) == expected, (name, sort)


# ------------------------------------------------------------------ the columns follow every change
def stored(r) -> dict:
    db.session.refresh(r)
    return {name: getattr(r, name) for name in sla_columns.COLUMNS}


def assert_follows(r, now=None):
    """The stored columns are what sla_columns computes afresh, and give sla.py's due time and state."""
    now = now or utcnow()
    columns = stored(r)
    assert columns == sla_columns.stored_clock(r)
    clock = sla.current_clock(r, now)
    if clock is None:
        assert columns["sla_due_us"] is None and columns["sla_left_us"] is None
        return None
    due = columns["sla_due_us"] if columns["sla_due_us"] is not None else sla_columns.to_us(now) + columns["sla_left_us"]
    assert due == sla_columns.to_us(clock.due_at) and columns["sla_milestone"] == clock.milestone.value
    in_state = triage_queue(QueueFilters(sla=clock.state.value, status=r.status.value), None, per_page=500, now=now)
    assert r.id in [row.request.id for row in in_state.items]
    return clock


def move(client, r, to_status, note=""):
    response = client.post(f"/coordination/requests/{r.id}/move", data={"to_status": to_status, "note": note})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def test_columns_follow_status_pause_resume_priority_and_urgency(client, auth, coordinator):
    auth.login(coordinator)
    r = aged_request(60, coordinator=coordinator)  # routine, 60 h of 72 for triage: due soon
    assert assert_follows(r).state == sla.SlaState.DUE_SOON
    move(client, r, "triage")  # triage reached: the first invitation's clock (168 h) runs
    clock = assert_follows(r)
    assert clock.milestone == sla.Milestone.FIRST_INVITATION and clock.state == sla.SlaState.ON_TRACK
    move(client, r, "info_requested", "Which sites?")  # paused: time left frozen
    paused = stored(r)
    assert paused["sla_due_us"] is None and paused["sla_left_us"] is not None
    assert_follows(r)
    assert_follows(r, now=utcnow() + timedelta(days=30)), "a paused clock does not run out"
    backdate(r, 24)  # waited a day
    move(client, r, "triage")  # resumed: the day waited is excluded from the due time
    resumed = assert_follows(r)
    assert resumed.due_at - r.submitted_at == pytest.approx(timedelta(hours=168 + 24), abs=timedelta(seconds=5))
    assert client.post(f"/coordination/requests/{r.id}/priority", data={"priority": 1}).status_code == 303
    other = aged_request(60, coordinator=coordinator)
    assert listed(client, sort="priority")[0] == r.id, "the priority sort follows at once"
    r.urgency, r.urgency_reason = Urgency.URGENT, "Summit"  # urgent: 24 h to the first invitation, long gone
    db.session.commit()
    assert assert_follows(r).state == sla.SlaState.OVERDUE
    assert listed(client, view="overdue") == [r.id] and other.id in listed(client, sla="due_soon")
    move(client, r, "rejected", "Out of scope.")  # closed: no clock, out of the queue
    assert stored(r)["sla_milestone"] is None and stored(r)["queue_stage"] is None
    assert r.id not in listed(client)


def test_an_unchanged_request_is_not_rewritten(app, coordinator):
    r = aged_request(5, coordinator=coordinator)
    version = r.version
    r.title = r.title  # nothing changes: no UPDATE, the version (optimistic lock) stays
    db.session.commit()
    r.lead_coordinator = coordinator  # not an SLA input: columns untouched, one UPDATE
    db.session.commit()
    assert r.version == version + 1
    assert_follows(r)


def test_refresh_command_follows_a_new_configuration(app, runner, coordinator):
    r = aged_request(10, coordinator=coordinator)
    before = stored(r)
    app.config["SLA_TARGETS"] = {**app.config["SLA_TARGETS"], "routine": {"triage": 1, "first_invitation": 2,
                                                                          "assignment": 3}}
    result = runner.invoke(args=["coordination", "refresh-sla"])
    assert "1 requests updated" in result.output
    assert stored(r) != before and assert_follows(r).state == sla.SlaState.OVERDUE


# ------------------------------------------------------------------ the migration fills existing rows
def test_migration_backfills_the_columns(app, coordinator, seeded):
    expected = {r.id: {name: getattr(r, name) for name in sla_columns.COLUMNS} for r in seeded}
    db.session.commit()
    db.session.remove()
    downgrade(revision="c4e8a2f6d1b3")
    upgrade()
    db.session.expire_all()
    found = {r.id: {name: getattr(r, name) for name in sla_columns.COLUMNS}
             for r in db.session.scalars(sa.select(AssistanceRequest))}
    assert found == expected
    assert sum(1 for columns in found.values() if columns["sla_left_us"] is not None) >= 4, "paused ones too"


# ------------------------------------------------------------------ the cost of a page
def test_statements_per_page_do_not_grow_with_rows(app, client, auth, coordinator):
    app.config["QUEUE_CACHE_SECONDS"] = 0  # what a page costs when it counts (kept counts: tests/coordination/test_queue_cache.py)
    auth.login(coordinator)
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))

    def cost(**params) -> int:
        statements.clear()
        assert client.get("/coordination/queue", query_string=params).status_code == 200
        return len(statements)

    for hours in (1, 70, 100):
        aged_request(hours, coordinator=coordinator, topics=TOPICS)
    small = {name: cost(**params) for name, params in (("all", {}), ("overdue", {"view": "overdue"}),
                                                         ("age", {"sort": "age", "page": 2}))}
    for number in range(30):
        aged_request(number * 7 % 200 + 1, (S.SUBMITTED, S.INFO_REQUESTED)[number % 2], coordinator,
                     topics=TOPICS)
    large = {name: cost(**params) for name, params in (("all", {}), ("overdue", {"view": "overdue"}),
                                                         ("age", {"sort": "age", "page": 2}))}
    assert large == small


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL counts the views in one pass (SQLite: an index range each)")
def test_the_view_tabs_are_counted_in_one_statement(app, coordinator, seeded):
    """Each saved view a FILTER of one pass over the queue (a count per view read the queue six times over)."""
    statements, _ = [], coordinator.id  # the viewer loaded first
    assert not is_regional_coordinator(coordinator)  # the viewer's scope is known once per request (groups.access)

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        counts = view_counts(coordinator)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) == 1 and set(counts) == set(SAVED_VIEWS)


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only: trigram index and planner statistics")
def test_postgresql_searches_by_trigram_and_knows_the_queue_has_clocks(app):
    indexdef = db.session.scalar(sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                                 {"name": "ix_assistance_request_search_trgm"})
    assert "USING gin" in indexdef and indexdef.count("gin_trgm_ops") == 2
    kinds = db.session.scalar(sa.text("SELECT stxkind FROM pg_statistic_ext WHERE stxname = :name"),
                              {"name": "st_assistance_request_stage_status_milestone"})
    assert "m" in kinds  # most common combinations of stage, status and milestone
    with db.session.begin_nested():  # the search may use the index (sequential scans priced out)
        db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(sa.text(
            "EXPLAIN SELECT id FROM assistance_request WHERE title ILIKE '%port%' OR reference ILIKE '%port%'")))
    assert "ix_assistance_request_search_trgm" in plan, plan
