"""Discussions (issue 17): replies and edits, @mentions that reach only users who may see the place (through a real
SMTP server on loopback), following, and moderation — report, hide with a reason, repeat, stale view, restore,
keep — each audited."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.hub.discussions import services
from expertnet.hub.discussions.messages import DiscussionError
from expertnet.hub.discussions.mentions import handles_in
from expertnet.hub.discussions.models import Post, PostStatus, Report, Subscription
from expertnet.notifications.models import Notification
from expertnet.sensitivity import Tlp
from tests.conftest import make_user
from tests.hub.discussion_factories import make_thread, place_of
from tests.hub.factories import make_item


def _actions(name: str) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == name))


def test_handles_are_read_as_typed():
    assert handles_in("Thanks @lina.khoury and @Omar.Haddad. Also @لينا_خوري, not a@b.org") == [
        "lina.khoury", "Omar.Haddad", "لينا_خوري"]


def test_a_mention_reaches_only_those_who_may_see_the_place(app, users, smtp_server, client, auth):
    """An AMBER item's thread: the member's colleague and a coordinator are told (mail and bell); the other
    agency's member and the expert, named too, are not; a follower who may see the item is told of the reply."""
    home = users["member"].organisation
    colleague = make_user(Role.MEMBER, home, full_name="Lina Khoury")
    item = make_item(users["coordinator"], tlp=Tlp.AMBER, audience=[home])
    thread = make_thread(users["coordinator"], "item", item.id)
    outsider, expert = users["other_member"], users["expert"]
    auth.logout()
    auth.login(users["member"])
    handle = lambda u: u.email.split("@")[0]  # noqa: E731
    body = (f"@Lina.Khoury @{handle(outsider)} @{handle(expert)} @{handle(users['admin'])}: "
            "our checklist is attached to the item.")
    assert client.post(f"/hub/discussions/thread/{thread.id}/reply", data={"body": body}).status_code == 302
    arrived = {address for envelope in smtp_server.inbox.envelopes for address in envelope.rcpt_tos}
    assert arrived == {colleague.email, users["admin"].email, users["coordinator"].email}
    bell = {(n.user_id, n.kind) for n in db.session.scalars(sa.select(Notification))}
    assert bell == {(colleague.id, "discussion_mention"), (users["admin"].id, "discussion_mention"),
                    (users["coordinator"].id, "discussion_reply")}
    created = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "discussion_post.created")).one()
    assert sorted(created.details["mentioned"]) == sorted([colleague.id, users["admin"].id])
    assert db.session.scalar(sa.select(Subscription.id).where(Subscription.user_id == users["member"].id))
    auth.logout()
    auth.login(colleague)
    inbox = client.get("/notifications").get_data(as_text=True)
    assert "mentioned you in" in inbox and thread.title in inbox


def test_replies_edits_and_the_inline_error(app, users, client, auth):
    thread = make_thread(users["member"])
    auth.logout()
    auth.login(users["other_member"])
    empty = client.post(f"/hub/discussions/thread/{thread.id}/reply", data={"body": "  "})
    assert empty.status_code == 422 and 'id="body-error"' in empty.get_data(as_text=True)
    assert client.post(f"/hub/discussions/thread/{thread.id}/reply", data={"body": "We ask for ID."}).status_code == 302
    reply = db.session.scalars(sa.select(Post).where(Post.author_id == users["other_member"].id)).one()
    edited = client.post(f"/hub/discussions/post/{reply.id}/edit", data={"body": "We ask for ID and record it."})
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, reply.id).edited_at is not None
    assert db.session.get(type(thread), thread.id).reply_count == 1
    assert client.get(f"/hub/discussions/post/{thread.posts[0].id}/edit").status_code == 403  # not the author
    reply = db.session.get(Post, reply.id)
    reply.created_at -= timedelta(minutes=16)
    db.session.commit()
    assert client.post(f"/hub/discussions/post/{reply.id}/edit", data={"body": "Too late."}).status_code == 409
    assert _actions("discussion_post.edited") == 1


