"""A refused or failing action leaves nothing behind: the view rolls back everything the service flushed."""
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.requests.models import RequestMessage, RequestStatus as S
from tests.requests.factories import make_request


def _counts():
    """Messages, and the audit rows an answer writes (page reads log request.read_sensitive: not counted)."""
    return (db.session.scalar(sa.select(sa.func.count(RequestMessage.id))),
            db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.action.in_(["request.message", "request.triage"]))))


def test_answer_refused_by_the_guard_leaves_no_message(client, auth, users):
    """The answer is flushed into the thread before the transition's guard refuses: both must vanish."""
    assistance_request = make_request(users["member"], S.INFO_REQUESTED)
    assistance_request.summary = ""  # the agency blanked its summary while editing
    db.session.commit()
    before = _counts()
    auth.login(users["member"])
    response = client.post(f"/requests/{assistance_request.id}/answer", data={"answer": "Here it is."},
                           follow_redirects=True)
    assert "Before submitting, fill in the title" in response.get_data(as_text=True)
    db.session.expire_all()
    assert assistance_request.status == S.INFO_REQUESTED
    assert _counts() == before and len(assistance_request.events) == 3


def test_answer_when_not_asked_is_a_conflict(client, auth, users):
    assistance_request = make_request(users["member"], S.TRIAGE)
    auth.login(users["member"])
    assert client.post(f"/requests/{assistance_request.id}/answer", data={"answer": "Unasked"}).status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(RequestMessage.id))) == 0


def test_submit_twice_is_a_conflict_and_keeps_one_reference(client, auth, users):
    assistance_request = make_request(users["member"], S.SUBMITTED)
    reference = assistance_request.reference
    auth.login(users["member"])
    assert client.post(f"/requests/{assistance_request.id}/submit").status_code == 409
    db.session.expire_all()
    assert assistance_request.reference == reference and len(assistance_request.events) == 1


def test_concurrent_change_is_a_conflict(app, client, auth, users, monkeypatch):
    """Two coordinators act on the same version: the second write loses with 409, not a 500."""
    from expertnet.requests import services

    assistance_request = make_request(users["member"], S.SUBMITTED)
    real_change = services.change_status

    def change_after_a_rival(actor, target, to_status, note=""):
        db.session.execute(sa.text("UPDATE assistance_request SET version = version + 1 WHERE id = :id"),
                           {"id": target.id})
        return real_change(actor, target, to_status, note)

    monkeypatch.setattr(services, "change_status", change_after_a_rival)
    auth.login(users["coordinator"])
    response = client.post(f"/requests/{assistance_request.id}/transition", data={"to_status": "triage"})
    assert response.status_code == 409
    db.session.expire_all()
    assert assistance_request.status == S.SUBMITTED
