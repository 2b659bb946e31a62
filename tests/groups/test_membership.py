"""Membership management (issue 18): admins and the group's own coordinators manage its organisations and people
(a removal is asked for confirmation on the page), everyone else is refused and nothing changes; each change is
audited; the last group coordinator stays unless an admin removes them; group pages for who may see them."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.groups.models import GroupKind, GroupMember, GroupRole
from tests.conftest import make_organisation, make_user
from tests.groups.factories import make_group


def _audit(action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == action))


def _people(group) -> dict[int, GroupRole]:
    db.session.expire_all()
    return {m.user_id: m.role for m in db.session.scalars(sa.select(GroupMember).where(GroupMember.group_id == group.id))}


def test_who_may_manage_members(client, auth, users):
    newcomer_org = make_organisation("Tunisian National Guard", "TN")
    group_coordinator = make_user(Role.EXPERT, full_name="Gaby Group-Coordinator")
    plain_member = make_user(Role.EXPERT, full_name="Pat Plain")
    group = make_group("advisory", kind=GroupKind.WORKING_GROUP, organisations=[users["member"].organisation],
                       people=[plain_member], coordinators=[group_coordinator])
    posts = [(f"/groups/advisory/organisations", {"organisation_id": newcomer_org.id}),
             (f"/groups/advisory/organisations/{users['member'].organisation_id}/remove", {}),
             (f"/groups/advisory/people", {"user_id": users["expert"].id, "role": "member"}),
             (f"/groups/advisory/people/{plain_member.id}/role", {"role": "group_coordinator"}),
             (f"/groups/advisory/people/{plain_member.id}/remove", {})]
    # Not in the group: 404 (a group is need-to-know); in it but no coordinator: 403; a global coordinator sees the
    # group but only admins and its own coordinators manage it.
    for who, expected in ((None, 302), (users["other_member"], 404), (plain_member, 403), (users["member"], 403),
                          (users["coordinator"], 403)):
        if who is not None:
            auth.login(who)
        for path, data in posts:
            assert client.post(path, data=data).status_code == expected, (who, path)
        auth.logout()
    assert _people(group) == {plain_member.id: GroupRole.MEMBER, group_coordinator.id: GroupRole.GROUP_COORDINATOR}
    assert _audit("group.person_added") == _audit("group.organisation_added") == 0

    auth.login(group_coordinator)
    page = client.get("/groups/advisory").get_data(as_text=True)
    assert 'data-confirm="Remove Pat Plain from the group?"' in page  # the removal asks first
    for path, data in posts:
        assert client.post(path, data=data).status_code == 303, path
    assert _people(group) == {users["expert"].id: GroupRole.MEMBER, group_coordinator.id: GroupRole.GROUP_COORDINATOR}
    assert [o.name for o in group.organisations] == ["Tunisian National Guard"]
    assert {_audit(a) for a in ("group.organisation_added", "group.organisation_removed", "group.person_added",
                                "group.role_changed", "group.person_removed")} == {1}


def test_refusals_are_said_and_change_nothing(client, auth, users):
    group_coordinator = make_user(Role.COORDINATOR)
    group = make_group("advisory", kind=GroupKind.WORKING_GROUP, organisations=[users["member"].organisation],
                       coordinators=[group_coordinator])
    auth.login(group_coordinator)
    twice = client.post("/groups/advisory/organisations", data={"organisation_id": users["member"].organisation_id},
                        follow_redirects=True)
    assert "That organisation or person is already in the group." in twice.get_data(as_text=True)
    blank = client.post("/groups/advisory/people", data={"user_id": "", "role": "member"})
    assert blank.status_code == 422 and "Choose one." in blank.get_data(as_text=True)
    last = client.post(f"/groups/advisory/people/{group_coordinator.id}/remove", follow_redirects=True)
    assert "Only an admin can remove the group&#39;s last coordinator." in last.get_data(as_text=True)
    assert _people(group) == {group_coordinator.id: GroupRole.GROUP_COORDINATOR}
    auth.logout()
    auth.login(users["admin"])
    assert client.post(f"/groups/advisory/people/{group_coordinator.id}/remove").status_code == 303
    assert _people(group) == {}


def test_admins_create_groups_and_the_list_pages(client, auth, users):
    auth.login(users["coordinator"])
    assert client.get("/groups/new").status_code == 403
    empty = client.get("/groups/").get_data(as_text=True)
    assert "You are in no group yet" in empty
    auth.logout()
    auth.login(users["admin"])
    refused = client.post("/groups/new", data={"kind": "region", "name": " "})
    assert refused.status_code == 422 and "This field is required." in refused.get_data(as_text=True)
    created = client.post("/groups/new", data={"kind": "region", "name": "Latin America", "description": "Red"})
    assert created.status_code == 303 and created.headers["Location"].endswith("/groups/latin-america")
    for n in range(21):
        make_group(f"wg-{n:02d}", kind=GroupKind.WORKING_GROUP)
    first, second = client.get("/groups/").get_data(as_text=True), client.get("/groups/?page=2").get_data(as_text=True)
    assert "22 groups" in first and 'rel="next"' in first and 'rel="prev"' in second
    assert client.get("/groups/latin-america").status_code == 200
    auth.logout()
    auth.login(users["member"])
    assert client.get("/groups/latin-america").status_code == 404
