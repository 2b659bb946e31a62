"""Who may do what through the API's conversation, engagement and desk operations (issue 16): role × operation ×
own/another's × state, with the pages' rules. {engaged}: Home Agency's request on which the matrix expert has an
open engagement; {invited}: one the expert is only invited to (terms not accepted); {draft}: the agency's draft;
{theirs}: another expert's engagement; {spare}: an expert among {invited}'s suggestions."""
from datetime import date, timedelta

import pytest

from expertnet.engagements import services as engagement_services
from expertnet.engagements.models import Engagement
from expertnet.extensions import db
from expertnet.requests import services as request_services
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert
from tests.requests.factories import make_draft

HELLO = {"body": "Hello from the case system."}
REPORT = {"report": "Indicators delivered; train the port team next.", "days_spent": 3.5}
INVITE = {"expert_ids": ["{spare}"], "message": "Could you help?",
          "respond_by": (date.today() + timedelta(days=7)).isoformat()}
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
    "list engagements": ("GET", "/engagements", None),
    "read own engagement": ("GET", "/engagements/{engagement}", None),
    "read another's engagement": ("GET", "/engagements/{theirs}", None),
    "report on own (active)": ("POST", "/engagements/{engagement}/report", REPORT),
    "report on another's": ("POST", "/engagements/{theirs}/report", REPORT),
    "read outcomes": ("GET", "/requests/{engaged}/outcomes", None),
    "suggestions": ("GET", "/requests/{invited}/suggestions", None),
    "suggestions (draft)": ("GET", "/requests/{draft}/suggestions", None),
    "invite": ("POST", "/requests/{invited}/invitations", INVITE),
    "name the lead": ("PUT", "/requests/{invited}/lead", {"lead_id": "{coordinator}"}),
}
EXPECTED = {
    #                 rte  rti  rtd  pe   pi   pd   pin  le   reo  rea  rep  repa out  sug  sugd inv  lead
    "member":        (200, 200, 200, 201, 201, 422, 422, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403),
    "other_member":  (404, 404, 404, 404, 404, 404, 404, 403, 403, 403, 403, 403, 404, 403, 403, 403, 403),
    "coordinator":   (200, 200, 404, 201, 201, 404, 201, 200, 200, 200, 403, 403, 200, 200, 404, 201, 200),
    "admin":         (200, 200, 404, 201, 201, 404, 201, 200, 200, 200, 403, 403, 200, 200, 404, 201, 200),
    "expert":        (200, 404, 404, 201, 404, 404, 422, 200, 200, 404, 200, 404, 403, 403, 403, 403, 403),
}
CASES = [(role, operation, status) for role, statuses in EXPECTED.items()
         for operation, status in zip(OPERATIONS, statuses)]


def _world(users) -> dict:
    engaged = make_assistance_request(users["member"], coordinator=users["coordinator"])
    invited = make_assistance_request(users["member"], coordinator=users["coordinator"])
    expert = make_expert(user=users["expert"])
    engagement = accept(invite(users["coordinator"], engaged, expert))
    engagement_services.start_engagement(users["expert"], engagement)
    invitation = invite(users["coordinator"], invited, expert)
    theirs = accept(invite(users["coordinator"], make_assistance_request(users["member"]), make_expert()))
    draft = make_draft(users["member"])
    spare = make_expert()
    db.session.commit()
    return {"engaged": engaged.id, "invited": invited.id, "draft": draft.id, "engagement": engagement.id,
            "invitation": invitation.id, "theirs": theirs.id, "spare": spare.id, "coordinator": users["coordinator"].id}


def _filled(body, world: dict):
    """The body with its "{name}" values replaced by the world's ids."""
    if isinstance(body, dict):
        return {key: _filled(value, world) for key, value in body.items()}
    if isinstance(body, list):
        return [_filled(value, world) for value in body]
    if isinstance(body, str) and body.startswith("{") and body.endswith("}"):
        return world[body[1:-1]]
    return body


@pytest.mark.parametrize("role,operation,status", CASES, ids=[f"{r}-{o}" for r, o, _s in CASES])
def test_access(app, users, api_as, role, operation, status):
    world = _world(users)
    method, template, body = OPERATIONS[operation]
    answer = api_as(users[role]).call(method, template.format(**world), json=_filled(body, world))
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


def test_the_report_goes_through_the_pages_service_and_reaches_the_agency_once_accepted(app, users, api_as):
    world = _world(users)
    expert, member = api_as(users["expert"]), api_as(users["member"])
    read = expert.get(f"/engagements/{world['engagement']}").get_json()
    assert read["full"] is True and read["status"] == "active" and read["request"]["id"] == world["engaged"]
    too_long = expert.post(f"/engagements/{world['engagement']}/report", json={"report": "x", "days_spent": 400})
    assert too_long.status_code == 422 and "days_spent" in too_long.get_json()["errors"]
    blank = expert.post(f"/engagements/{world['engagement']}/report", json={"report": "   "})
    assert blank.status_code == 422 and blank.get_json()["code"] == "report_required"
    sent = expert.post(f"/engagements/{world['engagement']}/report", json=REPORT)
    assert sent.status_code == 200, sent.get_json()
    assert sent.get_json()["status"] == "report_submitted" and sent.get_json()["days_spent"] == 3.5
    assert member.get(f"/requests/{world['engaged']}/outcomes").get_json() == []  # not before the desk accepts it
    engagement = db.session.get(Engagement, world["engagement"])
    engagement_services.accept_report(users["coordinator"], engagement)
    db.session.commit()
    [outcome] = member.get(f"/requests/{world['engaged']}/outcomes").get_json()
    assert outcome["engagement_id"] == world["engagement"] and outcome["report"] == REPORT["report"]
    again = expert.post(f"/engagements/{world['engagement']}/report", json=REPORT)
    assert again.status_code == 409 and again.content_type == "application/problem+json"


def test_a_planned_engagement_takes_no_report_yet(app, users, api_as):
    engaged = make_assistance_request(users["member"], coordinator=users["coordinator"])
    engagement = accept(invite(users["coordinator"], engaged, make_expert(user=users["expert"])))
    answer = api_as(users["expert"]).post(f"/engagements/{engagement.id}/report", json=REPORT)
    assert answer.status_code == 409, answer.get_json()


def test_an_experts_list_holds_only_their_engagements(app, users, api_as):
    world = _world(users)
    assert [e["id"] for e in api_as(users["expert"]).get("/engagements").get_json()] == [world["engagement"]]
    assert {e["id"] for e in api_as(users["coordinator"]).get("/engagements").get_json()} == {
        world["engagement"], world["theirs"]}
