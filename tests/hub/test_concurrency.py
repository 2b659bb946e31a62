"""Readers and editors at the same moment on PostgreSQL: counters lose no count, "this helped" counts once per
reader however often it is sent, and a publish sent twice at once publishes once (the machine's row lock)."""
import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.hub.models import HubHelped, HubItem, ItemStatus, Kind
from expertnet.hub.services import move_item
from tests.conftest import POSTGRES_URL, make_user
from tests.engagements.test_races import at_once, signed_in, statuses
from tests.hub.factories import make_item
from tests.hub.test_lessons import make_closed_engagement

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


def test_twin_lesson_drafts_and_answers_at_once(app):
    engagement, coordinator, member = make_closed_engagement()
    clients = [signed_in(app, coordinator) for _ in range(3)]
    at_once(app, [lambda c=c: c.post(f"/hub/lessons/from-engagement/{engagement.id}") for c in clients])
    lesson = db.session.scalars(sa.select(HubItem).where(HubItem.kind == Kind.LESSON)).one()
    move_item(coordinator, lesson, ItemStatus.AWAITING_AGENCY)
    db.session.commit()
    colleague = make_user(Role.MEMBER, member.organisation)
    text = lesson.texts[0]
    data = {"title": text.title, "summary": text.summary, "body": text.body, "tlp": "TLP:GREEN"}
    answers = [(member, {**data, "approve": "1"}), (colleague, {**data, "send_back": "1", "note": "Too specific"})]
    answering = [(signed_in(app, u), d) for u, d in answers]
    at_once(app, [lambda c=c, d=d: c.post(f"/hub/{lesson.id}/agency-review", data=d) for c, d in answering])
    db.session.expire_all()
    final = db.session.get(HubItem, lesson.id).status
    assert final in (ItemStatus.APPROVED, ItemStatus.DRAFT)
    moves = sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action.in_(["hub_item.approved", "hub_item.draft"]), AuditEvent.object_id == lesson.id)
    assert db.session.scalar(moves) == 1, "one answer wins; the other finds the lesson moved (409)"
