"""The races measured on PostgreSQL, replayed: threads released together by a barrier, each with its own
signed-in test client (its own app context, session and connection) or its own session. Afterwards: no 5xx,
exactly one winner, and every expert's commitments equal their pending invitations plus open engagements."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.audit.models import AuditEvent
from expertnet.engagements import services
from expertnet.engagements.models import Engagement, EngagementStatus as ES, Invitation, InvitationStatus as IS
from expertnet.engagements.need_to_know import end_lapsed_access
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.conftest import POSTGRES_URL, AuthActions, make_user
from tests.coordination.desk_helpers import deadline
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert
from tests.engagements.invariants import commitments_drift

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")


def at_once(app, calls) -> list:
    """Run each call in its own thread and app context, all released at the same moment; the result of each,
    or the exception it raised (the app is in testing mode: an unexpected error is raised, not a 500 page)."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = call()
            except Exception as exc:  # noqa: BLE001 - any exception is the failure being looked for
                results[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def signed_in(app, user):
    client = app.test_client()
    AuthActions(client).login(user)
    return client


def statuses(results) -> list:
    assert not [r for r in results if isinstance(r, Exception)], results
    codes = [r.status_code for r in results]
    assert all(code < 500 for code in codes), codes
    return codes


def audit_count(action: str, object_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == action,
                                                                           AuditEvent.object_id == object_id))


def act(client, engagement_id: int, action: str, reason: str = ""):
    return lambda: client.post(f"/coordination/engagements/{engagement_id}/act",
                               data={"action": action, "reason": reason})


@pytest.fixture
def coordinators(app):
    return [make_user(Role.COORDINATOR) for _ in range(10)]


def two_engagements(coordinator, capacity=2):
    """An expert on two requests: the first engagement's report accepted (ready to close), the second open."""
    profile = make_expert(capacity=capacity)
    engagements = [accept(invite(coordinator, make_assistance_request(coordinator=coordinator), profile))
                   for _ in range(2)]
    first = engagements[0]
    services.start_engagement(profile.user, first)
    services.submit_report(profile.user, first, "Done.")
    services.accept_report(coordinator, first)
    db.session.commit()
    return profile, engagements


def test_ten_parallel_closes_close_once_and_release_once(app, coordinators):
    profile, (first, second) = two_engagements(coordinators[0])
    clients = [signed_in(app, c) for c in coordinators]
    db.session.commit()
    codes = statuses(at_once(app, [act(client, first.id, "close") for client in clients]))
    assert set(codes) <= {303, 409}, codes
    db.session.expire_all()
    assert audit_count("engagement.closed", first.id) == 1
    assert db.session.get(Engagement, second.id).status == ES.PLANNED
    assert db.session.get(ExpertProfile, profile.id).commitments == 1, "the open engagement still holds its place"
    assert commitments_drift() == {}


def test_ten_parallel_withdrawals_withdraw_once(app, coordinators):
    profile, (first, second) = two_engagements(coordinators[0])
    clients = [signed_in(app, c) for c in coordinators]
    db.session.commit()
    codes = statuses(at_once(app, [act(client, second.id, "withdraw", "Unavailable") for client in clients]))
    assert set(codes) <= {303, 409}, codes
    db.session.expire_all()
    assert audit_count("engagement.withdrawn", second.id) == 1
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "engagement_withdrawn")) == 1
    assert db.session.get(ExpertProfile, profile.id).commitments == 1, "the report-accepted one is still open"
    assert commitments_drift() == {}


@pytest.mark.parametrize("trial", range(5))
def test_decline_and_revoke_at_once_one_wins(app, coordinators, trial):
    coordinator = coordinators[0]
    profile = make_expert(capacity=2)
    invitation = invite(coordinator, make_assistance_request(coordinator=coordinator), profile)
    invite(coordinator, make_assistance_request(coordinator=coordinator), profile)  # a second place taken
    expert_client, coordinator_client = signed_in(app, profile.user), signed_in(app, coordinator)
    db.session.commit()
    decline_url = f"/invitations/{invitation.id}/decline"
    revoke_url = f"/coordination/invitations/{invitation.id}/revoke"
    results = at_once(app, [lambda: expert_client.post(decline_url, data={"reason": "dates"}),
                            lambda: coordinator_client.post(revoke_url, data={"reason": "Rescoped"})])
    declined, revoked = statuses(results)
    db.session.expire_all()
    status = db.session.get(Invitation, invitation.id).status
    assert status in (IS.DECLINED, IS.REVOKED)
    assert (declined, revoked) == ((302, 409) if status == IS.DECLINED else (409, 303))
    assert audit_count("invitation.declined", invitation.id) + audit_count("invitation.revoked", invitation.id) == 1
    assert db.session.get(ExpertProfile, profile.id).commitments == 1
    assert commitments_drift() == {}


