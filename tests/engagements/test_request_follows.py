"""Issue 13 bugs 2 and 4: the request and its invitations and engagements move together.

Bug 2: a request that is closed, withdrawn, rejected or filled closes its pending invitations through the
invitation machine (the expert told by e-mail, the invitation page says why, the place released once, audited).
Bug 4: the request follows its engagements (assigned at the first acceptance, in progress when work starts,
delivered when every report is accepted), its SLA clocks say so, and the coordinator closes it in one action.
"""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.coordination import sla
from expertnet.engagements import services
from expertnet.engagements.models import EngagementStatus as ES, InvitationStatus as IS
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from expertnet.requests import lifecycle
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_user
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert
from tests.engagements.invariants import commitments_drift


def mails(kind: str, recipient: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind,
                                                                  OutboxMessage.recipient == recipient)))


def audits(action: str, object_id: int) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action,
                                                               AuditEvent.object_id == object_id)))


def two_invited(experts_wanted: int = 2):
    coordinator = make_user(Role.COORDINATOR)
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator,
                                                 experts_wanted=experts_wanted)
    first, second = (invite(coordinator, assistance_request, make_expert()) for _ in range(2))
    return coordinator, assistance_request, first, second


def close_on_desk(client, assistance_request, confirm=True):
    data = {"to_status": "closed", "note": "Closing."}
    if confirm:
        data["confirm_close"] = "y"
    return client.post(f"/coordination/requests/{assistance_request.id}/move", data=data)


def test_closing_the_request_closes_the_other_pending_invitation(app, client, auth):
    coordinator, assistance_request, first, second = two_invited()
    accept(first)
    auth.login(coordinator)
    assert close_on_desk(client, assistance_request).status_code == 303
    db.session.expire_all()
    assert assistance_request.status == S.CLOSED
    assert second.status == IS.REVOKED and second.closed_because.value == "request_closed"
    assert second.expert.commitments == 0 and commitments_drift() == {}
    # Audited once, as the invitation machine's move; the expert is told by mail why.
    [moved] = audits("invitation.revoked", second.id)
    assert moved.details["closed_because"] == "request_closed" and moved.actor_id is None
    [mail] = mails("invitation_closed", second.expert.user.email)
    assert "closed this request" in mail.text_body
    # The desk says the invitation closed with the request, not that a coordinator revoked it.
    desk = client.get(f"/coordination/requests/{assistance_request.id}").get_data(as_text=True)
    assert "Closed with the request" in desk
    # The expert's page says why and offers no answer any more; answering is a conflict, not a 500.
    auth.logout()
    auth.login(second.expert.user)
    page = client.get(f"/invitations/{second.id}").get_data(as_text=True)
    assert "closed this request" in page and "Awaiting your answer" not in page
    assert f"/invitations/{second.id}/accept" not in page
    assert client.post(f"/invitations/{second.id}/accept").status_code == 409
    db.session.expire_all()
    assert second.status == IS.REVOKED and second.engagement is None
    # The accepted expert's engagement ended with the request (read-only access, place released).
    assert first.engagement.status == ES.CLOSED and first.expert.commitments == 0


def test_filling_the_request_closes_the_alternates_invitations(app):
    _coordinator, assistance_request, first, second = two_invited(experts_wanted=1)
    accept(first)
    db.session.expire_all()
    assert second.status == IS.REVOKED and second.closed_because.value == "request_filled"
    assert len(mails("invitation_closed", second.expert.user.email)) == 1
    assert second.expert.commitments == 0 and commitments_drift() == {}
    # A repeat of the acceptance changes nothing and tells nobody twice.
    services.accept_invitation(first.expert.user, first)
    db.session.commit()
    assert len(mails("invitation_closed", second.expert.user.email)) == 1
    assert len(audits("invitation.revoked", second.id)) == 1


def test_withdrawing_or_rejecting_the_request_closes_its_pending_invitations(app):
    coordinator, withdrawn, first, _second = two_invited()
    lifecycle.transition(withdrawn, S.WITHDRAWN, withdrawn.created_by, "We found help elsewhere.")
    db.session.commit()
    assert first.status == IS.REVOKED and first.closed_because.value == "request_withdrawn"
    rejected = make_assistance_request(status=S.MATCHING, coordinator=coordinator)
    invitation = invite(coordinator, rejected, make_expert())
    lifecycle.transition(rejected, S.REJECTED, coordinator, "Out of the network's scope.")
    db.session.commit()
    assert invitation.status == IS.REVOKED and invitation.closed_because.value == "request_rejected"
    assert commitments_drift() == {}


def test_the_request_follows_its_engagements_and_closes_in_one_action(client, auth):
    coordinator, assistance_request, first, second = two_invited()
    engagement = accept(first)
    assert assistance_request.status == S.ASSIGNED, "assigned when the first engagement starts"
    assert sla.clock(assistance_request, sla.Milestone.ASSIGNMENT).state == sla.SlaState.MET
    assert sla.current_clock(assistance_request) is None
    services.start_engagement(first.expert.user, engagement)
    db.session.commit()
    assert assistance_request.status == S.IN_PROGRESS
    other = accept(second)
    services.start_engagement(second.expert.user, other)
    for each in (engagement, other):
        services.submit_report(each.expert.user, each, "Findings and recommendations.")
    services.accept_report(coordinator, engagement)
    db.session.commit()
    assert assistance_request.status == S.IN_PROGRESS, "one report still under review"
    services.accept_report(coordinator, other)
    db.session.commit()
    assert assistance_request.status == S.DELIVERED
    # Repeats are harmless: the request does not move again.
    services.accept_report(coordinator, other)
    db.session.commit()
    assert [e.to_status for e in assistance_request.events].count("delivered") == 1
    # One confirmation closes the request and its engagements, with no warning to confirm.
    auth.login(coordinator)
    assert close_on_desk(client, assistance_request, confirm=False).status_code == 303
    db.session.expire_all()
    assert assistance_request.status == S.CLOSED
    assert {engagement.status, other.status} == {ES.CLOSED}
    assert engagement.closed_at is not None and commitments_drift() == {}
