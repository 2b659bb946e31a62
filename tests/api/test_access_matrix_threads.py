"""Who may do what through the API's conversation, engagement and desk operations (issue 16): role × operation ×
own/another's × state, with the pages' rules. {engaged}: Home Agency's request on which the matrix expert has an
open engagement; {invited}: one the expert is only invited to (terms not accepted); {draft}: the agency's draft."""
import pytest

from expertnet.extensions import db
from expertnet.requests import services as request_services
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert
from tests.requests.factories import make_draft

HELLO = {"body": "Hello from the case system."}
INTERNAL = {"body": "Between us coordinators.", "internal": True}
# operation -> (method, path template, body)
OPERATIONS = {
    "read thread (engaged)": ("GET", "/requests/{engaged}/messages", None),
    "read thread (invited)": ("GET", "/requests/{invited}/messages", None),
    "read thread (draft)": ("GET", "/requests/{draft}/messages", None),
    "post (engaged)": ("POST", "/requests/{engaged}/messages", HELLO),
    "post (invited)": ("POST", "/requests/{invited}/messages", HELLO),
    "post (draft)": ("POST", "/requests/{draft}/messages", HELLO),
    "post internal note": ("POST", "/requests/{engaged}/messages", INTERNAL),
}
EXPECTED = {
    #                 rte  rti  rtd  pe   pi   pd   pin
    "member":        (200, 200, 200, 201, 201, 422, 422),
    "other_member":  (404, 404, 404, 404, 404, 404, 404),
    "coordinator":   (200, 200, 404, 201, 201, 404, 201),
    "admin":         (200, 200, 404, 201, 201, 404, 201),
    "expert":        (200, 404, 404, 201, 404, 404, 422),
}
CASES = [(role, operation, status) for role, statuses in EXPECTED.items()
         for operation, status in zip(OPERATIONS, statuses)]


def _world(users) -> dict:
    engaged = make_assistance_request(users["member"], coordinator=users["coordinator"])
    invited = make_assistance_request(users["member"], coordinator=users["coordinator"])
    expert = make_expert(user=users["expert"])
    engagement = accept(invite(users["coordinator"], engaged, expert))
    invitation = invite(users["coordinator"], invited, expert)
    draft = make_draft(users["member"])
    return {"engaged": engaged.id, "invited": invited.id, "draft": draft.id, "engagement": engagement.id,
            "invitation": invitation.id}


@pytest.mark.parametrize("role,operation,status", CASES, ids=[f"{r}-{o}" for r, o, _s in CASES])
def test_access(app, users, api_as, role, operation, status):
    world = _world(users)
    method, template, body = OPERATIONS[operation]
    answer = api_as(users[role]).call(method, template.format(**world), json=body)
    assert answer.status_code == status, answer.get_json()
    if status >= 400:
        assert answer.content_type == "application/problem+json"


def test_internal_notes_reach_coordinators_only(app, users, api_as):
    world = _world(users)
    request_row = db.session.get(request_services.AssistanceRequest, world["engaged"])
    request_services.post_message(users["coordinator"], request_row, "Agency is slow to answer.", internal=True)
    request_services.post_message(users["member"], request_row, "Here are the port codes.")
    db.session.commit()
    path = f"/requests/{world['engaged']}/messages"
    for role in ("member", "expert"):
        bodies = [m["body"] for m in api_as(users[role]).get(path).get_json()]
        assert bodies == ["Here are the port codes."], role
    staff = api_as(users["coordinator"]).get(path)
    assert [(m["body"], m["internal"]) for m in staff.get_json()] == [
        ("Agency is slow to answer.", True), ("Here are the port codes.", False)]
    assert staff.headers["X-Total-Count"] == "2"
    assert staff.get_json()[1]["author"] == {"full_name": users["member"].full_name, "role": "member"}


def test_a_posted_message_is_the_pages_message(app, users, api_as):
    world = _world(users)
    answer = api_as(users["expert"]).post(f"/requests/{world['engaged']}/messages", json=HELLO)
    assert answer.status_code == 201 and answer.get_json()["internal"] is False
    assert [m.body for m in request_services.visible_messages(users["member"], db.session.get(
        request_services.AssistanceRequest, world["engaged"]))] == [HELLO["body"]]
    empty = api_as(users["member"]).post(f"/requests/{world['engaged']}/messages", json={"body": "  "})
    assert empty.status_code == 422 and empty.get_json()["code"] == "message_length"
