"""Two coordinators act at the same moment on real concurrent PostgreSQL connections: an expert is never over
capacity and never invited twice to one request (row lock + conditional update + unique constraint)."""
import threading

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.engagements import services as engagement_services
from expertnet.engagements.models import Invitation
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.conftest import POSTGRES_URL, make_user
from tests.coordination.desk_helpers import deadline
from tests.coordination.factories import make_assistance_request, make_expert

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")


def invite_in_own_transaction(app, barrier, results, coordinator_id, request_id, expert_id):
    """One coordinator's request: its own app context, session and database connection."""
    with app.app_context():
        coordinator = db.session.get(User, coordinator_id)
        assistance_request = db.session.get(AssistanceRequest, request_id)
        profile = db.session.get(ExpertProfile, expert_id)
        barrier.wait()  # both are loaded and about to act: now
        try:
            engagement_services.invite_expert(coordinator, assistance_request, profile, "Please help", deadline())
            db.session.commit()
            results.append("invited")
        except engagement_services.InvitationError as exc:
            db.session.rollback()
            results.append(exc.code)
        finally:
            db.session.remove()


def race(app, coordinators, request_ids, expert_id) -> list[str]:
    barrier, results = threading.Barrier(2), []
    threads = [threading.Thread(target=invite_in_own_transaction,
                                args=(app, barrier, results, coordinator.id, request_id, expert_id))
               for coordinator, request_id in zip(coordinators, request_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(results)


@pytest.fixture
def coordinators(app):
    return [make_user(Role.COORDINATOR), make_user(Role.COORDINATOR)]


def test_two_invitations_beyond_capacity_exactly_one_succeeds(app, coordinators):
    profile = make_expert(capacity=1)
    first = make_assistance_request(status=S.MATCHING, coordinator=coordinators[0])
    second = make_assistance_request(status=S.MATCHING, coordinator=coordinators[1])
    results = race(app, coordinators, [first.id, second.id], profile.id)
    assert results == ["at_capacity", "invited"]
    db.session.expire_all()
    assert db.session.get(ExpertProfile, profile.id).commitments == 1
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(Invitation.expert_id == profile.id)) == 1


def test_two_coordinators_inviting_the_same_expert_to_one_request(app, coordinators):
    profile = make_expert(capacity=5)
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinators[0])
    results = race(app, coordinators, [assistance_request.id] * 2, profile.id)
    assert results == ["already_invited", "invited"]
    db.session.expire_all()
    assert db.session.get(ExpertProfile, profile.id).commitments == 1


def include_in_own_transaction(app, barrier, results, coordinator_id, request_id, expert_id):
    from expertnet.coordination import exclusions
    from expertnet.coordination.desk import DeskError

    with app.app_context():
        coordinator = db.session.get(User, coordinator_id)
        assistance_request = db.session.get(AssistanceRequest, request_id)
        barrier.wait()
        try:
            exclusions.include_expert(coordinator, assistance_request, expert_id, "Needed on site.")
            db.session.commit()
            results.append("included")
        except DeskError as exc:
            db.session.rollback()
            results.append(exc.code)
        finally:
            db.session.remove()


def test_two_coordinators_include_the_same_expert_one_row_one_audit(app, coordinators):
    """Issue 13: two inclusions of one excluded expert at once: one override row, the other told (409), no 500."""
    from expertnet.audit.models import AuditEvent
    from expertnet.engagements.models import ExclusionOverride
    from expertnet.experts.models import Availability

    profile = make_expert(availability=Availability.UNAVAILABLE)
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinators[0])
    barrier, results = threading.Barrier(2), []
    threads = [threading.Thread(target=include_in_own_transaction,
                                args=(app, barrier, results, c.id, assistance_request.id, profile.id))
               for c in coordinators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["included", "not_excluded"]
    assert db.session.scalar(sa.select(sa.func.count(ExclusionOverride.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "suggestions.exclusion_overridden")) == 1
