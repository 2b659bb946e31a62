"""Every move of an invitation or engagement is one guarded transition: a repeat is a harmless no-op (same
outcome, no second audit row, no second release), a move that lost to another is a 409 page that says why —
never a 500 — and the expert's commitments always equal the rows. Runs on SQLite and PostgreSQL."""
import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.engagements import services
from expertnet.engagements.models import DeclineReason, Engagement, EngagementStatus as ES, InvitationStatus as IS
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_user
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert
from tests.engagements.invariants import commitments_drift


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def invitation(coordinator):
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator)
    return invite(coordinator, assistance_request, make_expert(capacity=2))


def act(client, engagement, action, reason=""):
    return client.post(f"/coordination/engagements/{engagement.id}/act", data={"action": action, "reason": reason})


def audit_count(action: str, object_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == action,
                                                                           AuditEvent.object_id == object_id))


def report_accepted(coordinator, invitation) -> Engagement:
    engagement = accept(invitation)
    services.start_engagement(invitation.expert.user, engagement)
    services.submit_report(invitation.expert.user, engagement, "Done.")
    services.accept_report(coordinator, engagement)
    db.session.commit()
    return engagement


def test_closing_twice_closes_once(client, auth, coordinator, invitation):
    engagement = report_accepted(coordinator, invitation)
    auth.login(coordinator)
    assert act(client, engagement, "close").status_code == 303
    assert act(client, engagement, "close").status_code == 303
    db.session.expire_all()
    assert engagement.status == ES.CLOSED and audit_count("engagement.closed", engagement.id) == 1
    assert invitation.expert.commitments == 0 and commitments_drift() == {}


@pytest.mark.parametrize("action", ["withdraw", "replace"])
def test_withdrawing_twice_withdraws_once(client, auth, coordinator, invitation, action):
    engagement = accept(invitation)
    auth.login(coordinator)
    assert act(client, engagement, action, "Fell ill").status_code == 303
    assert act(client, engagement, action, "Fell ill").status_code == 303
    db.session.expire_all()
    assert engagement.status == ES.WITHDRAWN and audit_count("engagement.withdrawn", engagement.id) == 1
    assert audit_count("engagement.replacement_sought", engagement.id) == (1 if action == "replace" else 0)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "engagement_withdrawn")) == 1
    assert commitments_drift() == {}


def test_closing_a_withdrawn_engagement_is_a_409(client, auth, coordinator, invitation):
    engagement = accept(invitation)
    services.withdraw_expert(coordinator, engagement, "Left the network")
    db.session.commit()
    auth.login(coordinator)
    response = act(client, engagement, "close")
    assert response.status_code == 409
    assert "cannot make that step" in response.get_data(as_text=True)
    db.session.expire_all()
    assert engagement.status == ES.WITHDRAWN and audit_count("engagement.closed", engagement.id) == 0


def test_declining_a_revoked_invitation_is_a_409_that_says_so(client, auth, coordinator, invitation):
    services.revoke_invitation(coordinator, invitation, "Rescoped")
    db.session.commit()
    auth.login(invitation.expert.user)
    response = client.post(f"/invitations/{invitation.id}/decline", data={"reason": "dates"})
    assert response.status_code == 409
    assert "withdrew this invitation" in response.get_data(as_text=True)
    db.session.expire_all()
    assert invitation.status == IS.REVOKED and audit_count("invitation.declined", invitation.id) == 0
    assert commitments_drift() == {}


def test_revoking_a_declined_invitation_is_a_409_and_releases_nothing(client, auth, coordinator, invitation):
    services.decline_invitation(invitation.expert.user, invitation, DeclineReason.DATES)
    db.session.commit()
    auth.login(coordinator)
    response = client.post(f"/coordination/invitations/{invitation.id}/revoke", data={"reason": "Rescoped"})
    assert response.status_code == 409
    db.session.expire_all()
    assert invitation.status == IS.DECLINED and audit_count("invitation.revoked", invitation.id) == 0
    assert commitments_drift() == {}


def test_declining_or_accepting_twice_changes_nothing_more(client, auth, coordinator, invitation):
    auth.login(invitation.expert.user)
    assert client.post(f"/invitations/{invitation.id}/decline", data={"reason": "dates"}).status_code == 302
    assert client.post(f"/invitations/{invitation.id}/decline", data={"reason": "dates"}).status_code == 302
    assert audit_count("invitation.declined", invitation.id) == 1
    other = invite(coordinator, make_assistance_request(status=S.MATCHING, coordinator=coordinator),
                   invitation.expert)
    first = accept(other)
    assert services.accept_invitation(other.expert.user, other) is first
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Engagement.id))) == 1
    assert audit_count("invitation.accepted", other.id) == 1 and commitments_drift() == {}


def test_an_expert_cannot_start_a_suspended_engagement(client, auth, coordinator, invitation):
    """Three moves lead to active; the table says the expert's is only from planned."""
    engagement = accept(invitation)
    services.suspend_engagement(coordinator, engagement, "Venue closed")
    db.session.commit()
    auth.login(invitation.expert.user)
    assert client.post(f"/engagements/{engagement.id}/start").status_code == 409
    db.session.expire_all()
    assert engagement.status == ES.SUSPENDED


def test_a_withdrawn_experts_acceptance_no_longer_counts_towards_the_experts_wanted(coordinator):
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator, experts_wanted=2)
    first = accept(invite(coordinator, assistance_request, make_expert()))
    services.withdraw_expert(coordinator, first, "Conflict found")
    db.session.commit()
    second, third = (invite(coordinator, assistance_request, make_expert()) for _ in range(2))
    alternate = invite(coordinator, assistance_request, make_expert())
    accept(second)
    assert alternate.status == IS.PENDING, "one expert on the request, two wanted: the others stay invited"
    accept(third)
    assert assistance_request.status == S.ASSIGNED
    assert alternate.status == IS.REVOKED and alternate.closed_because.value == "request_filled"
