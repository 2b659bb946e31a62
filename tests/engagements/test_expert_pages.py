"""The expert's pages through the Flask test client: inbox, invitation (summary, terms, accept, decline),
engagement (start, notes, thread, deliverable, report) and the clear errors for late or withdrawn answers."""
import io
from datetime import timedelta

import pytest
from flask_babel import refresh
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.attachments.models import Attachment
from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.engagements import services
from expertnet.engagements.models import EngagementStatus, InvitationStatus
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.extensions import db
from expertnet.requests.models import RequestMessage, RequestStatus as S
from tests.conftest import make_user
from tests.engagements.factories import (SECRET_ANNEX, SECRET_GAP, SECRET_OUTCOME, SECRET_URGENCY, accept, invite,
                                         make_assistance_request, make_expert)

SECRETS = (SECRET_GAP, SECRET_OUTCOME, SECRET_ANNEX, SECRET_URGENCY)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def invited(coordinator):
    expert = make_expert()
    assistance_request = make_assistance_request(coordinator=coordinator)
    return invite(coordinator, assistance_request, expert, message="Your customs background fits.")


def test_inbox_and_invitation_show_the_summary_only(client, auth, invited):
    auth.login(invited.expert.user)
    inbox = client.get("/invitations")
    assert inbox.status_code == 200 and b"Targeting precursor shipments" in inbox.data
    page = client.get(f"/invitations/{invited.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Customs needs risk indicators" in text and CONFIDENTIALITY_TERMS_VERSION in text
    assert not any(secret in text for secret in SECRETS)


def test_accepting_terms_then_invitation_opens_the_detail(client, auth, invited):
    auth.login(invited.expert.user)
    refused = client.post(f"/invitations/{invited.id}/accept", follow_redirects=True)
    assert "Accept the confidentiality terms" in refused.get_data(as_text=True)
    unticked = client.post(f"/invitations/{invited.id}/terms", data={"terms_version": CONFIDENTIALITY_TERMS_VERSION})
    assert unticked.status_code == 302 and invited.terms_accepted_at is None
    client.post(f"/invitations/{invited.id}/terms", data={"terms_version": CONFIDENTIALITY_TERMS_VERSION, "agree": "y"})
    response = client.post(f"/invitations/{invited.id}/accept")
    assert response.status_code == 302 and "/engagements/" in response.headers["Location"]
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert SECRET_GAP in detail and SECRET_OUTCOME in detail
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "request.read_sensitive", AuditEvent.actor_id == invited.expert.user_id)) >= 1


def test_decline_with_reason(client, auth, invited):
    auth.login(invited.expert.user)
    response = client.post(f"/invitations/{invited.id}/decline", data={"reason": "dates", "note": "Away in May"})
    assert response.status_code == 302
    db.session.expire_all()
    assert invited.status == InvitationStatus.DECLINED and invited.request.status == S.MATCHING
    assert client.post(f"/invitations/{invited.id}/decline", data={"reason": "bogus"}).status_code == 400


def test_declining_needs_a_chosen_reason_and_never_assumes_a_conflict(client, auth, invited):
    """One click on Decline used to record "conflict of interest" (the list's first entry) and exclude the
    expert from the agency's next requests."""
    auth.login(invited.expert.user)
    page = client.get(f"/invitations/{invited.id}").get_data(as_text=True)
    assert '<select id="reason" name="reason"><option value="">' in page  # nothing chosen until the expert does
    response = client.post(f"/invitations/{invited.id}/decline", data={"reason": ""}, follow_redirects=True)
    assert "Choose why you decline the invitation." in response.get_data(as_text=True)
    db.session.expire_all()
    assert invited.status == InvitationStatus.PENDING and invited.decline_reason is None
    assert invited.request.organisation not in invited.expert.conflict_organisations


def test_a_declared_conflict_is_shown_to_the_expert(client, auth, invited):
    auth.login(invited.expert.user)
    client.post(f"/invitations/{invited.id}/decline", data={"reason": "conflict", "note": "I advised them"})
    db.session.expire_all()
    assert invited.status == InvitationStatus.CONFLICT_DECLARED
    assert invited.request.organisation in invited.expert.conflict_organisations
    page = client.get(f"/invitations/{invited.id}").get_data(as_text=True)
    assert "You declared a conflict of interest: you will not be suggested" in page


def test_late_and_withdrawn_answers_get_a_clear_error(client, auth, coordinator, invited):
    invited.respond_by = utcnow() - timedelta(hours=1)
    db.session.commit()
    auth.login(invited.expert.user)
    late = client.post(f"/invitations/{invited.id}/terms", data={"terms_version": CONFIDENTIALITY_TERMS_VERSION,
                                                                 "agree": "y"}, follow_redirects=True)
    assert "deadline to answer this invitation has passed" in late.get_data(as_text=True)
    invited.respond_by = utcnow() + timedelta(days=1)
    services.revoke_invitation(coordinator, invited, "Rescoped")
    db.session.commit()
    withdrawn = client.post(f"/invitations/{invited.id}/decline", data={"reason": "dates"}, follow_redirects=True)
    assert "withdrew this invitation" in withdrawn.get_data(as_text=True)
    page = client.get(f"/invitations/{invited.id}").get_data(as_text=True)
    assert "Customs needs risk indicators" not in page


