"""The scoped queries of events: who may see an event, manage it, and read its materials.

An event for the whole network is visible to every active signed-in user; one for named organisations to their
members and to staff. The organiser and admins manage it. Materials are for the event's registered participants
(and its managers), and only once the event has ended. Anything outside need-to-know is a 404."""
from datetime import datetime

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.accounts.policy import is_staff
from expertnet.db import utcnow
from expertnet.events.models import Audience, Event, Registration, RegistrationStatus, event_organisation
from expertnet.extensions import db


def visible_events(user) -> sa.Select:
    """Every event `user` may know of (none for the anonymous or a deactivated account)."""
    query = sa.select(Event)
    if not user.is_authenticated or not user.is_active:
        return query.where(sa.false())
    if is_staff(user):
        return query
    own = sa.select(event_organisation.c.event_id).where(event_organisation.c.organisation_id == user.organisation_id)
    in_audience = Event.audience == Audience.NETWORK
    if user.organisation_id is not None:
        in_audience = sa.or_(in_audience, sa.and_(Event.audience == Audience.ORGANISATIONS, Event.id.in_(own)))
    return query.where(in_audience)


def visible_event(user, event_id: int) -> Event | None:
    return db.session.scalars(visible_events(user).where(Event.id == event_id)).first()


def may_create(user) -> bool:
    return is_staff(user) and user.is_active


def may_manage(user, event: Event) -> bool:
    """The organiser (while a coordinator or admin) and every admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role == Role.ADMIN or (is_staff(user) and event.organiser_id == user.id)


def registration_of(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id,
                                                            Registration.user_id == user.id)).first()


def is_participant(user, event: Event) -> bool:
    registration = registration_of(user, event)
    return registration is not None and registration.status == RegistrationStatus.REGISTERED


def has_ended(event: Event, now: datetime | None = None) -> bool:
    return event.ends_at <= (now or utcnow())


def has_started(event: Event, now: datetime | None = None) -> bool:
    return event.starts_at <= (now or utcnow())


def may_read_materials(user, event: Event) -> bool:
    """Need-to-know for materials: managers always; registered participants once the event has ended."""
    return may_manage(user, event) or (has_ended(event) and is_participant(user, event))


def may_see_online_link(user, event: Event) -> bool:
    """The joining link is for those with a seat (and the event's managers), not for the waiting list."""
    return may_manage(user, event) or is_participant(user, event)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = sa.select(sa.func.count(Registration.id)).where(
        Registration.event_id == registration.event_id, Registration.status == RegistrationStatus.WAITLISTED,
        sa.or_(Registration.queued_at < registration.queued_at,
               sa.and_(Registration.queued_at == registration.queued_at, Registration.id < registration.id)))
    return int(db.session.scalar(ahead) or 0) + 1


def count_with_status(event: Event, status: RegistrationStatus) -> int:
    return int(db.session.scalar(sa.select(sa.func.count(Registration.id))
                                 .where(Registration.event_id == event.id, Registration.status == status)) or 0)


def registered_events(user) -> sa.Select:
    """The events `user` holds a seat at, among those they may still see (their calendar feed)."""
    seats = sa.select(Registration.event_id).where(Registration.user_id == user.id,
                                                    Registration.status == RegistrationStatus.REGISTERED)
    return visible_events(user).where(Event.id.in_(seats)).order_by(Event.starts_at)
