"""The whole coordinator flow through the test client, with the real matcher over the seeded demo experts:
triage -> suggestions -> invite -> one decline, one accept -> assigned -> in progress -> completed."""
import re
from datetime import date, timedelta

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.demo.seed import seed_demo_network
from expertnet.engagements import services as engagement_services
from expertnet.engagements.models import DeclineReason, Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_organisation, make_user
from tests.engagements.factories import make_assistance_request

PICKS = re.compile(r'name="expert_ids" value="(\d+)"')


def actions(assistance_request):
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "assistance_request", AuditEvent.object_id == assistance_request.id)
        .order_by(AuditEvent.id))]


def move(client, assistance_request, to_status, note="", **extra):
    response = client.post(f"/coordination/requests/{assistance_request.id}/move",
                           data={"to_status": to_status.value, "note": note, **extra})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    db.session.refresh(assistance_request)
    assert assistance_request.status == to_status


def test_triage_to_completed_engagement(app, client, auth, sent_mail, monkeypatch):
    monkeypatch.setattr("expertnet.demo.seed.EXTRA_STEPS", [])  # the demo's experts are what this test needs
    seed_demo_network()
    db.session.commit()
    coordinator = make_user(Role.COORDINATOR, full_name="Coordinator Flow")
    member = make_user(Role.MEMBER, make_organisation("Flow Customs Directorate", "JO"))
    assistance_request = make_assistance_request(
        member, S.SUBMITTED, coordinator, experts_wanted=1, languages=["en"],
        topics=("explosives-precursor-controls", "customs-interdiction"),
        title="Ammonium nitrate precursor shipments declared as fertiliser",
        summary="Customs needs targeting indicators for explosive precursor shipments at the port.",
        start_date=date.today() + timedelta(days=400), end_date=date.today() + timedelta(days=410))
    auth.login(coordinator)

    # Triage: the request waits in the queue, is accepted into review, then goes to matching.
    queue = client.get("/coordination/queue").get_data(as_text=True)
    assert assistance_request.title in queue
    move(client, assistance_request, S.TRIAGE)
    move(client, assistance_request, S.MATCHING)

    # Suggestions: real matcher, reasons shown, exclusions counted.
    page = client.get(f"/coordination/requests/{assistance_request.id}/suggestions").get_data(as_text=True)
    ranked = [int(i) for i in PICKS.findall(page)]
    assert len(ranked) >= 5
    assert "<dt>Topics</dt>" in page and "excluded" in page
    first, second = ranked[:2]

    # Invite the two best with a message and a deadline.
    response = client.post(f"/coordination/requests/{assistance_request.id}/suggestions", data={
        "expert_ids": [first, second], "message": "Could you advise Flow Customs on precursor targeting?",
        "respond_by": (date.today() + timedelta(days=5)).isoformat()})
    assert response.status_code == 303
    invitations = {i.expert_id: i for i in db.session.scalars(sa.select(Invitation).where(
        Invitation.request_id == assistance_request.id))}
    assert set(invitations) == {first, second}
    assert all(i.match_score and i.match_score > 0 for i in invitations.values())
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.INVITING
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(OutboxMessage.kind == "invitation_new")) == 2

    # One decline (the reason shows on the desk, with alternates), one accept (the request is assigned).
    declining = invitations[first]
    engagement_services.decline_invitation(declining.expert.user, declining, DeclineReason.DATES, "Travelling then.")
    db.session.commit()
    desk = client.get(f"/coordination/requests/{assistance_request.id}").get_data(as_text=True)
    assert "Dates do not suit" in desk and "Travelling then." in desk
    assert "Alternates" in desk
    accepting = invitations[second]
    engagement_services.accept_terms(accepting.expert.user, accepting, CONFIDENTIALITY_TERMS_VERSION)
    engagement_services.accept_invitation(accepting.expert.user, accepting)
    db.session.commit()
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.ASSIGNED
    desk = client.get(f"/coordination/requests/{assistance_request.id}").get_data(as_text=True)
    assert "Accepted" in desk and "Alternates" not in desk

    # Engagement tracking: dates, a milestone, start (request in progress), notes, report, close.
    engagement = db.session.scalar(sa.select(Engagement).where(Engagement.request_id == assistance_request.id))
    base = f"/coordination/engagements/{engagement.id}"
    start, end = date.today() + timedelta(days=400), date.today() + timedelta(days=405)
    assert client.post(f"{base}/plan", data={"planned_start": start.isoformat(),
                                             "planned_end": end.isoformat()}).status_code == 303
    assert client.post(f"{base}/milestones", data={"title": "Indicator draft reviewed",
                                                   "due_on": start.isoformat()}).status_code == 303
    assert client.post(f"{base}/act", data={"action": "start"}).status_code == 303
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.IN_PROGRESS
    assert client.post(f"{base}/notes", data={"body": "Kick-off call held with the risk unit."}).status_code == 303
    milestone = engagement.milestones[0]
    assert client.post(f"{base}/milestones/{milestone.id}/done").status_code == 303
    engagement_services.submit_report(accepting.expert.user, engagement, "Twelve indicators delivered.", 4.5)
    db.session.commit()
    page = client.get(base).get_data(as_text=True)
    assert "Twelve indicators delivered." in page and "Kick-off call held" in page
    assert client.post(f"{base}/act", data={"action": "accept_report"}).status_code == 303
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.DELIVERED, "the request follows its engagement (issue 13 bug 4)"
    # One action closes the request and its engagement; the planned end is still ahead, so it is confirmed.
    move(client, assistance_request, S.CLOSED, confirm_close="y")
    db.session.refresh(engagement)
    assert engagement.status == EngagementStatus.CLOSED
    assert (engagement.planned_start, engagement.planned_end) == (start, end)

    assert actions(assistance_request)[:4] == ["request.submitted", "request.triage", "request.matching",
                                               "request.inviting"]
    assert "request.closed" in actions(assistance_request)
    engagement_actions = [e.action for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "engagement", AuditEvent.object_id == engagement.id).order_by(AuditEvent.id))]
    assert engagement_actions == ["engagement.planned", "engagement.planned_dates", "engagement.milestone_added",
                                  "engagement.active", "engagement.note_added", "engagement.milestone_done",
                                  "engagement.report_submitted", "engagement.report_accepted", "engagement.closed",
                                  "need_to_know.reduced"]
    assert invitations[first].status == InvitationStatus.DECLINED
