"""The rules of events: create and edit (organisers: coordinators and admins), attendance after the start,
materials (files checked like attachments, or links), the registrations list as CSV.

Materials stay here for now; `materials_for(event)` is the seam through which the Knowledge Hub (issue 18,
built separately) can later take them over as hub items."""
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from werkzeug.exceptions import Gone

from expertnet.accounts.models import Organisation
from expertnet.attachments.services import remove_stored_file_on_commit, store_upload, stored_path
from expertnet.audit.services import record
from expertnet.csv_safety import csv_text
from expertnet.events.access import count_with_status, has_started
from expertnet.events.messages import EventError
from expertnet.events.models import (
    AgendaItem, Audience, Event, EventMaterial, MaterialKind, Registration, RegistrationStatus as R)
from expertnet.events.registration import fill_free_seats, lock_event
from expertnet.extensions import db
from expertnet.taxonomy.services import topics_by_slug

EVENT_FIELDS = ("kind", "title", "description", "languages", "starts_at", "ends_at", "time_zone", "online_url",
                "venue", "capacity", "audience")


def create_event(actor, data: Mapping[str, Any]) -> Event:
    """`data` is EventIn's load: times already in UTC, the agenda as (UTC start, title) pairs."""
    event = Event(organiser_id=actor.id, **{name: data[name] for name in EVENT_FIELDS})
    db.session.add(event)
    _set_audience_and_agenda(event, data)
    db.session.flush()
    record("event.created", actor, event, title=event.title)
    return event


def update_event(actor, event: Event, data: Mapping[str, Any]) -> Event:
    """Edit under the event's lock; a larger capacity gives the freed seats to the waiting list at once."""
    event = lock_event(event)
    if data["capacity"] is not None and data["capacity"] < count_with_status(event, R.REGISTERED):
        raise EventError("capacity_below_registered")
    for name in EVENT_FIELDS:
        setattr(event, name, data[name])
    _set_audience_and_agenda(event, data)
    db.session.flush()
    record("event.updated", actor, event, title=event.title)
    fill_free_seats(event)
    return event


def _set_audience_and_agenda(event: Event, data: Mapping[str, Any]) -> None:
    event.topics = list(topics_by_slug(data.get("topics") or []).values())
    ids = data.get("organisation_ids") or []
    chosen = db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids))).all() if ids else []
    event.organisations = list(chosen) if event.audience == Audience.ORGANISATIONS else []
    event.agenda = [AgendaItem(position=n, starts_at=at, title=title) for n, (at, title) in enumerate(data["agenda"])]


def mark_attendance(actor, event: Event, attended_ids: Iterable[int]) -> int:
    """After the start, every registered participant is marked present (in `attended_ids`) or absent."""
    if not has_started(event):
        raise EventError("not_started", http_status=409)
    present = set(attended_ids)
    participants = db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.status == R.REGISTERED)).all()
    if present - {registration.user_id for registration in participants}:
        raise EventError("not_a_participant")
    for registration in participants:
        registration.attended = registration.user_id in present
    db.session.flush()
    record("event.attendance_marked", actor, event, present=len(present), registered=len(participants))
    return len(present)


def add_material(actor, event: Event, title: str, upload=None, url: str = "") -> EventMaterial:
    """A file (checked and stored like an attachment) or a link; participants see it once the event ends."""
    if upload is not None and upload.filename:
        stored = store_upload(upload)
        material = EventMaterial(event=event, kind=MaterialKind.FILE, title=title or stored.filename,
                                 filename=stored.filename, content_type=stored.content_type,
                                 size_bytes=stored.size_bytes, sha256=stored.sha256, storage_key=stored.storage_key,
                                 added_by_id=actor.id)
    elif url:
        material = EventMaterial(event=event, kind=MaterialKind.LINK, title=title or url, url=url,
                                 added_by_id=actor.id)
    else:
        raise EventError("material_needs_file_or_link")
    db.session.add(material)
    db.session.flush()
    record("event.material_added", actor, material, event_id=event.id, title=material.title, kind=material.kind.value)
    return material


def remove_material(actor, material: EventMaterial) -> None:
    if material.storage_key:
        remove_stored_file_on_commit(material.storage_key)
    record("event.material_removed", actor, material, event_id=material.event_id, title=material.title)
    db.session.delete(material)
    db.session.flush()


def materials_for(event: Event) -> list[EventMaterial]:
    """The event's published materials: the seam the Knowledge Hub will read to make them hub items."""
    return list(db.session.scalars(sa.select(EventMaterial).where(EventMaterial.event_id == event.id)
                                   .order_by(EventMaterial.created_at, EventMaterial.id)))


def open_material(actor, material: EventMaterial) -> Path:
    """The stored file, its download audited; the caller checked `access.may_read_materials`. Missing: 410."""
    if not material.storage_key:  # a link, not a file
        raise Gone()
    path = stored_path(material.storage_key)
    record("event.material_downloaded", actor, material, event_id=material.event_id, filename=material.filename)
    return path


def registrations(event: Event) -> list[Registration]:
    """Seats first, then the waiting list in its order, then cancellations."""
    order = sa.case({R.REGISTERED.value: 0, R.WAITLISTED.value: 1}, value=Registration.status, else_=2)
    return list(db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)
                                   .order_by(order, Registration.queued_at, Registration.id)))


def registrations_csv(actor, event: Event, header: list[str], status_label, yes_no) -> str:
    """The registrations list as CSV through the shared guard (no cell a spreadsheet would run); audited."""
    rows = [(r.user.full_name, r.user.email, r.user.organisation.name if r.user.organisation else "",
             status_label(r.status), _iso(r.queued_at), yes_no(r.attended)) for r in registrations(event)]
    record("event.registrations_exported", actor, event, rows=len(rows))
    return csv_text(header, rows)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
