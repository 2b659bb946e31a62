"""An event, its agenda, audience, registrations, materials, and each user's private calendar feed."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import DefaultNow, FreeText, IntPK, JsonList, ShortText, TimestampMixin, UserFK, enum_column, link_table, owned_by
from expertnet.extensions import db


class EventKind(str, enum.Enum):
    WEBINAR = "webinar"
    WORKSHOP = "workshop"
    MEETING = "meeting"


class Audience(str, enum.Enum):
    NETWORK = "network"  # every signed-in user of the network
    ORGANISATIONS = "organisations"  # members of the named organisations (and staff)


class RegistrationStatus(str, enum.Enum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


EVENT_LANGUAGES = ("en", "ar", "fr", "es")

event_organisation = link_table("event_organisation", "event_id", "event.id", "organisation_id", "organisation.id")
# The taxonomy topics an event is about (its materials published to the hub carry them).
event_topic = link_table("event_topic", "event_id", "event.id", "topic_id", "topic.id")


class Event(TimestampMixin, db.Model):
    """Times are stored in UTC; `time_zone` is the zone the organiser planned in (shown beside the reader's)."""

    __tablename__ = "event"

    id: Mapped[IntPK]
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, 16))
    title: Mapped[ShortText]
    description: Mapped[FreeText]
    languages: Mapped[JsonList]
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    time_zone: Mapped[str] = mapped_column(sa.String(64))
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    venue: Mapped[str] = mapped_column(sa.String(300), default="")
    capacity: Mapped[int | None]  # None: no limit
    audience: Mapped[Audience] = mapped_column(enum_column(Audience, 16))
    organiser_id: Mapped[UserFK] = mapped_column(index=True)

    organiser = relationship("User")
    organisations = relationship("Organisation", secondary=event_organisation, order_by="Organisation.name")
    topics = relationship("Topic", secondary=event_topic, order_by="Topic.position")
    agenda: Mapped[list["AgendaItem"]] = relationship(order_by="AgendaItem.position", cascade="all, delete-orphan",
                                                      back_populates="event")
    materials: Mapped[list["EventMaterial"]] = relationship(order_by="EventMaterial.id", back_populates="event",
                                                            cascade="all, delete-orphan")


class AgendaItem(db.Model):
    __tablename__ = "event_agenda_item"

    id: Mapped[IntPK]
    event_id: Mapped[int] = owned_by("event.id", index=True)
    position: Mapped[int]
    starts_at: Mapped[datetime]
    title: Mapped[ShortText]

    event: Mapped[Event] = relationship(back_populates="agenda")


class Registration(db.Model):
    """One person's place at an event; `queued_at` orders the waiting list (the first waitlisted moves up)."""

    __tablename__ = "event_registration"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id"),)

    id: Mapped[IntPK]
    event_id: Mapped[int] = owned_by("event.id", index=True)
    user_id: Mapped[UserFK] = mapped_column(index=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus, 16))
    queued_at: Mapped[DefaultNow]
    attended: Mapped[bool | None]  # None until the organiser marks attendance after the event
    created_at: Mapped[DefaultNow]

    event: Mapped[Event] = relationship()
    user = relationship("User")


class MaterialKind(str, enum.Enum):
    FILE = "file"
    LINK = "link"


class EventMaterial(db.Model):
    """A file (stored with the attachments' checks) or a link, published to the event's participants."""

    __tablename__ = "event_material"

    id: Mapped[IntPK]
    event_id: Mapped[int] = owned_by("event.id", index=True)
    kind: Mapped[MaterialKind] = mapped_column(enum_column(MaterialKind, 8))
    title: Mapped[ShortText]
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    content_type: Mapped[str] = mapped_column(sa.String(100), default="")
    size_bytes: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    storage_key: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    added_by_id: Mapped[UserFK]
    created_at: Mapped[DefaultNow]

    event: Mapped[Event] = relationship(back_populates="materials")


class CalendarFeed(db.Model):
    """A user's private calendar address: only the SHA-256 of its secret is kept; revoking deletes the row."""

    __tablename__ = "event_calendar_feed"

    id: Mapped[IntPK]
    user_id: Mapped[UserFK] = mapped_column(unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[DefaultNow]
