"""The API's role operations (issue 16, item 3) as an expert's and any user's systems use them: invitations
with need-to-know (summary until accepted under the current terms, then the full request, audited) and
notifications; every answer validated against the served OpenAPI document."""
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.extensions import db
from expertnet.notifications.models import Notification
from tests.engagements.factories import invite, make_assistance_request, make_expert


def test_an_expert_reads_the_summary_accepts_the_terms_and_the_invitation_then_reads_it_all(app, users, api_as):
    assistance_request = make_assistance_request(users["member"], coordinator=users["coordinator"])
    invitation = invite(users["coordinator"], assistance_request, make_expert(user=users["expert"]))
    api = api_as(users["expert"])
    listed = api.get("/invitations")
    assert listed.headers["X-Total-Count"] == "1"
    assert listed.get_json()[0]["request"]["reference"] == assistance_request.reference

    before = api.get(f"/invitations/{invitation.id}").get_json()
    assert before["full"] is False and before["terms_current"] is False
    assert "gap_statement" not in before["request"]  # the summary schema decides what leaves the server
    assert api.post(f"/invitations/{invitation.id}/accept").get_json()["code"] == "terms_required"
    stale = api.post(f"/invitations/{invitation.id}/terms", json={"terms_version": "1999-1"})
    assert stale.status_code == 422 and stale.get_json()["code"] == "terms_outdated"

    signed = api.post(f"/invitations/{invitation.id}/terms", json={"terms_version": CONFIDENTIALITY_TERMS_VERSION})
    assert signed.status_code == 200 and signed.get_json()["terms_current"] is True
    assert signed.get_json()["full"] is False  # the terms alone open nothing: the acceptance does
    engagement = api.post(f"/invitations/{invitation.id}/accept")
    assert engagement.status_code == 200 and engagement.get_json()["status"] == "planned"
    again = api.post(f"/invitations/{invitation.id}/accept")  # the invitation machine: a repeat is a no-op
    assert again.status_code == 200 and again.get_json()["id"] == engagement.get_json()["id"]

    after = api.get(f"/invitations/{invitation.id}").get_json()
    assert after["full"] is True and after["request"]["gap_statement"]
    reads = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "request.read_sensitive")).all()
    assert any(read.actor_id == users["expert"].id for read in reads)
    declined = api.post(f"/invitations/{invitation.id}/decline", json={"reason": "no_capacity"})
    assert declined.status_code == 409


def test_declining_needs_a_reason_and_a_note_for_other(app, users, api_as):
    assistance_request = make_assistance_request(users["member"], coordinator=users["coordinator"])
    invitation = invite(users["coordinator"], assistance_request, make_expert(user=users["expert"]))
    api = api_as(users["expert"])
    assert api.post(f"/invitations/{invitation.id}/decline", json={}).status_code == 422
    assert api.post(f"/invitations/{invitation.id}/decline", json={"reason": "other"}).get_json()["code"] == \
        "reason_required"
    declined = api.post(f"/invitations/{invitation.id}/decline", json={"reason": "other", "note": "On leave."})
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    assert declined.get_json()["full"] is False


def test_notifications_list_filter_and_mark_read(app, users, api_as):
    for kind in ("request_submitted", "message_new"):
        db.session.add(Notification(user_id=users["member"].id, kind=kind, facts={"reference": "TA-1"},
                                    endpoint="notifications.inbox", link_args={}))
    db.session.add(Notification(user_id=users["other_member"].id, kind="message_new", facts={},
                                endpoint="no.such_endpoint", link_args={}))
    db.session.commit()
    api = api_as(users["member"])
    listed = api.get("/notifications?unread=true")
    assert listed.headers["X-Total-Count"] == "2" and listed.get_json()[0]["link"].endswith("/notifications")
    first = listed.get_json()[0]["id"]
    read = api.post(f"/notifications/{first}/read")
    assert read.status_code == 200 and read.get_json()["read_at"]
    assert api.get("/notifications?unread=true").headers["X-Total-Count"] == "1"
    assert api.post("/notifications/read").get_json() == {"marked": 1}
    assert api.get("/notifications?unread=false").headers["X-Total-Count"] == "2"
    other = api_as(users["other_member"]).get("/notifications").get_json()
    assert len(other) == 1 and other[0]["link"] is None  # a page that no longer exists: no link
