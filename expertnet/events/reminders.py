"""Reminders by mail a day and an hour before an event, run by the job engine every five minutes.

Each reminder has a dedupe key (registration, kind, start time) in the outbox, so running the job twice, or two
schedulers at once, never sends the same reminder twice; a person registering within the last hour gets only
the hour's reminder. A moved event reminds again for its new time."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.db import utcnow
from expertnet.events.models import Event, Registration, RegistrationStatus
from expertnet.extensions import db
from expertnet.notifications.services import link, notify

WINDOWS = (("hour", timedelta(0), timedelta(hours=1)), ("day", timedelta(hours=1), timedelta(days=1)))


def send_reminders(now=None) -> int:
    """Queue the due reminders; returns how many were queued (the caller commits)."""
    now = now or utcnow()
    queued = 0
    for kind, after, before in WINDOWS:
        due = sa.select(Registration).join(Event).where(
            Registration.status == RegistrationStatus.REGISTERED,
            Event.starts_at > now + after, Event.starts_at <= now + before)
        for registration in db.session.scalars(due):
            queued += _remind(registration, kind)
    return queued


def _remind(registration: Registration, kind: str) -> int:
    event, user = registration.event, registration.user
    if not user.is_active:
        return 0
    key = f"event-reminder:{registration.id}:{kind}:{event.starts_at:%Y%m%dT%H%M}"
    message = notify(user, "event_reminder", link("events.detail", event_id=event.id),
                     {"title": event.title, "kind": kind}, dedupe_key=key, event=event, name=user.full_name,
                     reminder=kind)
    return 0 if message is None else 1
