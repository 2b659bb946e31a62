"""The triage queue's kept tab counts (queue_cache, issue 15): this process's writes are counted on the next page,
another process's within QUEUE_CACHE_SECONDS, and 0 keeps nothing."""
import re

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.coordination import queue_cache
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, Urgency
from tests.conftest import make_user
from tests.coordination.factories import aged_request


def tab(client, view: str) -> int:
    page = client.get("/coordination/queue").get_data(as_text=True)
    return int(re.search(rf'view={view}"[^>]*>[^<]*<span class="badge">(\d+)<', page).group(1))


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def queued(app, client, auth, coordinator):
    auth.login(coordinator)
    return [aged_request(hours, coordinator=coordinator, urgency=Urgency.ROUTINE) for hours in (1, 5)]


def other_process_makes_urgent(app, request_id: int) -> None:
    """A write another process sends (its own engine: this process's listeners never see it as ours)."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.begin() as connection:
            connection.execute(sa.update(AssistanceRequest.__table__).where(AssistanceRequest.id == request_id)
                               .values(urgency=Urgency.URGENT))
    finally:
        engine.dispose()


def test_this_process_writes_are_counted_at_once(client, coordinator, queued):
    assert tab(client, "all") == 2 and tab(client, "urgent_unassigned") == 0
    aged_request(2, coordinator=coordinator, urgency=Urgency.URGENT, urgency_reason="A port closes.")  # the ORM's flush
    assert tab(client, "all") == 3 and tab(client, "urgent_unassigned") == 1
    db.session.execute(sa.update(AssistanceRequest).where(AssistanceRequest.id == queued[0].id)
                       .values(urgency=Urgency.URGENT))  # a statement, not a flush
    db.session.commit()
    assert tab(client, "urgent_unassigned") == 2


def test_another_process_write_shows_within_the_kept_time(app, client, queued, monkeypatch):
    assert tab(client, "urgent_unassigned") == 0
    other_process_makes_urgent(app, queued[0].id)
    assert tab(client, "urgent_unassigned") == 0  # kept: at most QUEUE_CACHE_SECONDS behind
    later = queue_cache.time.monotonic() + app.config["QUEUE_CACHE_SECONDS"]
    monkeypatch.setattr(queue_cache.time, "monotonic", lambda: later)
    assert tab(client, "urgent_unassigned") == 1


def test_zero_seconds_keeps_nothing(app, client, queued):
    app.config["QUEUE_CACHE_SECONDS"] = 0
    assert tab(client, "urgent_unassigned") == 0
    other_process_makes_urgent(app, queued[0].id)
    assert tab(client, "urgent_unassigned") == 1
