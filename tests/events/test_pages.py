"""The organisers' pages and the list: a create form refused with its errors inline and nothing saved; times
typed in the event's zone stored in UTC and shown in the reader's; tabs, filters, pagination and empty states;
attendance after the event; the registrations CSV through the shared formula guard; Arabic pages."""
from datetime import datetime, timezone

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.events.models import Event, Registration, RegistrationStatus as R
from expertnet.extensions import db
from tests.conftest import make_user
from tests.events.factories import make_event, move_into_past

VALID = {"kind": "workshop", "title": "Drones over chemical sites — الطائرات المسيّرة", "description": "Hands-on.",
         "languages": ["en", "ar"], "starts_at": "2031-03-10T10:00", "ends_at": "2031-03-10T13:00",
         "time_zone": "Asia/Amman", "online_url": "", "venue": "Amman, Royal Scientific Society", "capacity": "30",
         "audience": "network", "agenda": "10:00 Welcome\n11:15 Exercise\n2031-03-11 09:00 Day two"}


def test_create_refused_inline_then_saved_in_utc(client, auth, users):
    auth.login(users["coordinator"])
    assert client.get("/events/new").status_code == 200
    bad = dict(VALID, title=" ", ends_at="2031-03-10T09:00", venue="", capacity="0", agenda="whenever: talk",
               audience="organisations")
    response = client.post("/events/new", data=bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("This field is required.", "The end must be after the start.", "Give an online link or a venue.",
                    "Give a number of seats from 1", "Choose the organisations invited.", "Line 1:"):
        assert message in page
    assert 'aria-invalid="true"' in page and db.session.scalar(sa.select(sa.func.count(Event.id))) == 0

    response = client.post("/events/new", data=VALID)
    assert response.status_code == 303
    event = db.session.scalars(sa.select(Event)).one()
    assert event.starts_at == datetime(2031, 3, 10, 7, 0, tzinfo=timezone.utc)  # Amman keeps UTC+3 all year since 2022
    assert [(i.starts_at.hour, i.starts_at.day, i.title) for i in event.agenda] == [
        (7, 10, "Welcome"), (8, 10, "Exercise"), (6, 11, "Day two")]
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "event.created"))

    reader = make_user(Role.MEMBER)
    reader.time_zone = "Asia/Tokyo"
    db.session.commit()
    auth.logout()
    auth.login(reader)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "4:00" in page and "Tokyo" in page  # 07:00 UTC is 16:00 in Tokyo
    # The edit form shows the times again as typed, in the event's zone.
    auth.logout()
    auth.login(users["coordinator"])
    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="2031-03-10T10:00"' in edit and "2031-03-11 09:00 Day two" in edit


def test_list_tabs_filters_pagination_and_empty_states(client, auth, users):
    auth.login(users["member"])
    assert "No upcoming events" in client.get("/events").get_data(as_text=True)
    assert "No past events yet" in client.get("/events?when=past").get_data(as_text=True)
    for n in range(12):
        make_event(users["coordinator"], title=f"Webinar {n:02d}", languages=("fr",) if n == 3 else ("en",))
    past = make_event(users["coordinator"], title="Old meeting")
    move_into_past(past)
    page = client.get("/events").get_data(as_text=True)
    assert "Webinar 00" in page and "Webinar 10" not in page and "Old meeting" not in page and 'rel="next"' in page
    assert "Webinar 10" in client.get("/events?page=2").get_data(as_text=True)
    assert "Old meeting" in client.get("/events?when=past").get_data(as_text=True)
    french = client.get("/events?language=fr").get_data(as_text=True)
    assert "Webinar 03" in french and "Webinar 04" not in french
    assert "No event matches" in client.get("/events?kind=meeting").get_data(as_text=True)


def test_attendance_and_csv_export(client, auth, users):
    event = make_event(users["coordinator"], capacity=1)
    sly = make_user(Role.MEMBER, full_name="=HYPERLINK(\"http://evil.example\")")
    db.session.add_all([Registration(event_id=event.id, user_id=sly.id, status=R.REGISTERED),
                        Registration(event_id=event.id, user_id=users["member"].id, status=R.WAITLISTED)])
    db.session.commit()
    auth.login(users["coordinator"])
    assert client.post(f"/events/{event.id}/attendance", data={"attended": [sly.id]}).status_code == 409
    move_into_past(event)
    assert client.post(f"/events/{event.id}/attendance", data={"attended": [users["member"].id]}).status_code == 422
    assert client.post(f"/events/{event.id}/attendance", data={"attended": [sly.id]}).status_code == 303
    db.session.expire_all()
    assert db.session.scalars(sa.select(Registration.attended).where(Registration.user_id == sly.id)).one() is True

    response = client.get(f"/events/{event.id}/registrations.csv")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and text.startswith("\ufeffName,E-mail")
    assert "'=HYPERLINK" in text and ",Waiting list," in text and ",yes" in text


def test_arabic_pages(client, auth, users):
    event = make_event(users["coordinator"], title="Precursors 101")
    auth.login(users["coordinator"])
    client.post("/language", data={"locale": "ar"})
    for path in ("/events", f"/events/{event.id}", f"/events/{event.id}/registrations", "/events/new",
                 "/events/calendar"):
        page = client.get(path, headers={"Accept-Language": "ar"}).get_data(as_text=True)
        assert 'dir="rtl"' in page, path
    page = client.get(f"/events/{event.id}", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "ندوة عبر الإنترنت" in page and "التسجيل" in page and '<h1 dir="auto">Precursors 101</h1>' in page


def test_edit_keeps_what_is_not_changed_and_refuses_too_few_seats(client, auth, users):
    event = make_event(users["coordinator"], capacity=5)
    for user in (users["member"], make_user(Role.MEMBER)):
        db.session.add(Registration(event_id=event.id, user_id=user.id, status=R.REGISTERED))
    db.session.commit()
    auth.login(users["admin"])  # admins manage every event
    response = client.post(f"/events/{event.id}/edit", data=dict(VALID, capacity="1"))
    assert response.status_code == 422
    assert "cannot be lower than the number already registered" in response.get_data(as_text=True)
    response = client.post(f"/events/{event.id}/edit", data=dict(VALID, title="Renamed"))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "Renamed" and db.session.get(Event, event.id).capacity == 30
