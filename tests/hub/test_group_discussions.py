"""A group's own discussion space (issue 18): a regional coordinator reads and writes in their region's space and
finds nothing of another region's; a member who leaves the group loses its threads and their notifications at once
(access follows the live membership); a mention reaches only the group's members; the group page shows the space."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.groups import services as group_services
from expertnet.groups.models import GroupKind, GroupMember
from expertnet.hub.discussions import services
from expertnet.notifications.models import Notification
from tests.conftest import make_user
from tests.groups.factories import make_group, regional_coordinator
from tests.hub.discussion_factories import make_thread


def _told(user) -> set[str]:
    return set(db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == user.id)))


def test_a_regional_coordinator_works_in_their_region_space_only(app, users, client, auth):
    mena = make_group("mena", organisations=[users["member"].organisation], name="Middle East and North Africa")
    sea = make_group("south-east-asia", organisations=[users["other_member"].organisation], name="South-East Asia")
    ours = make_thread(users["member"], "group", mena.slug, title="تخزين نترات الأمونيوم في الموانئ", language="ar")
    theirs = make_thread(users["other_member"], "group", sea.slug, title="Port storage audits")
    coordinator = regional_coordinator(mena, full_name="Rania Saleh")
    auth.login(coordinator)
    assert client.get("/hub/discussions/group/mena").status_code == 200
    assert client.post(f"/hub/discussions/thread/{ours.id}/reply",
                       data={"body": "سأشارك قائمة التحقق الإقليمية."}).status_code == 302
    for address in ("/hub/discussions/group/south-east-asia", f"/hub/discussions/thread/{theirs.id}",
                    f"/hub/discussions/post/{theirs.posts[0].id}"):
        assert client.get(address).status_code == 404, address
    assert client.post(f"/hub/discussions/thread/{theirs.id}/reply", data={"body": "x"}).status_code == 404
    assert client.post("/hub/discussions/group/south-east-asia",
                       data={"title": "t", "language": "en", "body": "b"}).status_code == 404
    listing = client.get("/hub/discussions/").get_data(as_text=True)
    assert "<title>Discussions · expertnet</title>" in listing
    assert ours.title in listing and "Middle East and North Africa" in listing
    assert theirs.title not in listing and "South-East Asia" not in listing
    page = client.get("/groups/mena", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert ours.title in page and "/hub/discussions/group/mena" in page


def test_leaving_the_group_ends_its_space_and_its_notifications(app, users, client, auth):
    expert, colleague = users["expert"], make_user(Role.EXPERT, full_name="Omar Haddad")
    advisory = make_group("advisory", GroupKind.WORKING_GROUP, people=[expert], coordinators=[users["admin"]],
                          name="Cross-sector advisory group")
    thread = make_thread(expert, "group", advisory.slug, title="Drone payload incidents this year")
    auth.login(users["admin"])
    handle = colleague.email.split("@")[0]
    assert client.post(f"/hub/discussions/thread/{thread.id}/reply",
                       data={"body": f"@{handle} may know; the expert who started this follows it."}).status_code == 302
    assert _told(expert) == {"discussion_reply"}
    assert _told(colleague) == set()  # named, but not in the group: not told, not shown the thread
    membership = db.session.get(GroupMember, (advisory.id, expert.id))
    group_services.remove_person(users["admin"], advisory, membership)
    db.session.commit()
    assert client.post(f"/hub/discussions/thread/{thread.id}/reply", data={"body": "A second reply"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.user_id == expert.id)) == 1
    auth.logout()
    auth.login(expert)
    assert client.get(f"/hub/discussions/thread/{thread.id}").status_code == 404
    assert thread.title not in client.get("/hub/discussions/").get_data(as_text=True)


def test_the_group_page_shows_its_space(app, users, client, auth):
    make_group("mena", organisations=[users["member"].organisation], name="Middle East and North Africa")
    auth.login(users["member"])
    empty = client.get("/groups/mena").get_data(as_text=True)
    assert "No discussion in the group yet" in empty and "/hub/discussions/group/mena#new-thread" in empty
    started = client.post("/hub/discussions/group/mena", data={
        "title": "Reporting suspicious purchases of nitric acid", "language": "en",
        "body": "Which sellers in the region report to the police, and how fast?"})
    assert started.status_code == 302
    page = client.get("/groups/mena").get_data(as_text=True)
    assert "Reporting suspicious purchases of nitric acid" in page and "All 1 discussion of the group" in page
    space = client.get("/hub/discussions/group/mena").get_data(as_text=True)
    assert "Back to the group" in space and 'href="/groups/mena"' in space


def test_a_group_with_the_longest_slug_has_a_space(app, users):
    slug = "chemical-security-working-group-on-ports-free-zones-and-transshipment-hubs-2026s"
    assert len(slug) == 80
    group = make_group(slug, GroupKind.WORKING_GROUP, people=[users["expert"]])
    thread = make_thread(users["expert"], "group", group.slug, title="Free-zone transshipment checks")
    db.session.expire_all()
    assert db.session.get(type(thread), thread.id).place_key == slug


def test_a_regional_coordinator_moderates_only_what_they_may_read(app, users, client, auth):
    mena = make_group("mena", organisations=[users["member"].organisation])
    sea = make_group("south-east-asia", organisations=[users["other_member"].organisation])
    ours = make_thread(users["member"], "group", mena.slug, body="Call me on +962 7 0000 0000 for the stock list.")
    theirs = make_thread(users["other_member"], "group", sea.slug, body="The depot at the north quay is open at night.")
    colleagues = (make_user(Role.MEMBER, users["member"].organisation),
                  make_user(Role.MEMBER, users["other_member"].organisation))
    for reporter, thread in zip(colleagues, (ours, theirs)):
        services.report_post(reporter, thread.posts[0], "Names a site")
    db.session.commit()
    auth.login(regional_coordinator(mena))
    reported = client.get("/hub/discussions/moderation").get_data(as_text=True)
    assert "+962 7 0000 0000" in reported and "north quay" not in reported
    assert client.post(f"/hub/discussions/post/{theirs.posts[0].id}/hide",
                       data={"reason": "Names a site", "seen": "0"}).status_code == 404
    auth.logout()
    auth.login(users["coordinator"])  # a global coordinator moderates every space
    assert "north quay" in client.get("/hub/discussions/moderation").get_data(as_text=True)
