"""The demo's discussions (issue 17, item 5): threads in English, Arabic and French on topics and hub items, a
mention that reached its user, a reported post waiting for the moderators and a hidden one."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.accounts.services import create_user
from expertnet.demo import content
from expertnet.demo.discussions import seed_discussions
from expertnet.demo.hub import seed_hub
from expertnet.demo.seed import seed_organisations
from expertnet.extensions import db
from expertnet.hub.discussions.models import PlaceKind, Post, PostStatus, Thread
from expertnet.notifications.models import Notification
from tests.requests.factories import ensure_topics


def test_demo_discussions(app):
    ensure_topics()
    admin = create_user("admin@demo.example", "Admin", Role.ADMIN, None)
    organisations = seed_organisations(admin)
    for role, people in ((Role.COORDINATOR, content.coordinators()), (Role.EXPERT, content.experts())):
        for person in people:
            create_user(person["email"], person["full_name"], role, None)
    for person in content.members():
        create_user(person["email"], person["full_name"], Role.MEMBER, None, organisations[person["organisation"]])
    seed_hub(admin, organisations)
    seed_discussions(admin, organisations)
    db.session.commit()
    threads = db.session.scalars(sa.select(Thread)).all()
    assert {t.language for t in threads} == {"en", "ar", "fr"}
    assert {t.place_kind for t in threads} == {PlaceKind.TOPIC, PlaceKind.ITEM}
    assert all(t.reply_count == len(t.posts) - 1 >= 2 for t in threads)
    assert {n.kind for n in db.session.scalars(sa.select(Notification))} >= {"discussion_mention", "discussion_reply"}
    posts = db.session.scalars(sa.select(Post)).all()
    assert sum(p.open_reports > 0 and p.status == PostStatus.VISIBLE for p in posts) == 1
    assert sum(p.status == PostStatus.HIDDEN and bool(p.hidden_reason) for p in posts) == 1
