"""Following engagements: withdrawing or replacing an expert keeps the history and frees the capacity;
refused steps are clear errors; list pages do not grow queries with the number of rows."""
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.audit.models import AuditEvent
from expertnet.engagements.models import Engagement, EngagementStatus
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_user
from tests.coordination.factories import aged_request, make_assistance_request, make_expert
from tests.engagements.factories import accept, invite


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def engaged(coordinator):
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator)
    profile = make_expert(capacity=1)
    return accept(invite(coordinator, assistance_request, profile))


def act(client, engagement, action, reason=""):
    return client.post(f"/coordination/engagements/{engagement.id}/act", data={"action": action, "reason": reason})


def test_replace_withdraws_keeps_history_and_reopens_matching(client, auth, coordinator, engaged):
    auth.login(coordinator)
    assert act(client, engaged, "replace").status_code == 422, "a reason is required"
    response = act(client, engaged, "replace", "Fell ill before the mission.")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/coordination/requests/{engaged.request_id}/suggestions")
    db.session.expire_all()
    engagement = db.session.get(Engagement, engaged.id)
    assert engagement.status == EngagementStatus.WITHDRAWN
    assert engagement.withdrawal_reason == "Fell ill before the mission." and engagement.closed_at
    assert engagement.expert.commitments == 0, "the expert's capacity is released"
    assert engagement.request.status == S.MATCHING
    desk = client.get(f"/coordination/requests/{engaged.request_id}").get_data(as_text=True)
    assert "Fell ill before the mission." in desk and "Withdrawn" in desk
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "engagement", AuditEvent.object_id == engaged.id)).all()
    assert "engagement.withdrawn" in actions and "engagement.replacement_sought" in actions


def test_refused_steps_are_409_and_change_nothing(client, auth, coordinator, engaged):
    auth.login(coordinator)
    assert act(client, engaged, "close").status_code == 409
    assert act(client, engaged, "accept_report").status_code == 409
    assert act(client, engaged, "explode").status_code == 400
    response = client.post(f"/coordination/engagements/{engaged.id}/plan",
                           data={"planned_start": "2031-05-10", "planned_end": "2031-05-01"})
    assert response.status_code == 422 and "The end cannot be before the start." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Engagement, engaged.id).status == EngagementStatus.PLANNED


def _diff(few, more):
    import collections, re
    norm = lambda xs: collections.Counter(re.sub(r"\(\?(, \?)*\)", "(?)", x)[-300:] for x in xs)
    return norm(more) - norm(few)


@contextmanager
def counted_queries():
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


LIST_PAGES = ["/coordination/queue", "/coordination/engagements", "/coordination/dashboard",
              "/coordination/export/requests.csv", "/coordination/export/engagements.csv"]


def test_list_pages_do_not_grow_queries_with_rows(app, client, auth, coordinator):
    app.config["QUEUE_CACHE_SECONDS"] = 0  # what a page costs when it counts (kept counts: tests/coordination/test_queue_cache.py)
    coordinator_id = coordinator.id

    def add_rows():
        who = db.session.get(User, coordinator_id)
        for hours in (3, 30):
            aged_request(hours, coordinator=who)
        accept(invite(who, make_assistance_request(status=S.MATCHING, coordinator=who), make_expert()))

    def count_all() -> dict[str, list]:
        counts = {}
        for path in LIST_PAGES:
            # A fresh app context per count (own session and g), as a real request has.
            with app.app_context(), counted_queries() as statements:
                assert client.get(path).status_code == 200, path
            counts[path] = statements
        return counts

    add_rows()
    auth.login(coordinator)
    count_all()  # warm up (the matcher index, caches)
    few = count_all()
    add_rows()
    add_rows()
    more = count_all()
    for path in LIST_PAGES:
        assert len(more[path]) == len(few[path]), (path, _diff(few[path], more[path]))