def test_report_hide_repeat_stale_restore_and_keep(app, users, client, auth):
    thread = make_thread(users["member"], title="Storage of ammonium nitrate at ports")
    post = thread.posts[0]
    auth.logout()
    auth.login(users["other_member"])
    assert client.post(f"/hub/discussions/post/{post.id}/report", data={"reason": "It names the warehouse"}).status_code == 302
    assert client.post(f"/hub/discussions/post/{post.id}/report", data={"reason": "Again"}).status_code == 409
    auth.logout()
    auth.login(users["member"])
    assert client.post(f"/hub/discussions/post/{post.id}/report", data={"reason": "Mine"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 1  # own post: refused, flashed
    auth.logout()
    auth.login(users["coordinator"])
    queue = client.get("/hub/discussions/moderation").get_data(as_text=True)
    assert "It names the warehouse" in queue and 'data-confirm=' in queue
    assert client.post(f"/hub/discussions/post/{post.id}/hide", data={"reason": "", "seen": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == PostStatus.VISIBLE  # no reason: refused
    hide = {"reason": "Names a real warehouse", "seen": "0", "back": "queue"}
    assert client.post(f"/hub/discussions/post/{post.id}/hide", data=hide).status_code == 302
    assert client.post(f"/hub/discussions/post/{post.id}/hide", data=hide).status_code == 302  # repeat: no-op
    assert _actions("discussion_post.hidden") == 1
    db.session.expire_all()
    hidden = db.session.get(Post, post.id)
    assert (hidden.status, hidden.hidden_reason, hidden.open_reports, hidden.moderation_version) == (
        PostStatus.HIDDEN, "Names a real warehouse", 0, 1)
    assert db.session.scalar(sa.select(Report.resolved_at)) is not None
    assert "Nothing to look at" in client.get("/hub/discussions/moderation").get_data(as_text=True)
    auth.logout()
    auth.login(users["other_member"])
    page = client.get(f"/hub/discussions/thread/{thread.id}").get_data(as_text=True)
    assert "This post was hidden by the moderators." in page and "Names a real warehouse" not in page
    assert "ammonium nitrate at ports" in page and post.body not in page
    auth.logout()
    auth.login(users["member"])
    assert "Names a real warehouse" in client.get(f"/hub/discussions/thread/{thread.id}").get_data(as_text=True)
    auth.logout()
    auth.login(users["admin"])
    assert client.post(f"/hub/discussions/post/{post.id}/restore", data={"seen": "0"}).status_code == 409  # stale
    assert client.post(f"/hub/discussions/post/{post.id}/restore", data={"seen": "1"}).status_code == 302
    assert _actions("discussion_post.visible") == 1
    services.report_post(users["expert"], db.session.get(Post, post.id), "Still too precise")
    db.session.commit()
    assert client.post(f"/hub/discussions/post/{post.id}/keep", data={"seen": "2"}).status_code == 302
    db.session.expire_all()
    assert (db.session.get(Post, post.id).status, db.session.get(Post, post.id).open_reports) == (PostStatus.VISIBLE, 0)
    assert _actions("discussion_post.kept") == 1 and _actions("discussion_post.reported") == 2


def test_services_refuse_the_wrong_actor(app, users):
    thread = make_thread(users["member"])
    post = thread.posts[0]
    with pytest.raises(DiscussionError) as refused:
        services.hide_post(users["expert"], post, "No")
    assert refused.value.http_status == 403
    with pytest.raises(DiscussionError):
        services.edit_post(users["other_member"], post, place_of(thread), "Not mine")
    db.session.rollback()


def test_a_post_address_opens_the_page_that_shows_it(app, users, client, auth):
    thread = make_thread(users["member"])
    place = place_of(thread)
    for number in range(31):
        last = services.reply(users["other_member"], thread, place, f"Reply number {number}")
    db.session.commit()
    auth.login(users["member"])
    opened = client.get(f"/hub/discussions/post/{last.id}")
    assert opened.status_code == 302 and opened.location.endswith(f"?page=2#post-{last.id}")
    page = client.get(f"/hub/discussions/thread/{thread.id}?page=2").get_data(as_text=True)
    assert "Reply number 30" in page and "Reply number 0<" not in page and 'rel="prev"' in page
    assert "31 replies" in client.get(f"/hub/discussions/topic/{thread.place_key}").get_data(as_text=True)
