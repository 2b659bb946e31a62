"""Every request URL and method for every role: anonymous, member, other-agency member, expert, coordinator,
admin. Cross-agency access is 404; a role gate is 403; nothing is changed by a refused call."""
import io

import pytest
import sqlalchemy as sa

from expertnet.attachments import services as attachment_services
from expertnet.audit.models import AuditEvent
from expertnet.engagements.models import Engagement
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from expertnet.requests import services
from expertnet.requests.models import RequestMessage, RequestStatus as S
from expertnet.requests.schemas import RequestOut
from tests.requests.factories import invite_expert, make_request
from tests.attachments.test_storage import PDF_BYTES


class Upload:
    def __init__(self, data: bytes, filename: str):
        self.stream, self.filename = io.BytesIO(data), filename


@pytest.fixture
def scene(users):
    """A request of the member's agency waiting on its answer, with a file and an internal note."""
    assistance_request = make_request(users["member"], S.INFO_REQUESTED, users["coordinator"])
    attachment = attachment_services.store_attachment(users["member"], assistance_request,
                                                      Upload(PDF_BYTES, "plan.pdf"), "TLP:AMBER")
    services.post_message(users["coordinator"], assistance_request, "INTERNAL-NOTE-42", internal=True)
    db.session.commit()
    return assistance_request, attachment


# (method, url pattern, data) -> expected status for anonymous, member, other_member, expert, coordinator, admin
ROUTES = [
    ("GET", "/requests/", None, (302, 200, 200, 403, 403, 403)),
    ("GET", "/requests/new?once=a-form-token-of-the-matrix", None, (302, 200, 200, 403, 403, 403)),
    ("GET", "/requests/{r}", None, (302, 200, 404, 404, 200, 200)),
    ("GET", "/requests/{r}/edit", None, (302, 200, 404, 404, 403, 403)),
    ("GET", "/requests/{r}/attachments/{a}", None, (302, 200, 404, 404, 200, 200)),
    ("POST", "/requests/{r}/messages", {"body": "Hello"}, (302, 302, 404, 404, 302, 302)),
    ("POST", "/requests/{r}/feedback", {"usefulness": "5", "timeliness": "5", "expertise": "5"},
     (302, 409, 404, 404, 403, 403)),
    ("POST", "/requests/{r}/submit", {}, (302, 409, 404, 404, 403, 403)),
    ("POST", "/requests/{r}/attachments/{a}/delete", {}, (302, 302, 404, 404, 403, 403)),
    ("POST", "/requests/{r}/transition", {"to_status": "rejected", "note": "No"}, (302, 403, 403, 403, 302, 302)),
]
ROLES = ("anonymous", "member", "other_member", "expert", "coordinator", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, auth, users, scene, role):
    assistance_request, attachment = scene
    if role != "anonymous":
        auth.login(users[role])
    for method, pattern, data, expected in ROUTES:
        url = pattern.format(r=assistance_request.id, a=attachment.id)
        response = client.open(url, method=method, data=data)
        assert response.status_code == expected[ROLES.index(role)], (method, url, role)
        if response.status_code == 404:
            assert "INTERNAL-NOTE-42" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["other_member", "expert"])
def test_refused_calls_change_nothing(client, auth, users, scene, role):
    assistance_request, _attachment = scene
    auth.login(users[role])
    before = (db.session.scalar(sa.select(sa.func.count(RequestMessage.id))),
              db.session.scalar(sa.select(sa.func.count(AuditEvent.id)) .where(AuditEvent.action != "user.signed_in")))
    client.post(f"/requests/{assistance_request.id}/messages", data={"body": "sneaky"})
    client.post(f"/requests/{assistance_request.id}/answer", data={"answer": "sneaky"})
    client.post(f"/requests/{assistance_request.id}/withdraw", data={"reason": "sneaky"})
    client.post(f"/requests/{assistance_request.id}/edit", data={"title": "sneaky", "save": "1"})
    db.session.expire_all()
    assert assistance_request.status == S.INFO_REQUESTED and assistance_request.title != "sneaky"
    after = (db.session.scalar(sa.select(sa.func.count(RequestMessage.id))),
             db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action != "user.signed_in")))
    assert after == before


def test_other_agency_list_does_not_show_it(client, auth, users, scene):
    assistance_request, _ = scene
    auth.login(users["other_member"])
    for query in ("", "?status=info_requested", f"?q={assistance_request.title[:10]}"):
        assert assistance_request.title not in client.get(f"/requests/{query}").get_data(as_text=True)


def test_other_agency_feedback_is_404(client, auth, users):
    assistance_request = make_request(users["member"], S.EVALUATION, users["coordinator"])
    auth.login(users["other_member"])
    assert client.post(f"/requests/{assistance_request.id}/feedback",
                       data={"usefulness": "1", "timeliness": "1", "expertise": "1"}).status_code == 404


def test_internal_notes_never_reach_the_member(client, auth, users, scene, sent_mail):
    assistance_request, _ = scene
    auth.login(users["member"])
    page = client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    assert "INTERNAL-NOTE-42" not in page
    assert "INTERNAL-NOTE-42" not in repr(RequestOut().dump(assistance_request))
    assert [m.body for m in services.visible_messages(users["member"], assistance_request)
            if "INTERNAL" in m.body] == []
    mail_bodies = db.session.scalars(sa.select(OutboxMessage.text_body)).all()
    assert not any("INTERNAL-NOTE-42" in body for body in mail_bodies)
    auth.logout()
    auth.login(users["coordinator"])
    assert "INTERNAL-NOTE-42" in client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)


def test_member_cannot_post_internal_notes(client, auth, users, scene):
    assistance_request, _ = scene
    auth.login(users["member"])
    client.post(f"/requests/{assistance_request.id}/messages", data={"body": "Mine", "internal": "y"})
    message = db.session.scalar(sa.select(RequestMessage).where(RequestMessage.body == "Mine"))
    assert message.internal is False


def test_invited_expert_sees_summary_only_until_terms(client, auth, users, scene):
    assistance_request, attachment = scene
    invitation = invite_expert(assistance_request, users["expert"])
    auth.login(users["expert"])
    page = client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    assert assistance_request.summary in page and assistance_request.gap_statement not in page
    assert "plan.pdf" not in page and "INTERNAL-NOTE-42" not in page
    assert client.get(f"/requests/{assistance_request.id}/attachments/{attachment.id}").status_code == 404
    assert client.post(f"/requests/{assistance_request.id}/messages", data={"body": "Hi"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "request.read_sensitive", AuditEvent.actor_id == users["expert"].id)) == 0

    invitation.status, invitation.terms_accepted_at, invitation.terms_version = (
        "accepted", db.func.now(), "2026-1")
    db.session.add(Engagement(invitation=invitation, request_id=assistance_request.id, expert_id=invitation.expert_id))
    db.session.commit()
    page = client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    assert assistance_request.gap_statement in page and "INTERNAL-NOTE-42" not in page
    assert client.get(f"/requests/{assistance_request.id}/attachments/{attachment.id}").status_code == 200
    assert client.post(f"/requests/{assistance_request.id}/messages", data={"body": "Hi all"}).status_code == 302
    auth.logout()
    auth.login(users["member"])
    page = client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    seen_by = page[page.index('id="seen-by"'):]
    assert users["expert"].full_name in seen_by and "Hi all" in page
    # One page view (text and annex) and one download: said as such, not "opened 3 times" (issue 13 bug 12).
    expert_row = seen_by[seen_by.index(users["expert"].full_name):].split("</li>")[0]
    assert "Read the request once" in expert_row and "Downloaded a file once" in expert_row
