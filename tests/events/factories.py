"""Events in a test: `make_event(organiser, **overrides)` with sensible defaults, committed."""
from datetime import timedelta

from expertnet.db import utcnow
from expertnet.events.models import AgendaItem, Audience, Event, EventKind
from expertnet.extensions import db


def make_event(organiser, *, starts_in=timedelta(days=7), hours: float = 2, capacity=None,
               audience=Audience.NETWORK, organisations=(), title="Precursor diversion: spotting the signs",
               languages=("en",), **overrides) -> Event:
    starts = utcnow().replace(microsecond=0) + starts_in
    event = Event(kind=overrides.pop("kind", EventKind.WEBINAR), title=title, description="How shipments slip through.",
                  languages=list(languages), starts_at=starts, ends_at=starts + timedelta(hours=hours),
                  time_zone="Asia/Amman", online_url=overrides.pop("online_url", "https://meet.example.org/precursors"),
                  venue="", capacity=capacity, audience=audience, organiser_id=organiser.id, **overrides)
    event.organisations = list(organisations)
    event.agenda = [AgendaItem(position=0, starts_at=starts, title="Welcome"),
                    AgendaItem(position=1, starts_at=starts + timedelta(minutes=30), title="Case studies")]
    db.session.add(event)
    db.session.commit()
    return event


def move_into_past(event: Event) -> None:
    """The event took place yesterday (registrations stay as they were)."""
    length = event.ends_at - event.starts_at
    event.starts_at = utcnow().replace(microsecond=0) - timedelta(days=1)
    event.ends_at = event.starts_at + length
    db.session.commit()
