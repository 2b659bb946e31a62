"""Registration as a guarded transition: the event's row is locked (SELECT ... FOR UPDATE) before seats are
counted, so parallel registrations never take more seats than the capacity; a repeat is a no-op; a move the
table lacks is a 409. A cancelled seat goes to the first person on the waiting list."""
import sqlalchemy as sa

from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.events.access import count_with_status, has_started, may_manage
from expertnet.events.messages import EventError
from expertnet.events.models import Event, Registration, RegistrationStatus as R
from expertnet.extensions import db
from expertnet.notifications.services import link, notify
from expertnet.statemachine import MEMBER, STAFF, SYSTEM, Actor, Machine, step, transition


def _actor_kind(registration: Registration, user) -> Actor | None:
    if user is None:
        return SYSTEM
    if not getattr(user, "is_active", False):
        return None
    if user.id == registration.user_id:
        return MEMBER  # the registrant, whatever their role
    return STAFF if may_manage(user, registration.event) else None


def lock_event(event: Event) -> Event:
    """The event's row locked and re-read: seats are counted only under this lock."""
    return db.session.scalars(sa.select(Event).where(Event.id == event.id).with_for_update()
                              .execution_options(populate_existing=True)).one()


def _lock(registration: Registration) -> None:
    lock_event(registration.event)
    db.session.scalars(sa.select(Registration).where(Registration.id == registration.id).with_for_update()
                       .execution_options(populate_existing=True)).one()


def _refuse_missing(_registration, _to):
    return EventError("move_not_allowed", http_status=409)


REGISTRATION_MACHINE = Machine(
    name="event_registration",
    table={
        R.REGISTERED: {R.CANCELLED: step(MEMBER, STAFF)},
        R.WAITLISTED: {R.REGISTERED: step(SYSTEM), R.CANCELLED: step(MEMBER, STAFF)},
        R.CANCELLED: {R.REGISTERED: step(MEMBER), R.WAITLISTED: step(MEMBER)},
    },
    actor_kind=_actor_kind,
    refuse_missing=_refuse_missing,
    refuse_actor=lambda _registration: EventError("not_allowed", http_status=403),
    refuse_guard=lambda code: EventError(code, http_status=409),
    lock=_lock,
    audit_details=lambda move: {"event_id": move.obj.event_id},
)


def _free_seat(event: Event) -> bool:
    return event.capacity is None or count_with_status(event, R.REGISTERED) < event.capacity


def register(actor, event: Event) -> Registration:
    """A seat when one is free, otherwise a place at the end of the waiting list. Registering again while
    registered or waiting changes nothing; after the start it is refused (409)."""
    event = lock_event(event)
    registration = db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == actor.id).with_for_update()).first()
    if registration is not None and registration.status in (R.REGISTERED, R.WAITLISTED):
        return registration
    if has_started(event):
        raise EventError("registration_closed", http_status=409)
    target = R.REGISTERED if _free_seat(event) else R.WAITLISTED
    if registration is None:
        registration = Registration(event=event, user_id=actor.id, status=target)
        db.session.add(registration)
        db.session.flush()
        record(f"event_registration.{target.value}", actor, registration, event_id=event.id)
        return registration
    registration.queued_at = utcnow()  # back to the end of the line
    transition(REGISTRATION_MACHINE, registration, target, actor)
    return registration


def cancel(actor, registration: Registration) -> None:
    """Give up a seat or a waiting place (a repeat is a no-op); a freed seat goes to the first waiting."""
    if has_started(registration.event) and registration.status != R.CANCELLED:
        raise EventError("cancel_closed", http_status=409)
    had_seat = registration.status == R.REGISTERED
    if transition(REGISTRATION_MACHINE, registration, R.CANCELLED, actor) is not None and had_seat:
        fill_free_seats(registration.event)


def fill_free_seats(event: Event) -> list[Registration]:
    """Move the first waiting people into the free seats (the caller holds the event's lock), telling each."""
    promoted = []
    while _free_seat(event):
        first = db.session.scalars(sa.select(Registration).where(
            Registration.event_id == event.id, Registration.status == R.WAITLISTED)
            .order_by(Registration.queued_at, Registration.id).limit(1)).first()
        if first is None:
            break
        transition(REGISTRATION_MACHINE, first, R.REGISTERED, None)
        notify(first.user, "event_promoted", link("events.detail", event_id=event.id),
               {"title": event.title}, event=event, name=first.user.full_name)
        promoted.append(first)
    return promoted
