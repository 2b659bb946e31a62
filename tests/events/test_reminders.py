"""Reminders a day and an hour before, queued by the job engine's task: running it twice queues nothing more,
and nobody gets two reminders of the same kind; the waiting list and cancelled people get none."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.events.models import Registration, RegistrationStatus as R
from expertnet.extensions import db
from expertnet.jobs import tasks
from expertnet.notifications.models import Notification, OutboxMessage
from tests.conftest import make_user
from tests.events.factories import make_event


def _register(event, user, status=R.REGISTERED):
    db.session.add(Registration(event_id=event.id, user_id=user.id, status=status))
    db.session.commit()


def _reminders():
    db.session.expire_all()
    return sorted((m.recipient, m.subject) for m in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == "event_reminder")))


def test_day_and_hour_reminders_once_each(app, users):
    tomorrow = make_event(users["coordinator"], starts_in=timedelta(hours=20), title="Tomorrow's webinar")
    soon = make_event(users["coordinator"], starts_in=timedelta(minutes=40), title="Soon")
    later = make_event(users["coordinator"], starts_in=timedelta(days=3), title="Later")
    waiting, arabic = make_user(Role.MEMBER), make_user(Role.MEMBER, locale="ar")
    for event in (tomorrow, soon, later):
        _register(event, users["member"])
    _register(tomorrow, waiting, R.WAITLISTED)
    _register(soon, arabic)

    tasks.event_reminders()
    first = _reminders()
    tasks.event_reminders()  # the job run twice
    assert _reminders() == first
    assert first == sorted([(users["member"].email, "Tomorrow: Tomorrow's webinar"),
                            (users["member"].email, "In an hour: Soon"),
                            (arabic.email, "خلال ساعة: Soon")])
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.kind == "event_reminder")) == 3


def test_an_event_an_hour_away_after_its_day_reminder_gets_the_hour_one(app, users):
    event = make_event(users["coordinator"], starts_in=timedelta(hours=5))
    _register(event, users["member"])
    tasks.event_reminders()
    event.starts_at = event.starts_at - timedelta(hours=4, minutes=30)  # time passes: now it is 30 minutes away
    event.ends_at = event.starts_at + timedelta(hours=1)
    db.session.commit()
    tasks.event_reminders()
    tasks.event_reminders()
    kinds = [m.subject.split(":")[0] for m in db.session.scalars(sa.select(OutboxMessage)
                                                                 .where(OutboxMessage.kind == "event_reminder"))]
    assert sorted(kinds) == ["In an hour", "Tomorrow"]


def test_the_reminder_task_is_scheduled():
    assert tasks.event_reminders in [func for _schedule, func in tasks.PERIODIC_TASKS]
