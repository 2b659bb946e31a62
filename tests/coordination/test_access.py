"""Access matrix: anonymous, member, other-agency member, expert, coordinator, admin x every desk URL and method;
plus 404 for objects that do not exist and refusals that leave nothing half-written."""
import pytest
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.engagements.models import Invitation
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from tests.coordination.factories import make_assistance_request, make_expert
from tests.engagements.factories import accept, invite


@pytest.fixture
def world(users):
    assistance_request = make_assistance_request(users["member"], S.MATCHING, users["coordinator"])
    profile = make_expert()
    invitation = invite(users["coordinator"], assistance_request, profile)
    engagement = accept(invitation)
    return {"request": assistance_request.id, "engagement": engagement.id, "invitation": invitation.id,
            "milestone": 0}


GETS = ["/coordination/queue", "/coordination/queue?view=overdue&sort=age", "/coordination/requests/{request}",
        "/coordination/requests/{request}/suggestions", "/coordination/engagements",
        "/coordination/engagements/{engagement}", "/coordination/dashboard", "/coordination/export/requests.csv",
        "/coordination/export/engagements.csv"]
POSTS = ["/coordination/requests/{request}/move", "/coordination/requests/{request}/priority",
         "/coordination/requests/{request}/lead", "/coordination/requests/{request}/suggestions",
         "/coordination/invitations/{invitation}/revoke", "/coordination/engagements/{engagement}/act",
         "/coordination/engagements/{engagement}/plan", "/coordination/engagements/{engagement}/milestones",
         "/coordination/engagements/{engagement}/notes"]
ROLES = ["anonymous", "member", "other_member", "expert", "coordinator", "admin"]


def sign_in(auth, users, role):
    if role != "anonymous":
        auth.login(users[role])


# The whole matrix on one world (building it per cell would cost a minute): every role x every URL.
def test_pages_are_for_staff_only(client, auth, users, world):
    for role in ROLES:
        sign_in(auth, users, role)
        expected = {"anonymous": 302, "coordinator": 200, "admin": 200}.get(role, 403)
        for path in GETS:
            response = client.get(path.format(**world))
            assert response.status_code == expected, (role, path)
            if expected == 302:
                assert "/sign-in" in response.headers["Location"], (role, path)
        auth.logout()


def desk_audit_rows() -> int:
    """Audit rows other than signing in and out (which this test does on purpose)."""
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action.not_like("auth.%")))


def test_actions_are_refused_to_non_staff_and_change_nothing(client, auth, users, world):
    audit_before = desk_audit_rows()
    for role in ("anonymous", "member", "other_member", "expert"):
        sign_in(auth, users, role)
        for path in POSTS:
            response = client.post(path.format(**world), data={"to_status": "triage", "priority": 1, "reason": "x",
                                                               "action": "withdraw", "title": "x", "body": "x"})
            assert response.status_code == (302 if role == "anonymous" else 403), (role, path)
        auth.logout()
    db.session.expire_all()
    assert desk_audit_rows() == audit_before


@pytest.mark.parametrize("path", ["/coordination/requests/999999", "/coordination/requests/999999/suggestions",
                                  "/coordination/engagements/999999"])
def test_missing_objects_are_404(client, auth, users, path):
    auth.login(users["coordinator"])
    assert client.get(path).status_code == 404


def test_drafts_stay_the_agencys_business(client, auth, users):
    draft = make_assistance_request(users["member"], S.SUBMITTED, users["coordinator"])
    draft.status = S.DRAFT
    db.session.commit()
    auth.login(users["coordinator"])
    assert client.get(f"/coordination/requests/{draft.id}").status_code == 404


def test_revoking_someone_elses_milestone_path_is_404(client, auth, users, world):
    auth.login(users["coordinator"])
    assert client.post(f"/coordination/engagements/{world['engagement']}/milestones/424242/done").status_code == 404


def test_revoked_invitation_cannot_be_revoked_twice(client, auth, users, world):
    auth.login(users["coordinator"])
    invitation = db.session.get(Invitation, world["invitation"])
    assert invitation.status.value == "accepted"
    response = client.post(f"/coordination/invitations/{invitation.id}/revoke", data={"reason": "Changed plans"})
    assert response.status_code == 409
