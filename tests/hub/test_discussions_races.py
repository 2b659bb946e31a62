"""Moderators at the same moment on PostgreSQL (issue 17): a hidden post is restored by three moderators while
three others, looking at the same hidden version, hide it again. The row lock lets exactly one restore move it;
the other restores are no-ops, and each re-hide either finds the post still hidden (no-op) or restored under a
newer version than it saw (409). Replies sent together lose no count."""
import pytest
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.hub.discussions import services
from expertnet.hub.discussions.models import Post, PostStatus, Thread
from tests.conftest import POSTGRES_URL
from tests.engagements.test_races import at_once, signed_in, statuses
from tests.hub.discussion_factories import make_thread

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")


def test_parallel_restore_and_hide_of_one_post(app, users):
    thread = make_thread(users["member"])
    post = thread.posts[0]
    services.hide_post(users["coordinator"], post, "Names a site", seen=0)
    db.session.commit()
    moderators = [signed_in(app, users[role]) for role in ("coordinator", "admin") * 3]
    restore, hide = {"seen": "1"}, {"seen": "1", "reason": "Still names a site"}
    calls = [lambda c=client, i=index: c.post(f"/hub/discussions/post/{post.id}/{'restore' if i % 2 else 'hide'}",
                                              data=restore if i % 2 else hide)
             for index, client in enumerate(moderators)]
    codes = statuses(at_once(app, calls))
    restores, hides = codes[1::2], codes[0::2]
    assert restores == [302, 302, 302]
    assert set(hides) <= {302, 409}
    db.session.expire_all()
    final = db.session.get(Post, post.id)
    assert (final.status, final.moderation_version) == (PostStatus.VISIBLE, 2)
    moves = dict(db.session.execute(sa.select(AuditEvent.action, sa.func.count(AuditEvent.id))
                                    .where(AuditEvent.object_id == post.id,
                                           AuditEvent.action.like("discussion_post.%"))
                                    .group_by(AuditEvent.action)).all())
    assert moves == {"discussion_post.hidden": 1, "discussion_post.visible": 1}


def test_parallel_replies_lose_no_count(app, users):
    thread = make_thread(users["member"])
    clients = [signed_in(app, users[role]) for role in ("member", "other_member", "expert", "coordinator")]
    codes = statuses(at_once(app, [lambda c=c: c.post(f"/hub/discussions/thread/{thread.id}/reply",
                                                      data={"body": "Same here."}) for c in clients]))
    assert codes == [302] * 4
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).reply_count == 4
    assert db.session.scalar(sa.select(sa.func.count(Post.id)).where(Post.thread_id == thread.id)) == 5
