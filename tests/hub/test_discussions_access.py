"""Discussions follow their place's label (issue 17): role x place (topic; hub item CLEAR, GREEN, AMBER to the
member's organisation, a draft; a group's space, issue 18, the member's organisation in it or the expert in it in
person) x own/other organisation, on the place's thread list, the thread page, a reply,
a report and a hide. A thread beyond the reader's label does not exist for them (404, absent from lists);
discussions are for signed-in network users only; only coordinators and admins moderate."""
import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.groups.models import GroupKind
from expertnet.hub.discussions.models import Post, PostStatus, Report
from expertnet.hub.models import ItemStatus
from expertnet.sensitivity import Tlp
from tests.conftest import make_user
from tests.groups.factories import make_group
from tests.hub.discussion_factories import TOPIC, make_thread
from tests.hub.factories import make_item

EVERYONE = {"anonymous", "member", "other_member", "expert", "coordinator", "admin"}
SIGNED_IN = EVERYONE - {"anonymous"}
EXPECTED = {
    "topic": SIGNED_IN,
    "clear": SIGNED_IN,  # a public item's discussions still need a sign-in (members' names and words)
    "green": SIGNED_IN,
    "amber": {"member", "coordinator", "admin"},  # named: the member's own organisation only
    "draft": {"coordinator", "admin"},
    # a group's space: its members (through their organisation or in person) and the global staff, who moderate
    "region_of_the_member": {"member", "coordinator", "admin"},
    "group_of_the_expert": {"expert", "coordinator", "admin"},
}
MODERATORS = {"coordinator", "admin"}


@pytest.fixture
def threads(app, users):
    author = make_user(Role.COORDINATOR, full_name="Thread Author")  # nobody in the matrix writes them
    home = users["member"].organisation
    items = {"clear": make_item(author, tlp=Tlp.CLEAR), "green": make_item(author),
             "amber": make_item(author, tlp=Tlp.AMBER, audience=[home]),
             "draft": make_item(author, status=ItemStatus.DRAFT)}
    made = {"topic": make_thread(author, "topic", TOPIC, title="Discussion at topic")}
    for name, item in items.items():
        made[name] = make_thread(author, "item", item.id, title=f"Discussion at {name}")
    groups = {"region_of_the_member": make_group("mena", organisations=[home]),
              "group_of_the_expert": make_group("advisory", GroupKind.WORKING_GROUP, people=[users["expert"]])}
    for name, group in groups.items():
        made[name] = make_thread(author, "group", group.slug, title=f"Discussion at {name}")
    return {name: (t.id, t.posts[0].id, t.place_kind.value, t.place_key) for name, t in made.items()}


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_discussions_follow_the_place(role, threads, users, auth, client):
    if role != "anonymous":
        auth.login(users[role])
    listing = client.get("/hub/discussions/").get_data(as_text=True)
    for name, (thread_id, post_id, kind, key) in threads.items():
        allowed = role in EXPECTED[name]
        answers = {
            "list": client.get(f"/hub/discussions/{kind}/{key}").status_code,
            "thread": client.get(f"/hub/discussions/thread/{thread_id}").status_code,
            "post": client.get(f"/hub/discussions/post/{post_id}").status_code,
            "reply": client.post(f"/hub/discussions/thread/{thread_id}/reply",
                                 data={"body": f"A reply from {role}"}).status_code,
            "report": client.post(f"/hub/discussions/post/{post_id}/report",
                                  data={"reason": "Names a site"}).status_code,
        }
        if role == "anonymous":
            assert set(answers.values()) == {302}, (name, answers)  # to the sign-in page, whatever exists
        else:
            expected = {"list": 200, "thread": 200, "post": 302, "reply": 302, "report": 302} if allowed else \
                {key_: 404 for key_ in answers}
            assert answers == expected, (role, name)
            assert (f"Discussion at {name}" in listing) == allowed, (role, name)
        hide = client.post(f"/hub/discussions/post/{post_id}/hide", data={"reason": "Off topic", "seen": "0"})
        if role in MODERATORS:
            assert hide.status_code == 302
        else:
            assert hide.status_code in ((302,) if role == "anonymous" else (403,)), (role, name)
    db.session.expire_all()
    posts = {name: db.session.get(Post, post_id) for name, (_t, post_id, _k, _key) in threads.items()}
    for name, post in posts.items():
        assert (post.status == PostStatus.HIDDEN) == (role in MODERATORS), (role, name)
    reports = db.session.scalar(sa.select(sa.func.count(Report.id)))
    assert reports == sum(role in allowed for allowed in EXPECTED.values())


def test_another_kind_or_a_missing_place_is_not_found(app, users, auth, client):
    auth.login(users["member"])
    assert client.get("/hub/discussions/group/mena").status_code == 404
    assert client.get("/hub/discussions/region/mena").status_code == 404
    assert client.get("/hub/discussions/topic/no-such-topic").status_code == 404
    assert client.get("/hub/discussions/item/99999").status_code == 404
    assert client.get("/hub/discussions/item/1e3").status_code == 404
    assert client.get("/hub/discussions/thread/99999").status_code == 404
    assert client.get("/hub/discussions/moderation").status_code == 403
