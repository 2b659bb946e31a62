"""Who may do what, as one matrix: role (anonymous, member of the invited organisation, member of another,
expert, the organising coordinator, another coordinator, admin) × endpoint × audience (whole network, named
organisations) × event state (upcoming, past with materials). Outside need-to-know is 404, seen but not
allowed is 403, the anonymous go to sign-in."""
import io

import pytest

from expertnet.accounts.models import Role
from expertnet.events import services
from expertnet.events.models import Audience, Registration, RegistrationStatus as R
from expertnet.extensions import db
from tests.attachments.test_storage import EXE_BYTES, PDF_BYTES, Upload
from tests.conftest import make_user
from tests.events.factories import make_event, move_into_past

ROLES = ("anonymous", "member", "other_member", "expert", "coordinator", "other_coordinator", "admin")


@pytest.fixture
def world(users):
    users = dict(users, other_coordinator=make_user(Role.COORDINATOR))
    organiser = users["coordinator"]
    network = make_event(organiser, title="Network webinar")
    home = make_event(organiser, title="Home agency workshop", audience=Audience.ORGANISATIONS,
                      organisations=[users["member"].organisation])
    past = make_event(organiser, title="Past webinar")
    db.session.add(Registration(event_id=past.id, user_id=users["member"].id, status=R.REGISTERED))
    db.session.add(Registration(event_id=past.id, user_id=users["expert"].id, status=R.WAITLISTED))
    material = services.add_material(organiser, past, "Slides", Upload(PDF_BYTES, "slides.pdf"))
    db.session.commit()
    move_into_past(past)
    return {"users": users, "network": network.id, "home": home.id, "past": past.id, "material": material.id}


# (method, path, {role: expected status}); roles not listed expect the "default" entry.
CASES = [
    ("get", "/events", {"anonymous": 302, "default": 200}),
    ("get", "/events?when=past&kind=webinar&language=en", {"anonymous": 302, "default": 200}),
    ("get", "/events/{network}", {"anonymous": 302, "default": 200}),
    ("get", "/events/{home}", {"anonymous": 302, "other_member": 404, "expert": 404, "default": 200}),
    ("get", "/events/{home}.ics", {"anonymous": 302, "other_member": 404, "expert": 404, "default": 200}),
    ("post", "/events/{home}/register", {"anonymous": 302, "other_member": 404, "expert": 404, "default": 303}),
    ("post", "/events/{network}/register", {"anonymous": 302, "default": 303}),
    ("post", "/events/{past}/register", {"anonymous": 302, "member": 303, "expert": 303, "default": 409}),  # a seat, a waiting place: a repeat
    ("get", "/events/new", {"anonymous": 302, "coordinator": 200, "other_coordinator": 200, "admin": 200, "default": 403}),
    ("get", "/events/{network}/edit", {"anonymous": 302, "coordinator": 200, "admin": 200, "default": 403}),
    ("get", "/events/{home}/edit", {"anonymous": 302, "coordinator": 200, "admin": 200, "other_member": 404,
                                    "expert": 404, "default": 403}),
    ("get", "/events/{past}/registrations", {"anonymous": 302, "coordinator": 200, "admin": 200, "default": 403}),
    ("get", "/events/{past}/registrations.csv", {"anonymous": 302, "coordinator": 200, "admin": 200, "default": 403}),
    ("post", "/events/{past}/attendance", {"anonymous": 302, "coordinator": 303, "admin": 303, "default": 403}),
    ("get", "/events/{past}/materials/{material}", {"anonymous": 302, "member": 200, "coordinator": 200, "admin": 200,
                                                    "default": 404}),  # the expert only waited: no seat, no material
    ("post", "/events/{past}/materials/{material}/delete", {"anonymous": 302, "coordinator": 303, "admin": 303,
                                                            "default": 403}),
    ("get", "/events/calendar", {"anonymous": 302, "default": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,path,expected", CASES, ids=[f"{m} {p}" for m, p, _ in CASES])
def test_matrix(client, auth, world, role, method, path, expected):
    if role != "anonymous":
        auth.login(world["users"][role])
    url = path.format(**world)
    response = getattr(client, method)(url)
    assert response.status_code == expected.get(role, expected["default"]), (role, url)


def test_materials_wait_for_the_end_of_the_event(client, auth, users):
    event = make_event(users["coordinator"])
    db.session.add(Registration(event_id=event.id, user_id=users["member"].id, status=R.REGISTERED))
    material = services.add_material(users["coordinator"], event, "Agenda pack", url="https://example.org/pack")
    db.session.commit()
    auth.login(users["member"])
    assert client.get(f"/events/{event.id}/materials/{material.id}").status_code == 404
    assert "Agenda pack" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    move_into_past(event)
    response = client.get(f"/events/{event.id}/materials/{material.id}")
    assert response.status_code == 302 and response.location == "https://example.org/pack"


def test_material_upload_uses_the_attachment_checks(client, auth, users):
    event = make_event(users["coordinator"])
    auth.login(users["coordinator"])
    response = client.post(f"/events/{event.id}/materials", content_type="multipart/form-data",
                           data={"title": "Tool", "file": (io.BytesIO(EXE_BYTES), "slides.pdf")})
    assert response.status_code == 400
    assert "judged by their content" in response.get_data(as_text=True)
    assert not services.materials_for(event)
    response = client.post(f"/events/{event.id}/materials", data={"title": "x", "url": "javascript:alert(1)"})
    assert response.status_code == 303 and not services.materials_for(event)
