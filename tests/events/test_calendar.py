"""iCalendar export parsed back with icalendar: METHOD/PRODID, a stable UID, DTSTART/DTEND in UTC, text
escaped, and nothing the reader may not see (the joining link only with a seat; the private feed lists only
the owner's seats among events they may still see; a revoked or unknown address is a 404)."""
import re
from datetime import timezone

import icalendar

from expertnet.events.models import Audience
from expertnet.extensions import db
from tests.conftest import make_organisation
from tests.events.factories import make_event

TRICKY = 'Drones, AI; and "precursors"\\ — الطائرات المسيّرة'


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def events_of(cal):
    return [component for component in cal.walk("VEVENT")]


def test_event_ics_is_valid_and_stable(client, auth, users):
    event = make_event(users["coordinator"], title=TRICKY)
    event.description = "Line one,\nline two; with \\ backslash"
    db.session.commit()
    auth.login(users["member"])
    first, second = parse(client.get(f"/events/{event.id}.ics")), parse(client.get(f"/events/{event.id}.ics"))
    assert str(first["METHOD"]) == "PUBLISH" and str(first["PRODID"]).startswith("-//expertnet//")
    [entry] = events_of(first)
    assert str(entry["UID"]) == str(events_of(second)[0]["UID"]) == f"event-{event.id}@127.0.0.1"
    start, end = entry.decoded("DTSTART"), entry.decoded("DTEND")
    assert start.tzinfo is not None and start.utcoffset().total_seconds() == 0
    assert start == event.starts_at.astimezone(timezone.utc) and end == event.ends_at.astimezone(timezone.utc)
    assert str(entry["SUMMARY"]) == TRICKY  # escaped in the file, the same text read back
    assert "Line one,\nline two; with \\ backslash" in str(entry["DESCRIPTION"])
    raw = client.get(f"/events/{event.id}.ics").data.decode()
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", raw) and "SUMMARY:Drones\\, AI\\; and" in raw
    # Not registered: no joining link.
    assert "meet.example.org" not in raw


def test_private_feed_lists_only_own_seats_and_can_be_revoked(client, auth, users):
    mine = make_event(users["coordinator"], title="Mine")
    make_event(users["coordinator"], title="Not registered")
    other_org = make_organisation("Elsewhere")
    hidden = make_event(users["coordinator"], title="Hidden", audience=Audience.ORGANISATIONS, organisations=[other_org])
    auth.login(users["member"])
    client.post(f"/events/{mine.id}/register")
    page = client.post("/events/calendar/feed").get_data(as_text=True)
    url = re.search(r'value="(http[^"]+\.ics)"', page).group(1)
    path = url.split("127.0.0.1", 1)[1] if "127.0.0.1" in url else url.split("localhost", 1)[1]
    auth.logout()

    cal = parse(client.get(path))  # no session: the secret is the key
    assert [str(e["SUMMARY"]) for e in events_of(cal)] == ["Mine"]
    assert "meet.example.org" in str(events_of(cal)[0]["LOCATION"])
    assert hidden.title not in client.get(path).get_data(as_text=True)

    auth.login(users["member"])
    assert client.post("/events/calendar/feed/revoke").status_code == 303
    auth.logout()
    assert client.get(path).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_feed_of_a_deactivated_user_is_gone(client, auth, users):
    auth.login(users["member"])
    page = client.post("/events/calendar/feed").get_data(as_text=True)
    path = "/calendar/" + re.search(r'/calendar/([^"]+)\.ics', page).group(1) + ".ics"
    auth.logout()
    assert client.get(path).status_code == 200
    users["member"].is_active = False
    db.session.commit()
    assert client.get(path).status_code == 404
