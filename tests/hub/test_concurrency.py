"""Readers and editors at the same moment on PostgreSQL: counters lose no count, "this helped" counts once per
reader however often it is sent, and a publish sent twice at once publishes once (the machine's row lock)."""
import pytest
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.hub.models import HubHelped, HubItem, ItemStatus
from tests.conftest import POSTGRES_URL
from tests.engagements.test_races import at_once, signed_in, statuses
from tests.hub.factories import make_item

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")


def test_parallel_views_and_helped_clicks(app, users):
    item = make_item(users["coordinator"])
    clients = [signed_in(app, users["member"]) for _ in range(6)]
    results = at_once(app, [lambda c=client: c.post(f"/hub/{item.id}/helped") for client in clients])
    assert sorted(statuses(results)) == [302] + [409] * 5
    results = at_once(app, [lambda c=client: c.get(f"/hub/{item.id}") for client in clients])
    assert statuses(results) == [200] * 6
    db.session.expire_all()
    item = db.session.get(HubItem, item.id)
    assert (item.view_count, item.helped_count) == (6, 1)
    assert db.session.scalar(sa.select(sa.func.count(HubHelped.id))) == 1


def test_a_publish_sent_twice_at_once_publishes_once(app, users):
    item = make_item(users["coordinator"], status=ItemStatus.IN_REVIEW)
    clients = [signed_in(app, users["coordinator"]) for _ in range(4)]
    results = at_once(app, [lambda c=client: c.post(f"/hub/{item.id}/move", data={"to": "published"})
                            for client in clients])
    assert statuses(results) == [302] * 4  # a repeat is a no-op
    db.session.expire_all()
    assert db.session.get(HubItem, item.id).status == ItemStatus.PUBLISHED
    published = sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "hub_item.published")
    assert db.session.scalar(published) == 1
