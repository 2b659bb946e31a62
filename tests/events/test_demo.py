"""The demo network's events: past ones with attendance and materials the demo members can open, upcoming ones
with registrations, a full one with a waiting list (the demo member waiting), in several languages."""
import sqlalchemy as sa

from expertnet.db import utcnow
from expertnet.accounts.models import User
from expertnet.demo.credentials import DEMO_PASSWORD, demo_credentials
from expertnet.events.models import Event, EventMaterial, Registration, RegistrationStatus as R
from expertnet.extensions import db
from expertnet.hub.models import HubItem, ItemStatus
from expertnet.sensitivity import Tlp


def test_demo_events(demo_network, client):
    events = db.session.scalars(sa.select(Event)).all()
    now = utcnow()
    past = [e for e in events if e.ends_at < now]
    assert len(events) >= 5 and len(past) >= 2
    assert {"en", "ar", "fr", "es"} <= {code for e in events for code in e.languages}
    assert all(db.session.scalars(sa.select(EventMaterial).where(EventMaterial.event_id == e.id)).all() for e in past)
    assert db.session.scalar(sa.select(sa.func.count(Registration.id)).where(Registration.attended.is_(True))) > 5
    full = [e for e in events if e.capacity and e.capacity == db.session.scalar(sa.select(sa.func.count(Registration.id))
            .where(Registration.event_id == e.id, Registration.status == R.REGISTERED))]
    assert any(db.session.scalar(sa.select(sa.func.count(Registration.id)).where(
        Registration.event_id == e.id, Registration.status == R.WAITLISTED)) for e in full)

    # Each demo member attended a past event and downloads its slides; the English one waits for the full workshop.
    for email in ("lina.khoury@aqaba-customs.jo.example", *[e for role, e in demo_credentials() if role == "member (ar)"]):
        member = db.session.scalar(sa.select(User).where(User.email == email))
        seat = sa.select(Registration.event_id).where(Registration.user_id == member.id,
                                                      Registration.status == R.REGISTERED)
        slides = db.session.scalars(sa.select(EventMaterial).where(EventMaterial.filename == "slides.pdf",
                                                                   EventMaterial.event_id.in_(seat))).first()
        client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
        response = client.get(f"/events/{slides.event_id}/materials/{slides.id}")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        client.post("/sign-out")
    lina = db.session.scalar(sa.select(User).where(User.email == "lina.khoury@aqaba-customs.jo.example"))
    assert db.session.scalar(sa.select(Registration.id).where(Registration.user_id == lina.id,
                                                             Registration.status == R.WAITLISTED))

    # Past webinars' materials are in the hub (issue 18), published, with the event's topics, linking back.
    in_hub = db.session.scalars(sa.select(HubItem).where(HubItem.event_id.is_not(None))).all()
    assert len(in_hub) >= 2 and all(i.status == ItemStatus.PUBLISHED and i.files and i.topics for i in in_hub)
    assert {code for i in in_hub for code in i.languages} >= {"en", "ar"}
    public = next(i for i in in_hub if i.tlp == Tlp.CLEAR)  # read here signed out
    assert f'href="/events/{public.event_id}"' in client.get(f"/hub/{public.id}").get_data(as_text=True)