def invite_in_own_session(coordinator_id: int, request_id: int, expert_id: int):
    def call():
        coordinator = db.session.get(User, coordinator_id)
        assistance_request = db.session.get(AssistanceRequest, request_id)
        profile = db.session.get(ExpertProfile, expert_id)
        try:
            services.invite_expert(coordinator, assistance_request, profile, "Please help", deadline())
            db.session.commit()
            return "invited"
        except services.InvitationError as exc:
            db.session.rollback()
            return exc.code
    return call


def test_parallel_invitations_never_go_beyond_capacity(app, coordinators):
    profile = make_expert(capacity=3)
    requests = [make_assistance_request(coordinator=c) for c in coordinators[:6]]
    results = at_once(app, [invite_in_own_session(c.id, r.id, profile.id) for c, r in zip(coordinators, requests)])
    assert sorted(results) == ["at_capacity"] * 3 + ["invited"] * 3, results
    db.session.expire_all()
    assert db.session.get(ExpertProfile, profile.id).commitments == 3
    assert commitments_drift() == {}


def test_two_experts_starting_at_once_both_start_and_the_request_moves_once(app, coordinators):
    coordinator = coordinators[0]
    assistance_request = make_assistance_request(coordinator=coordinator, experts_wanted=2)
    engagements = [accept(invite(coordinator, assistance_request, make_expert())) for _ in range(2)]
    assert assistance_request.status == S.ASSIGNED
    clients = [signed_in(app, e.expert.user) for e in engagements]
    db.session.commit()
    urls = [f"/engagements/{e.id}/start" for e in engagements]  # ids read here: the objects are this thread's
    codes = statuses(at_once(app, [lambda c=c, url=url: c.post(url) for c, url in zip(clients, urls)]))
    assert codes == [302, 302]
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, assistance_request.id).status == S.IN_PROGRESS
    assert audit_count("request.in_progress", assistance_request.id) == 1
    assert {db.session.get(Engagement, e.id).status for e in engagements} == {ES.ACTIVE}
    assert commitments_drift() == {}


def test_two_workers_ending_lapsed_access_at_once_record_it_once(app, coordinators):
    _profile, (first, _second) = two_engagements(coordinators[0])
    services.close_engagement(coordinators[0], first)
    first.closed_at -= timedelta(days=31)
    db.session.commit()

    def end_and_commit():
        ended = end_lapsed_access()
        db.session.commit()
        return ended

    assert sorted(at_once(app, [end_and_commit, end_and_commit])) == [0, 1]
    assert audit_count("need_to_know.ended", first.id) == 1


@pytest.mark.parametrize("trial", range(6))
def test_closing_the_request_while_the_expert_accepts_has_one_outcome(app, coordinators, trial):
    """Issue 13 bug 2: the coordinator closes the request as the second expert accepts. Either the acceptance
    came first (an engagement, closed with the request, or the close refused as stale) or the close did (the
    invitation closed because of it, the acceptance refused); never both, never a 500, places counted right."""
    coordinator = coordinators[0]
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator, experts_wanted=2)
    accept(invite(coordinator, assistance_request, make_expert()))
    profile = make_expert()
    invitation = invite(coordinator, assistance_request, profile)
    services.accept_terms(profile.user, invitation, services.CONFIDENTIALITY_TERMS_VERSION)
    expert_client, coordinator_client = signed_in(app, profile.user), signed_in(app, coordinator)
    db.session.commit()
    accept_url = f"/invitations/{invitation.id}/accept"
    close_url = f"/coordination/requests/{assistance_request.id}/move"
    close = {"to_status": "closed", "note": "Closing with one expert.", "confirm_close": "y"}
    accepted, closed = statuses(at_once(app, [lambda: expert_client.post(accept_url),
                                              lambda: coordinator_client.post(close_url, data=close)]))
    db.session.expire_all()
    invitation, request_now = db.session.get(Invitation, invitation.id), db.session.get(AssistanceRequest,
                                                                                        assistance_request.id)
    moves = audit_count("invitation.accepted", invitation.id) + audit_count("invitation.revoked", invitation.id)
    assert moves == 1, "exactly one outcome for the invitation"
    if invitation.status == IS.REVOKED:
        assert invitation.closed_because.value == "request_closed" and invitation.engagement is None
        assert (accepted, closed) == (409, 303) and request_now.status == S.CLOSED
    else:
        assert invitation.status == IS.ACCEPTED and accepted == 302 and closed in (303, 409)
        expected = ES.CLOSED if request_now.status == S.CLOSED else ES.PLANNED
        assert invitation.engagement.status == expected
    assert commitments_drift() == {}
