"""The member's whole journey through the Flask client; coordinator steps through the real pages too."""
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.models import AssistanceRequest, Feedback, RequestStatus as S
from tests.requests.factories import ensure_topics, invite_expert, new_form_url, request_data


def form_data(**overrides) -> dict:
    data = request_data(**overrides)
    data["sectors"] = ", ".join(data["sectors"])
    data["authorised_declaration"] = "y" if data["authorised_declaration"] else ""
    data["consent_statistics"] = "y" if data["consent_statistics"] else ""
    return data


def _audit_actions(assistance_request):
    return db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "assistance_request", AuditEvent.object_id == assistance_request.id)
        .order_by(AuditEvent.id)).all()


def test_full_member_journey(client, auth, users, sent_mail):
    ensure_topics()
    member, coordinator = users["member"], users["coordinator"]
    auth.login(member)
    response = client.post(new_form_url(client), data={**form_data(), "save": "Save draft"})
    assert response.status_code == 302
    assistance_request = db.session.scalar(sa.select(AssistanceRequest))
    assert assistance_request.status == S.DRAFT and assistance_request.reference is None
    rid = assistance_request.id

    assert client.post(f"/requests/{rid}/submit").status_code == 302
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.SUBMITTED and assistance_request.reference.startswith("TA-")

    auth.logout()
    auth.login(coordinator)
    client.post(f"/requests/{rid}/transition", data={"to_status": "triage"})
    client.post(f"/requests/{rid}/messages", data={"body": "Internal: check with the regional desk.", "internal": "y"})
    client.post(f"/requests/{rid}/transition", data={"to_status": "info_requested",
                                                       "note": "How many officers would attend?"})
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.INFO_REQUESTED and assistance_request.paused_since is not None
    assert any("information" in m["Subject"].lower() or assistance_request.reference in m["Subject"]
               for m in sent_mail)

    auth.logout()
    auth.login(member)
    page = client.get(f"/requests/{rid}").get_data(as_text=True)
    assert "How many officers would attend?" in page and "regional desk" not in page
    assert client.get(f"/requests/{rid}/edit").status_code == 200
    client.post(f"/requests/{rid}/edit", data={**form_data(desired_outcome="Twenty officers trained."),
                                                "save": "Save"})
    client.post(f"/requests/{rid}/answer", data={"answer": "Twenty officers from two terminals."})
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.TRIAGE and assistance_request.paused_since is None
    assert assistance_request.desired_outcome == "Twenty officers trained."

    auth.logout()
    auth.login(coordinator)
    for step in ("matching", "inviting"):
        assert client.post(f"/requests/{rid}/transition", data={"to_status": step}).status_code == 302
    invitation = invite_expert(assistance_request, users["expert"], accepted=True)
    for step in ("assigned", "in_progress", "delivered", "evaluation"):
        assert client.post(f"/requests/{rid}/transition", data={"to_status": step}).status_code == 302
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.EVALUATION

    auth.logout()
    auth.login(member)
    page = client.get(f"/requests/{rid}").get_data(as_text=True)
    assert invitation.expert.user.full_name in page  # accepted experts are named
    response = client.post(f"/requests/{rid}/feedback", data={"usefulness": "5", "timeliness": "4",
                                                                "expertise": "5", "comment": "Very practical."})
    assert response.status_code == 302
    assert client.post(f"/requests/{rid}/feedback", data={"usefulness": "1", "timeliness": "1",
                                                            "expertise": "1"}).status_code == 409
    auth.logout()
    auth.login(coordinator)
    page = client.get(f"/requests/{rid}").get_data(as_text=True)
    assert "Very practical." in page
    # The expert's engagement never reported here: closing anyway is refused until confirmed on the desk.
    assert client.post(f"/requests/{rid}/transition", data={"to_status": "closed"}).status_code == 302
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.EVALUATION
    client.post(f"/coordination/requests/{rid}/move", data={"to_status": "closed", "confirm_close": "y"})
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.CLOSED and assistance_request.closed_at
    assert db.session.scalar(sa.select(sa.func.count(Feedback.id))) == 1
    actions = _audit_actions(assistance_request)
    for expected in ("request.created", "request.submitted", "request.triage", "request.info_requested",
                     "request.updated", "request.message", "request.feedback", "request.closed",
                     "request.read_sensitive"):
        assert expected in actions
    assert [e.to_status for e in assistance_request.events] == [
        "submitted", "triage", "info_requested", "triage", "matching", "inviting", "assigned", "in_progress",
        "delivered", "evaluation", "closed"]


def test_submit_from_the_form(client, auth, users):
    ensure_topics()
    auth.login(users["member"])
    response = client.post(new_form_url(client), data={**form_data(), "submit": "Submit request"})
    assert response.status_code == 302
    assistance_request = db.session.scalar(sa.select(AssistanceRequest))
    assert assistance_request.status == S.SUBMITTED


def test_withdraw_needs_a_reason_and_then_works(client, auth, users):
    ensure_topics()
    auth.login(users["member"])
    client.post(new_form_url(client), data={**form_data(), "submit": "Submit request"})
    assistance_request = db.session.scalar(sa.select(AssistanceRequest))
    response = client.post(f"/requests/{assistance_request.id}/withdraw", data={"reason": ""},
                           follow_redirects=True)
    assert "Give a reason" in response.get_data(as_text=True)
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.SUBMITTED
    client.post(f"/requests/{assistance_request.id}/withdraw", data={"reason": "Solved locally."})
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.WITHDRAWN
    assert client.post(f"/requests/{assistance_request.id}/withdraw", data={"reason": "again"}).status_code == 409
    assert client.get(f"/requests/{assistance_request.id}/edit").status_code == 409


def test_coordinator_illegal_transition_is_409(client, auth, users):
    from tests.requests.factories import make_request

    assistance_request = make_request(users["member"], S.SUBMITTED, users["coordinator"])
    auth.login(users["coordinator"])
    assert client.post(f"/requests/{assistance_request.id}/transition", data={"to_status": "closed"}).status_code == 409
    assert client.post(f"/requests/{assistance_request.id}/transition", data={"to_status": "nonsense"}).status_code == 400
    response = client.post(f"/requests/{assistance_request.id}/transition", data={"to_status": "rejected"},
                           follow_redirects=True)
    assert "Give a reason" in response.get_data(as_text=True)
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.SUBMITTED
    assert lifecycle.allowed_transitions(assistance_request, users["coordinator"])


def test_mail_goes_both_ways_without_the_message_text(client, auth, users, sent_mail):
    from tests.requests.factories import make_request

    assistance_request = make_request(users["member"], S.TRIAGE, users["coordinator"])
    assistance_request.lead_coordinator_id = users["coordinator"].id
    users["member"].locale = "ar"
    db.session.commit()
    auth.login(users["coordinator"])
    client.post(f"/requests/{assistance_request.id}/messages", data={"body": "SECRET-QUESTION about site B"})
    auth.logout()
    auth.login(users["member"])
    client.post(f"/requests/{assistance_request.id}/messages", data={"body": "SECRET-ANSWER about site B"})
    to_member = [m for m in sent_mail if m["To"] == users["member"].email]
    to_coordinator = [m for m in sent_mail if m["To"] == users["coordinator"].email]
    assert len(to_member) == 1 and len(to_coordinator) == 1
    assert "رسالة جديدة من المنسقين" in to_member[0]["Subject"]  # in the member's language
    for mail in to_member + to_coordinator:
        assert "SECRET" not in mail.get_body(("plain",)).get_content()
