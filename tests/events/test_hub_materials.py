"""Issue 18: an event's materials become hub items once it has been held. The journey: a member registers for a
webinar and later finds its material in the hub (the event page links to the item, the item links back, the hub's
list and the item's file are there for the member), with the event's topics and languages and the label the
organiser chose; and the refusals (not yet held, AMBER for a network-wide event, another event's material)."""
import io

import pytest
import sqlalchemy as sa

from expertnet.events import services
from expertnet.extensions import db
from expertnet.hub.models import HubItem, ItemStatus, Kind
from expertnet.sensitivity import Tlp
from expertnet.taxonomy.services import topics_by_slug
from tests.events.factories import make_event, move_into_past
from tests.requests.factories import ensure_topics

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TITLE = "Drones over chemical sites: slides and recording"


@pytest.fixture
def webinar(users):
    ensure_topics()
    event = make_event(users["coordinator"], title="Uncrewed aerial systems over chemical sites", languages=("en", "ar"))
    event.topics = list(topics_by_slug(["counter-uas-chemical-sites", "uas-drone-threats"]).values())
    db.session.commit()
    return event


def _materials(event, organiser):
    from werkzeug.datastructures import FileStorage
    slides = services.add_material(organiser, event, "Slides", FileStorage(io.BytesIO(PDF), "slides.pdf"))
    recording = services.add_material(organiser, event, "Recording", url="https://media.example.org/rec/42")
    db.session.commit()
    return slides, recording


def _publish(client, event, materials, tlp="TLP:GREEN", kind="webinar"):
    return client.post(f"/events/{event.id}/publish", data={
        "material_ids": [str(m.id) for m in materials], "kind": kind, "tlp": tlp, "title": TITLE,
        "summary": "Detecting and answering drone flights over plants and stores."})


def test_a_member_registers_for_a_webinar_and_later_finds_its_material_in_the_hub(client, auth, users, webinar):
    member, organiser = users["member"], users["coordinator"]
    auth.login(member)
    assert client.post(f"/events/{webinar.id}/register").status_code in (302, 303)
    auth.logout()

    move_into_past(webinar)
    slides, recording = _materials(webinar, organiser)
    auth.login(organiser)
    assert "Publish materials in the hub" in client.get(f"/events/{webinar.id}").get_data(as_text=True)
    form = client.get(f"/events/{webinar.id}/publish").get_data(as_text=True)
    assert f'value="{slides.id}" checked' in form  # the first publication offers every material
    published = _publish(client, webinar, [slides, recording])
    item = db.session.scalar(sa.select(HubItem).where(HubItem.event_id == webinar.id))
    assert published.status_code == 303 and published.headers["Location"].endswith(f"/hub/{item.id}")
    assert (item.status, item.kind, item.tlp) == (ItemStatus.PUBLISHED, Kind.WEBINAR, Tlp.GREEN)
    assert {t.slug for t in item.topics} == {"counter-uas-chemical-sites", "uas-drone-threats"}
    assert item.languages == ["ar", "en"] and item.original_language == "en"
    assert [f.filename for f in item.files] == ["slides.pdf"] and "https://media.example.org/rec/42" in item.texts[0].body
    auth.logout()

    auth.login(member)
    event_page = client.get(f"/events/{webinar.id}").get_data(as_text=True)
    assert 'id="hub-items"' in event_page and f'href="/hub/{item.id}"' in event_page
    hub_page = client.get(f"/hub/{item.id}").get_data(as_text=True)
    assert 'id="from-event"' in hub_page and f'href="/events/{webinar.id}"' in hub_page
    assert TITLE in client.get("/hub/?kind=webinar").get_data(as_text=True)
    download = client.get(f"/hub/{item.id}/download/{item.files[0].id}")
    assert download.status_code == 200 and download.data == PDF


def test_publishing_is_refused_before_the_event_is_held_and_for_amber_to_the_whole_network(client, auth, users,
                                                                                         webinar):
    organiser = users["coordinator"]
    slides, _recording = _materials(webinar, organiser)
    auth.login(organiser)
    early = _publish(client, webinar, [slides])
    assert early.status_code == 422 and "once the event has been held" in early.get_data(as_text=True)
    move_into_past(webinar)
    amber = _publish(client, webinar, [slides], tlp="TLP:AMBER")
    assert amber.status_code == 422 and "choose TLP:GREEN or TLP:CLEAR" in amber.get_data(as_text=True)
    other = make_event(organiser, title="Another event")
    foreign = services.add_material(organiser, other, "Notes", url="https://media.example.org/notes")
    db.session.commit()
    assert _publish(client, webinar, [foreign]).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(HubItem.id))) == 0


def test_only_the_organisers_may_publish(client, auth, users, webinar):
    move_into_past(webinar)
    auth.login(users["member"])
    assert client.get(f"/events/{webinar.id}/publish").status_code == 403
    assert _publish(client, webinar, []).status_code == 403
