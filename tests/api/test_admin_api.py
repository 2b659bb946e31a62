"""Organisations and users through the API, for admins only, with the admin pages' rules and audit; and the
taxonomy's tree for any token."""
import pytest

from expertnet.accounts.models import Organisation, OrganisationKind, Role
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from tests.engagements.factories import ensure_topics

ADMIN_ONLY = [("GET", "/organisations"), ("POST", "/organisations"), ("GET", "/organisations/{org}"),
              ("POST", "/organisations/{org}/deactivate"), ("GET", "/users"), ("POST", "/users"),
              ("GET", "/users/{user}"), ("POST", "/users/{user}/deactivate")]


def test_an_admin_creates_reads_and_deactivates_organisations(users, api_as):
    admin = api_as(users["admin"])
    created = admin.post("/organisations", json={"name": "Gulf Customs Lab", "country": "ae",
                                                 "kind": OrganisationKind.CUSTOMS_BORDER.value})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["country"], body["is_active"]) == ("AE", True)
    assert admin.post("/organisations", json={"name": "gulf customs lab", "country": "AE",
                                              "kind": "regulator"}).status_code == 422  # the name is taken
    assert admin.post("/organisations", json={"name": "Nowhere", "country": "ZZ",
                                              "kind": "regulator"}).status_code == 422  # not on the list
    assert [o["name"] for o in admin.get("/organisations?q=gulf").get_json()] == ["Gulf Customs Lab"]
    assert admin.post(f"/organisations/{body['id']}/deactivate").get_json()["is_active"] is False
    assert not db.session.get(Organisation, body["id"]).is_active
    assert [e.action for e in db.session.query(AuditEvent).filter_by(object_type="organisation",
                                                                     object_id=body["id"])] == [
        "organisation.created", "organisation.updated"]


def test_an_admin_invites_lists_and_deactivates_users(users, api_as):
    admin, member = api_as(users["admin"]), users["member"]
    invited = admin.post("/users", json={"email": "officer@gulf.example", "full_name": "Officer",
                                         "role": "member", "organisation_id": member.organisation_id})
    assert invited.status_code == 201, invited.get_json()
    assert admin.post("/users", json={"email": "x@gulf.example", "full_name": "X",
                                      "role": "member"}).status_code == 422  # a member needs an organisation
    unknown = admin.post("/users", json={"email": "y@gulf.example", "full_name": "Y", "role": "member",
                                         "organisation_id": 99999})
    assert unknown.status_code == 422 and "organisation_id" in unknown.get_json()["errors"]
    assert [u["id"] for u in admin.get(f"/users?q={member.email}").get_json()] == [member.id]
    assert {u["role"] for u in admin.get("/users?role=expert").get_json()} == {"expert"}
    member_token = api_as(member)
    assert admin.post(f"/users/{member.id}/deactivate").get_json()["is_active"] is False
    assert member_token.get("/me").status_code == 401
    assert admin.post(f"/users/{users['admin'].id}/deactivate").status_code == 422  # not oneself
    assert admin.get("/users/99999").status_code == 404


@pytest.mark.parametrize("role", ["member", "coordinator", "expert"])
def test_only_admins_manage_organisations_and_users(users, api_as, role):
    caller = api_as(users[role])
    org, user = users["other_member"].organisation_id, users["other_member"].id
    statuses = [caller.call(method, path.format(org=org, user=user), json={} if method == "POST" else None).status_code
                for method, path in ADMIN_ONLY]
    assert statuses == [403] * len(ADMIN_ONLY)
    assert users["other_member"].is_active


@pytest.mark.parametrize("role", ["member", "expert"])
def test_every_token_reads_the_taxonomy_tree(users, api_as, role):
    ensure_topics()
    tree = api_as(users[role]).get("/taxonomy/tree").get_json()
    assert tree and all(category["children"] for category in tree)
    assert "customs-interdiction" in {topic["slug"] for category in tree for topic in category["children"]}
