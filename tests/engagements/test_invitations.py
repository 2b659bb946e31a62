"""The invitation state machine through the real services and database, with its audit rows and guards."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.engagements import services
from expertnet.engagements.models import DeclineReason, Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_organisation, make_user
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def request_matching(coordinator):
    return make_assistance_request(coordinator=coordinator)


def test_invite_reserves_capacity_moves_request_and_audits(coordinator, request_matching, sent_mail):
    expert = make_expert(capacity=2)
    invitation = invite(coordinator, request_matching, expert, match_score=0.42)
    assert invitation.status == InvitationStatus.PENDING and invitation.match_score == 0.42
    assert db.session.get(ExpertProfile, expert.id).commitments == 1
    assert request_matching.status == S.INVITING and request_matching.first_invited_at is not None
    assert "invitation.created" in actions() and "request.inviting" in actions()
    assert [m["To"] for m in sent_mail] == []  # queued in the outbox, delivered after a request's commit


@pytest.mark.parametrize("problem", ["unvetted", "inactive", "same_org", "conflict_org", "conflict_country",
                                     "at_capacity", "request_closed"])
def test_invite_refusals_leave_nothing_behind(coordinator, request_matching, problem):
    overrides = {"unvetted": dict(vetted=False), "at_capacity": dict(capacity=0)}.get(problem, {})
    expert = make_expert(**overrides)
    if problem == "inactive":
        expert.user.is_active = False
    elif problem == "same_org":
        expert.organisation_id = request_matching.organisation_id
    elif problem == "conflict_org":
        expert.conflict_organisations = [request_matching.organisation]
    elif problem == "conflict_country":
        expert.conflict_countries = ["jo"]
    elif problem == "request_closed":
        request_matching.status = S.TRIAGE
    db.session.commit()
    before = actions()
    with pytest.raises(services.InvitationError) as refused:
        services.invite_expert(coordinator, request_matching, expert, "", utcnow() + timedelta(days=3))
    db.session.rollback()
    expected = {"unvetted": "expert_not_vetted", "inactive": "expert_not_vetted", "conflict_org": "conflict_of_interest",
                "conflict_country": "conflict_of_interest", "same_org": "same_organisation",
                "request_closed": "request_not_open"}.get(problem, problem)
    assert refused.value.code == expected and refused.value.message
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0
    assert db.session.get(ExpertProfile, expert.id).commitments == 0
    assert actions() == before


def test_second_invitation_is_refused_clearly(coordinator, request_matching):
    expert = make_expert()
    invite(coordinator, request_matching, expert)
    with pytest.raises(services.InvitationError, match="already_invited"):
        invite(coordinator, request_matching, expert)
    db.session.rollback()
    assert db.session.get(ExpertProfile, expert.id).commitments == 1


def test_database_refuses_duplicates_and_over_commitment_by_itself(coordinator, request_matching):
    expert = make_expert(capacity=1)
    first = invite(coordinator, request_matching, expert)
    db.session.add(Invitation(request_id=first.request_id, expert_id=expert.id, invited_by_id=coordinator.id,
                              respond_by=utcnow() + timedelta(days=1)))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(ExpertProfile).where(ExpertProfile.id == expert.id).values(commitments=2))
    db.session.rollback()


def test_commitments_are_counted_from_the_rows_not_from_the_stored_number(coordinator, request_matching):
    """A stored count that drifted (as the old +1/-1 bookkeeping let it) neither blocks nor allows an
    invitation: the rows decide, and the stored number is rewritten from them."""
    expert = make_expert(capacity=1)
    other_request = make_assistance_request(coordinator=coordinator)
    invitation = invite(coordinator, request_matching, expert)
    with pytest.raises(services.InvitationError, match="at_capacity"):
        db.session.execute(sa.update(ExpertProfile).where(ExpertProfile.id == expert.id).values(commitments=0))
        services.invite_expert(coordinator, other_request, expert, "", utcnow() + timedelta(days=2))
    db.session.rollback()
    services.revoke_invitation(coordinator, invitation, "Rescoped")
    db.session.execute(sa.update(ExpertProfile).where(ExpertProfile.id == expert.id).values(commitments=1))
    services.invite_expert(coordinator, other_request, expert, "", utcnow() + timedelta(days=2))
    db.session.commit()
    assert db.session.get(ExpertProfile, expert.id).commitments == 1


def test_accept_needs_current_terms_and_assigns_at_the_first_acceptance(coordinator):
    assistance_request = make_assistance_request(coordinator=coordinator, experts_wanted=2)
    first, second = make_expert(), make_expert()
    inv1, inv2 = invite(coordinator, assistance_request, first), invite(coordinator, assistance_request, second)
    with pytest.raises(services.InvitationError, match="terms_required"):
        services.accept_invitation(first.user, inv1)
    with pytest.raises(services.InvitationError, match="terms_outdated"):
        services.accept_terms(first.user, inv1, "2020-1")
    engagement = accept(inv1)
    assert engagement.status == EngagementStatus.PLANNED and inv1.terms_version == CONFIDENTIALITY_TERMS_VERSION
    # The first engagement assigns the request (issue 13 bug 4), though one of two experts is still invited.
    assert assistance_request.status == S.ASSIGNED and assistance_request.assigned_at is not None
    assert inv2.status == InvitationStatus.PENDING
    accept(inv2)
    assert assistance_request.status == S.ASSIGNED
    assert db.session.get(ExpertProfile, first.id).commitments == 1  # the engagement holds the commitment
    assert {"invitation.terms_accepted", "invitation.accepted", "engagement.planned", "request.assigned"} <= set(actions())


def test_someone_else_cannot_answer(coordinator, request_matching):
    invitation = invite(coordinator, request_matching, make_expert())
    intruder = make_expert()
    for call in (lambda: services.accept_terms(intruder.user, invitation, CONFIDENTIALITY_TERMS_VERSION),
                 lambda: services.decline_invitation(intruder.user, invitation, DeclineReason.DATES)):
        with pytest.raises(services.InvitationError, match="not_yours"):
            call()


def test_decline_releases_and_all_declined_returns_to_matching(coordinator, request_matching):
    a, b = make_expert(), make_expert()
    inv_a, inv_b = invite(coordinator, request_matching, a), invite(coordinator, request_matching, b)
    services.decline_invitation(a.user, inv_a, DeclineReason.DATES, "Busy in May")
    assert request_matching.status == S.INVITING
    services.decline_invitation(b.user, inv_b, DeclineReason.CONFLICT, "I advised their regulator")
    db.session.commit()
    assert inv_a.status == InvitationStatus.DECLINED and inv_a.decline_note == "Busy in May"
    assert inv_b.status == InvitationStatus.CONFLICT_DECLARED
    assert request_matching.status == S.MATCHING
    assert db.session.get(ExpertProfile, a.id).commitments == 0 == db.session.get(ExpertProfile, b.id).commitments
    assert {"invitation.declined", "invitation.conflict_declared", "request.matching"} <= set(actions())
    assert request_matching.organisation in b.conflict_organisations  # remembered for the agency's next requests
    with pytest.raises(services.InvitationError, match="conflict_of_interest"):
        services.invite_expert(coordinator, request_matching, b, "", utcnow() + timedelta(days=1))


def test_other_reason_needs_a_note(coordinator, request_matching):
    invitation = invite(coordinator, request_matching, make_expert())
    with pytest.raises(services.InvitationError, match="reason_required"):
        services.decline_invitation(invitation.expert.user, invitation, DeclineReason.OTHER, "  ")


def test_answering_late_or_after_revocation_is_a_clear_error(coordinator, request_matching):
    late = invite(coordinator, request_matching, make_expert())
    late.respond_by = utcnow() - timedelta(minutes=1)
    revoked = invite(coordinator, request_matching, make_expert())
    services.revoke_invitation(coordinator, revoked, "Request rescoped")
    db.session.commit()
    with pytest.raises(services.InvitationError) as too_late:
        services.accept_terms(late.expert.user, late, CONFIDENTIALITY_TERMS_VERSION)
    with pytest.raises(services.InvitationError) as withdrawn:
        services.decline_invitation(revoked.expert.user, revoked, DeclineReason.DATES)
    assert too_late.value.code == "past_deadline" and withdrawn.value.code == "revoked"
    assert "withdrew" in withdrawn.value.message
    with pytest.raises(services.InvitationError, match="reason_required"):
        services.revoke_invitation(coordinator, late, "")


def test_expiry_is_idempotent_and_releases(coordinator, request_matching):
    expert = make_expert()
    invitation = invite(coordinator, request_matching, expert, days=1)
    later = utcnow() + timedelta(days=2)
    assert services.expire_invitations(later) == [invitation]
    assert services.expire_invitations(later) == []
    db.session.commit()
    assert invitation.status == InvitationStatus.EXPIRED and request_matching.status == S.MATCHING
    assert db.session.get(ExpertProfile, expert.id).commitments == 0
    assert actions().count("invitation.expired") == 1


def test_reminders_once_shortly_before_the_deadline(coordinator, request_matching):
    soon = invite(coordinator, request_matching, make_expert(), days=1)
    invite(coordinator, request_matching, make_expert(), days=10)
    assert services.invitations_needing_reminder() == [soon]
    assert services.send_invitation_reminders() == 1
    assert services.send_invitation_reminders() == 0


def test_only_staff_invite(request_matching):
    member = make_user(Role.MEMBER, make_organisation("Elsewhere"))
    with pytest.raises(services.InvitationError, match="not_staff"):
        services.invite_expert(member, request_matching, make_expert(), "", utcnow() + timedelta(days=2))


def test_engagement_lifecycle_and_release(coordinator, request_matching):
    expert = make_expert(capacity=1)
    engagement = accept(invite(coordinator, request_matching, expert))
    assert request_matching.status == S.ASSIGNED
    services.start_engagement(expert.user, engagement)
    assert request_matching.status == S.IN_PROGRESS
    services.add_progress_note(expert.user, engagement, "Met the customs team.")
    with pytest.raises(services.EngagementError, match="illegal_transition"):
        services.close_engagement(coordinator, engagement)
    with pytest.raises(services.EngagementError, match="days_invalid"):
        services.submit_report(expert.user, engagement, "Done", days_spent=-1)
    services.submit_report(expert.user, engagement, "Indicators delivered.", days_spent=4.5)
    services.return_report(coordinator, engagement, "Add the training list")
    services.submit_report(expert.user, engagement, "Indicators delivered; 20 trained.", days_spent=5)
    with pytest.raises(services.EngagementError, match="not_staff"):
        services.accept_report(expert.user, engagement)
    services.accept_report(coordinator, engagement)
    services.close_engagement(coordinator, engagement)
    db.session.commit()
    assert engagement.status == EngagementStatus.CLOSED and engagement.days_spent == 5
    assert db.session.get(ExpertProfile, expert.id).commitments == 0
    assert [a for a in actions() if a.startswith("engagement.")] == [
        "engagement.planned", "engagement.active", "engagement.note_added", "engagement.report_submitted",
        "engagement.active", "engagement.report_submitted", "engagement.report_accepted", "engagement.closed"]


def test_suspend_resume_and_withdraw_keep_history(coordinator, request_matching):
    expert = make_expert(capacity=1)
    engagement = accept(invite(coordinator, request_matching, expert))
    services.suspend_engagement(coordinator, engagement, "Venue closed")
    services.resume_engagement(coordinator, engagement)
    services.withdraw_expert(coordinator, engagement, "Conflict found")
    db.session.commit()
    assert engagement.status == EngagementStatus.WITHDRAWN and engagement.withdrawal_reason == "Conflict found"
    assert db.session.get(ExpertProfile, expert.id).commitments == 0
    assert db.session.get(Engagement, engagement.id) is not None
    with pytest.raises(services.EngagementError, match="illegal_transition"):
        services.resume_engagement(coordinator, engagement)


def test_two_coordinators_at_the_same_moment_cannot_over_commit(app, coordinator):
    """Two sessions load the expert (capacity 1, nothing committed), then invite at once: one wins."""
    import threading

    from sqlalchemy.exc import OperationalError

    expert = make_expert(capacity=1)
    ids = [make_assistance_request(coordinator=coordinator).id for _ in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def attempt(request_id):
        from expertnet.requests.models import AssistanceRequest

        with app.app_context():
            profile = db.session.get(ExpertProfile, expert.id)
            assistance_request = db.session.get(AssistanceRequest, request_id)
            actor = db.session.get(type(coordinator), coordinator.id)
            assert profile.commitments == 0
            barrier.wait()
            try:
                services.invite_expert(actor, assistance_request, profile, "", utcnow() + timedelta(days=2))
                db.session.commit()
                outcomes.append("invited")
            except services.InvitationError as exc:
                outcomes.append(exc.code)
            except OperationalError:  # SQLite may refuse the second writer outright: still no over-commitment
                outcomes.append("locked")
            finally:
                db.session.rollback()
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(request_id,)) for request_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    print("outcomes:", sorted(outcomes))
    assert outcomes.count("invited") == 1, outcomes
    db.session.expire_all()
    assert db.session.get(ExpertProfile, expert.id).commitments == 1
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1
