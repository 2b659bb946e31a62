"""iCalendar export: one event's .ics, and each user's private feed of the events they hold a seat at.

The feed's address carries a secret (only its SHA-256 is stored); making a new one replaces the old, revoking
deletes it. An entry holds only what its reader may see: the joining link only for those with a seat."""
import hashlib
import secrets
from collections.abc import Callable, Iterable
from datetime import timezone
from urllib.parse import urlsplit

import icalendar
import sqlalchemy as sa

from expertnet.accounts.models import User
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.events.models import CalendarFeed, Event
from expertnet.extensions import db

PRODID = "-//expertnet//events//EN"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed(actor) -> str:
    """A new secret feed address for `actor` (any earlier one stops working); the secret is returned once."""
    token = secrets.token_urlsafe(32)
    feed = db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.user_id == actor.id)).first()
    if feed is None:
        feed = CalendarFeed(user_id=actor.id, token_hash=_hash(token))
        db.session.add(feed)
    else:
        feed.token_hash, feed.created_at = _hash(token), utcnow()
    db.session.flush()
    record("event.calendar_feed_created", actor, feed)
    return token


def revoke_feed(actor) -> bool:
    feed = db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.user_id == actor.id)).first()
    if feed is None:
        return False
    record("event.calendar_feed_revoked", actor, feed)
    db.session.delete(feed)
    db.session.flush()
    return True


def feed_of(user) -> CalendarFeed | None:
    return db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id)).first()


def feed_owner(token: str):
    """The active user whose feed this secret opens, or None."""
    feed = db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token or ""))).first()
    user = db.session.get(User, feed.user_id) if feed is not None else None
    return user if user is not None and user.is_active else None


def uid(event: Event, base_url: str) -> str:
    """Stable for the event's lifetime, whoever downloads it and however often."""
    return f"event-{event.id}@{urlsplit(base_url).hostname or 'expertnet'}"


def calendar(events: Iterable[Event], base_url: str, describe: Callable[[Event], str],
             show_link: Callable[[Event], bool], name: str) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) with one VEVENT per event, times in UTC; `describe` writes the description
    in the reader's language, `show_link(event)` says whether the reader may see the joining link."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = utcnow().replace(microsecond=0)
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", uid(event, base_url))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at.astimezone(timezone.utc))
        entry.add("dtend", event.ends_at.astimezone(timezone.utc))
        entry.add("summary", event.title)
        entry.add("description", describe(event))
        page = f"{base_url.rstrip('/')}/events/{event.id}"
        entry.add("url", page)
        location = event.online_url if event.online_url and show_link(event) else event.venue
        if location:
            entry.add("location", location)
        entry.add("last-modified", event.updated_at.astimezone(timezone.utc).replace(microsecond=0))
        cal.add_component(entry)
    return cal.to_ical()
