"""Registration through the pages: seats, then the waiting list in order; a repeat changes nothing;
cancelling gives the seat to the first person waiting (who is told); after the start, 409."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.events.models import Registration, RegistrationStatus as R
from expertnet.extensions import db
from expertnet.notifications.models import Notification, OutboxMessage
from tests.conftest import make_user
from tests.events.factories import make_event, move_into_past


def _status(event, user):
    db.session.expire_all()
    return db.session.scalars(sa.select(Registration.status).where(Registration.event_id == event.id,
                                                                   Registration.user_id == user.id)).first()


def test_seats_then_waiting_list_then_promotion(client, auth, users):
    event = make_event(users["coordinator"], capacity=1)
    first, second, third = users["member"], make_user(Role.MEMBER), users["expert"]
    for user in (first, second, third):
        auth.login(user)
        assert client.post(f"/events/{event.id}/register").status_code == 303
        auth.logout()
    assert [_status(event, u) for u in (first, second, third)] == [R.REGISTERED, R.WAITLISTED, R.WAITLISTED]

    auth.login(third)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "number 2 on the waiting list" in page and "meet.example.org" not in page  # no link while waiting
    auth.logout()

    auth.login(first)
    assert client.post(f"/events/{event.id}/cancel").status_code == 303
    assert [_status(event, u) for u in (first, second, third)] == [R.CANCELLED, R.REGISTERED, R.WAITLISTED]
    promoted = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "event_promoted")).all()
    assert [m.recipient for m in promoted] == [second.email]
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.user_id == second.id)) == 1
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("event_registration.%"))))
    assert {"event_registration.registered", "event_registration.waitlisted", "event_registration.cancelled"} <= actions


def test_repeats_are_harmless(client, auth, users):
    event = make_event(users["coordinator"], capacity=5)
    auth.login(users["member"])
    assert client.post(f"/events/{event.id}/register").status_code == 303
    assert client.post(f"/events/{event.id}/register").status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1
    assert client.post(f"/events/{event.id}/cancel").status_code == 303
    assert client.post(f"/events/{event.id}/cancel").status_code == 303  # a repeat of a cancellation: no-op
    assert _status(event, users["member"]) == R.CANCELLED
    assert client.post(f"/events/{event.id}/register").status_code == 303  # registering again after cancelling
    assert _status(event, users["member"]) == R.REGISTERED


def test_after_the_start_registration_and_cancellation_are_409(client, auth, users):
    event = make_event(users["coordinator"], capacity=5)
    auth.login(users["member"])
    client.post(f"/events/{event.id}/register")
    move_into_past(event)
    assert client.post(f"/events/{event.id}/cancel").status_code == 409
    auth.logout()
    auth.login(users["expert"])
    response = client.post(f"/events/{event.id}/register")
    assert response.status_code == 409 and "already started" in response.get_data(as_text=True)
    assert _status(event, users["expert"]) is None


def test_raising_the_capacity_moves_the_waiting_list_up(client, auth, users):
    event = make_event(users["coordinator"], capacity=1)
    waiting = make_user(Role.MEMBER)
    for user in (users["member"], waiting):
        auth.login(user)
        client.post(f"/events/{event.id}/register")
        auth.logout()
    from expertnet.events import services
    from expertnet.events.schemas import EventIn
    data = EventIn().load({"kind": "webinar", "title": event.title, "languages": ["en"],
                           "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T12:00", "time_zone": "UTC",
                           "online_url": event.online_url, "capacity": 2, "audience": "network"})
    services.update_event(users["coordinator"], event, data)
    db.session.commit()
    assert _status(event, waiting) == R.REGISTERED