def test_engagement_work(client, auth, coordinator, invited):
    engagement = accept(invited)
    auth.login(invited.expert.user)
    url = f"/engagements/{engagement.id}"
    assert client.post(f"{url}/start").status_code == 302
    assert client.post(f"{url}/start").status_code == 302  # a repeat (double click): the same outcome, no change
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "engagement.active", AuditEvent.object_id == engagement.id)) == 1
    client.post(f"{url}/notes", data={"body": "Workshop agenda agreed."})
    assert client.post(f"{url}/notes", data={"body": ""}).status_code == 400
    client.post(f"{url}/messages", data={"body": "Could you send the HS code list?"})
    upload = client.post(f"{url}/deliverables", data={"file": (io.BytesIO(PDF), "indicators.pdf"), "tlp": "TLP:AMBER"},
                         content_type="multipart/form-data")
    assert upload.status_code == 302
    bad = client.post(f"{url}/deliverables", data={"file": (io.BytesIO(b"MZ\x90\x00"), "tool.exe"), "tlp": "TLP:AMBER"},
                      content_type="multipart/form-data")
    assert bad.status_code == 400
    attachment = db.session.scalar(sa.select(Attachment).where(Attachment.engagement_id == engagement.id))
    assert client.get(f"{url}/deliverables/{attachment.id}").data == PDF
    client.post(f"{url}/report", data={"report": "Indicators delivered, 20 officers trained.", "days_spent": "4.5"})
    db.session.expire_all()
    assert engagement.status == EngagementStatus.REPORT_SUBMITTED and engagement.days_spent == 4.5
    assert [n.body for n in engagement.notes] == ["Workshop agenda agreed."]
    assert db.session.scalar(sa.select(RequestMessage.body).where(RequestMessage.request_id == engagement.request_id))
    page = client.get(url).get_data(as_text=True)
    assert "indicators.pdf" in page and "Indicators delivered" in page
    mine = client.get("/engagements").get_data(as_text=True)
    assert "Targeting precursor shipments" in mine


def test_experts_never_reach_others_invitations_or_engagements(client, auth, coordinator, invited):
    other = make_expert()
    engagement = accept(invited)
    auth.login(other.user)
    for url in (f"/invitations/{invited.id}", f"/invitations/{invited.id}.json", f"/engagements/{engagement.id}"):
        assert client.get(url).status_code == 404
    for url in (f"/invitations/{invited.id}/accept", f"/engagements/{engagement.id}/notes",
                f"/engagements/{engagement.id}/report"):
        assert client.post(url, data={"body": "x", "report": "x"}).status_code == 404
    assert client.get(f"/requests/{invited.request_id}").status_code == 404
    assert b"Targeting precursor" not in client.get("/invitations").data


def test_home_panel_and_mail(client, auth, coordinator, invited):
    auth.login(invited.expert.user)
    home = client.get("/")
    assert home.status_code == 200 and "invitation awaiting your answer" in home.get_data(as_text=True)
    from expertnet.notifications.models import OutboxMessage

    new = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "invitation_new"))
    assert new.recipient == invited.expert.user.email and f"/invitations/{invited.id}" in new.text_body
    client.post(f"/invitations/{invited.id}/terms", data={"terms_version": CONFIDENTIALITY_TERMS_VERSION, "agree": "y"})
    client.post(f"/invitations/{invited.id}/accept")
    answered = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "invitation_accepted"))
    assert answered.recipient == coordinator.email and f"/coordination/requests/{invited.request_id}" in answered.text_body


def test_arabic_pages_render_in_arabic(client, auth, invited):
    invited.expert.user.locale = "ar"
    db.session.commit()
    auth.login(invited.expert.user)
    refresh()  # the test's app context (and its cached locale) spans the requests
    page = client.get(f"/invitations/{invited.id}").get_data(as_text=True)
    assert 'dir="rtl"' in page and "شروط السرية" in page and "قبول الشروط" in page
    assert "تعديل ملفي" in client.get("/profile/preview").get_data(as_text=True)


def test_invitation_json_is_the_reduced_schema_until_accepted(client, auth, invited):
    auth.login(invited.expert.user)
    before = client.get(f"/invitations/{invited.id}.json").get_json()
    assert before["full"] is False and before["status"] == "pending" and before["terms_current"] is False
    assert "gap_statement" not in before["request"] and "annex" not in before["request"]
    accept(invited)
    after = client.get(f"/invitations/{invited.id}.json").get_json()
    assert after["full"] is True and after["request"]["gap_statement"] == SECRET_GAP
