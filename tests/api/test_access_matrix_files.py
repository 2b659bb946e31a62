"""Who may do what through the API's file and engagement-step operations (issue 16): role × operation ×
own/another's, with the pages' rules. {engaged}: Home Agency's request on which the matrix expert has an open
engagement ({engagement}, with a milestone); {invited}: one the expert is only invited to; each holds a TLP:AMBER
file of the agency ({engaged_file}, {invited_file}); {theirs}: another expert's engagement; {reported}: one whose
report waits for the desk (and {reported_too}); {accepted}: one whose report the desk accepted. One world per role,
every operation tried on it in turn (no operation's outcome changes another's), to keep the matrix fast."""
import io

import pytest

from expertnet.attachments.services import store_attachment
from expertnet.coordination import desk
from expertnet.engagements import services as engagement_services
from expertnet.extensions import db
from expertnet.sensitivity import Tlp
from tests.attachments.test_storage import PDF_BYTES, Upload
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert

FILE = object()  # the body of an upload: a PDF, sent as multipart/form-data
REPORT = "Indicators delivered; train the port team next."
# operation -> (method, path template, body)
OPERATIONS = {
    "list files (engaged)": ("GET", "/requests/{engaged}/attachments", None),
    "list files (invited)": ("GET", "/requests/{invited}/attachments", None),
    "upload (engaged)": ("POST", "/requests/{engaged}/attachments", FILE),
    "download (engaged)": ("GET", "/requests/{engaged}/attachments/{engaged_file}/content", None),
    "download (invited)": ("GET", "/requests/{invited}/attachments/{invited_file}/content", None),
    "milestones of own": ("GET", "/engagements/{engagement}/milestones", None),
    "milestones of another's": ("GET", "/engagements/{theirs}/milestones", None),
    "add milestone": ("POST", "/engagements/{engagement}/milestones", {"title": "Indicators drafted"}),
    "complete milestone": ("POST", "/engagements/{engagement}/milestones/{milestone}/done", None),
    "accept report": ("POST", "/engagements/{reported}/report/accept", None),
    "return report": ("POST", "/engagements/{reported_too}/report/return", {"reason": "Add the port list."}),
    "close": ("POST", "/engagements/{accepted}/close", None),
}
EXPECTED = {
    #                 lfe  lfi  up   dle  dli  mo   ma   add  done acc  ret  close
    "member":        (200, 200, 201, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    "other_member":  (404, 404, 404, 404, 404, 403, 403, 403, 403, 403, 403, 403),
    "coordinator":   (200, 200, 403, 200, 200, 200, 200, 201, 200, 200, 200, 200),
    "admin":         (200, 200, 403, 200, 200, 200, 200, 201, 200, 200, 200, 200),
    "expert":        (200, 404, 403, 200, 404, 200, 404, 403, 403, 403, 403, 403),
}


def _engagement_of_another(users, *, report: bool = False, accepted: bool = False):
    engagement = accept(invite(users["coordinator"], make_assistance_request(users["member"]), make_expert()))
    if report:
        engagement_services.start_engagement(users["coordinator"], engagement)
        engagement_services.submit_report(engagement.expert.user, engagement, REPORT)
    if accepted:
        engagement_services.accept_report(users["coordinator"], engagement)
    return engagement


def _world(users) -> dict:
    member, coordinator = users["member"], users["coordinator"]
    engaged = make_assistance_request(member, coordinator=coordinator)
    invited = make_assistance_request(member, coordinator=coordinator)
    expert = make_expert(user=users["expert"])
    engagement = accept(invite(coordinator, engaged, expert))
    engagement_services.start_engagement(users["expert"], engagement)
    invite(coordinator, invited, expert)
    files = {name: store_attachment(member, request_row, Upload(PDF_BYTES, f"{name}.pdf"), Tlp.AMBER)
             for name, request_row in (("engaged_file", engaged), ("invited_file", invited))}
    milestone = desk.add_milestone(coordinator, engagement, "Port list agreed", None)
    world = {"engaged": engaged.id, "invited": invited.id, "engagement": engagement.id, "milestone": milestone.id,
             "theirs": _engagement_of_another(users).id,
             "reported": _engagement_of_another(users, report=True).id,
             "reported_too": _engagement_of_another(users, report=True).id,
             "accepted": _engagement_of_another(users, report=True, accepted=True).id,
             **{name: attachment.id for name, attachment in files.items()}}
    db.session.commit()
    return world


@pytest.mark.parametrize("role", EXPECTED)
def test_access(app, users, api_as, role):
    world, api = _world(users), api_as(users[role])
    answers = {}
    for operation, (method, template, body) in OPERATIONS.items():
        path = template.format(**world)
        if body is FILE:
            answer = api.call(method, path, content_type="multipart/form-data",
                              data={"file": (io.BytesIO(PDF_BYTES), "annex.pdf"), "tlp": "TLP:GREEN"})
        else:
            answer = api.call(method, path, json=body)
        assert answer.status_code < 400 or answer.content_type == "application/problem+json", operation
        answers[operation] = answer.status_code
    assert answers == dict(zip(OPERATIONS, EXPECTED[role]))
