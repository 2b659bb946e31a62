"""AssistanceRequest and what hangs off it: topics, timeline, conversation, feedback."""
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import (
    AuthoredTextMixin, DefaultNow, FreeText, IntPK, JsonList, OrganisationFK, RequestFK, ShortText, TimestampMixin, UserFK, enum_column, link_table)
from expertnet.extensions import db
from expertnet.sensitivity import Tlp


# Each member's value is its lower-cased name (StrEnum), which is what the database stores.
RequestStatus = StrEnum("RequestStatus", """
    DRAFT SUBMITTED TRIAGE INFO_REQUESTED MATCHING INVITING ASSIGNED
    IN_PROGRESS ON_HOLD DELIVERED EVALUATION CLOSED REJECTED WITHDRAWN""")
GapType = StrEnum("GapType", "KNOWLEDGE CAPABILITY BOTH")
Modality = StrEnum("Modality", "REMOTE_ADVICE DOCUMENT_REVIEW ONSITE_MISSION TRAINING_WORKSHOP EXERCISE_DESIGN EQUIPMENT_LAB_ASSESSMENT")
Urgency = StrEnum("Urgency", "ROUTINE PRIORITY URGENT")


request_topic = link_table("request_topic", "request_id", "assistance_request.id", "topic_id", "topic.id")
sa.Index("ix_request_topic_topic_id", request_topic.c.topic_id, request_topic.c.request_id)  # the queue's topic filter

# The parts of a request the chemicals register's names and CAS numbers are looked for in (as the matcher reads it).
SUBSTANCE_TEXT_FIELDS = ("title", "summary", "gap_statement", "desired_outcome")


class AssistanceRequest(TimestampMixin, db.Model):
    __tablename__ = "assistance_request"
    __table_args__ = (
        sa.CheckConstraint("experts_wanted BETWEEN 1 AND 10", name="experts_wanted_range"),
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        # The triage queue (coordination/queue.py): each sort read in index order by queue stage, by status or by lead,
        # each view counted from an index; the clock's columns ride along so that an SLA filter reads no row; the
        # "no clock" indexes end with the id, so PostgreSQL also reads them in id order (SQLite appends it itself).
        sa.Index("ix_assistance_request_queue_due", "queue_stage", "sla_due_us", "sla_warn_us"),
        sa.Index("ix_assistance_request_queue_left", "queue_stage", "sla_left_us", "sla_warn_left_us"),
        sa.Index("ix_assistance_request_queue_urgency_due", "queue_stage", "urgency", "sla_due_us", "sla_warn_us"),
        sa.Index("ix_assistance_request_queue_urgency_left", "queue_stage", "urgency", "sla_left_us", "sla_warn_left_us"),
        # With the id last, a sort by age or priority under an SLA filter reads the index alone (index-only on
        # PostgreSQL): "on track, oldest first" skips the ~70% of older requests overdue or due soon (issue 15).
        sa.Index("ix_assistance_request_queue_priority", "queue_stage", "urgency", "priority", "submitted_at",
                 "sla_due_us", "sla_warn_us", "sla_left_us", "sla_warn_left_us", "id"),
        sa.Index("ix_assistance_request_queue_age", "queue_stage", "submitted_at",
                 "sla_due_us", "sla_warn_us", "sla_left_us", "sla_warn_left_us", "id"),
        sa.Index("ix_assistance_request_queue_clock", "queue_stage", "sla_milestone", "id"),
        sa.Index("ix_assistance_request_queue_country", "queue_stage", "country"),
        sa.Index("ix_assistance_request_status_due", "status", "sla_due_us", "sla_warn_us"),
        sa.Index("ix_assistance_request_status_left", "status", "sla_left_us", "sla_warn_left_us"),
        sa.Index("ix_assistance_request_status_clock", "status", "sla_milestone", "id"),
        sa.Index("ix_assistance_request_queue_title", "queue_stage", "title", "reference"),  # a search reads no row
        sa.Index("ix_assistance_request_lead_due", "lead_coordinator_id", "queue_stage", "sla_due_us", "sla_warn_us"),
        sa.Index("ix_assistance_request_lead_left", "lead_coordinator_id", "queue_stage", "sla_left_us", "sla_warn_left_us"),
        # PostgreSQL counts the view tabs in one pass that reads no row (coordination/queue.py `view_counts`).
        sa.Index("ix_assistance_request_queue_views", "queue_stage", "status", "urgency", "lead_coordinator_id",
                 "sla_due_us", "sla_left_us"),
        # The search (`q`, a substring): trigram GIN on PostgreSQL (pg_trgm); SQLite builds a plain index of both.
        sa.Index("ix_assistance_request_search_trgm", "title", "reference", postgresql_using="gin",
                 postgresql_ops={"title": "gin_trgm_ops", "reference": "gin_trgm_ops"}),
    )

    id: Mapped[IntPK]
    reference: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    organisation_id: Mapped[OrganisationFK] = mapped_column(index=True)
    created_by_id: Mapped[UserFK]
    lead_coordinator_id: Mapped[UserFK | None]
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.DRAFT, index=True)
    title: Mapped[ShortText]
    summary: Mapped[FreeText]
    gap_statement: Mapped[FreeText]
    annex: Mapped[FreeText]
    desired_outcome: Mapped[FreeText]
    gap_type: Mapped[GapType] = mapped_column(enum_column(GapType), default=GapType.KNOWLEDGE)
    modality: Mapped[Modality] = mapped_column(enum_column(Modality), default=Modality.REMOTE_ADVICE)
    sectors: Mapped[JsonList]
    languages: Mapped[JsonList]
    country: Mapped[str | None] = mapped_column(sa.String(2))
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), default=Urgency.ROUTINE)
    urgency_reason: Mapped[FreeText]
    priority: Mapped[int] = mapped_column(default=3)  # 1 highest .. 5 lowest, set by coordinators
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    experts_wanted: Mapped[int] = mapped_column(default=1)
    summary_tlp: Mapped[Tlp] = mapped_column(enum_column(Tlp, 20, "summary_tlp"), default=Tlp.GREEN)
    detail_tlp: Mapped[Tlp] = mapped_column(enum_column(Tlp, 20, "detail_tlp"), default=Tlp.AMBER)
    annex_tlp: Mapped[Tlp] = mapped_column(enum_column(Tlp, 20, "annex_tlp"), default=Tlp.RED)
    consent_statistics: Mapped[bool] = mapped_column(default=False)
    authorised_declaration: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None]
    triaged_at: Mapped[datetime | None]
    first_invited_at: Mapped[datetime | None]
    assigned_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Set when the retention purge blanked the content; the row stays for statistics.
    anonymised_at: Mapped[datetime | None]
    status_changed_at: Mapped[DefaultNow]
    # SLA clock: time spent waiting on the agency does not count.
    paused_seconds: Mapped[int] = mapped_column(default=0)
    paused_since: Mapped[datetime | None]
    # The running SLA clock as the triage queue filters and sorts it in SQL, kept up to date at every flush
    # that changes its inputs (coordination/sla_columns.py); microseconds since 1970 so that a paused clock's
    # due time (now + time left) is plain arithmetic on every database. NULL when no clock runs.
    queue_stage: Mapped[str | None] = mapped_column(sa.String(10))  # "queue" before assignment, "active" after
    sla_milestone: Mapped[str | None] = mapped_column(sa.String(20))
    sla_due_us: Mapped[int | None] = mapped_column(sa.BigInteger)  # running: when it falls due
    sla_warn_us: Mapped[int | None] = mapped_column(sa.BigInteger)  # running: due soon from then
    sla_left_us: Mapped[int | None] = mapped_column(sa.BigInteger)  # paused: time left (< 0: overdue)
    sla_warn_left_us: Mapped[int | None] = mapped_column(sa.BigInteger)  # paused: time left before due soon
    version: Mapped[int] = mapped_column(default=1)

    organisation = relationship("Organisation")
    created_by = relationship("User", foreign_keys="AssistanceRequest.created_by_id")
    lead_coordinator = relationship("User", foreign_keys="AssistanceRequest.lead_coordinator_id")
    topics = relationship("Topic", secondary=request_topic, order_by="Topic.position")
    events: Mapped[list["RequestEvent"]] = relationship(
        back_populates="request", order_by="RequestEvent.occurred_at", cascade="all, delete-orphan")
    messages: Mapped[list["RequestMessage"]] = relationship(
        back_populates="request", order_by="RequestMessage.created_at", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class RequestEvent(db.Model):
    """One entry of a request's visible timeline: a status transition with who, when and why."""

    __tablename__ = "request_event"

    id: Mapped[IntPK]
    request_id: Mapped[RequestFK] = mapped_column(index=True)
    actor_id: Mapped[UserFK | None]
    from_status: Mapped[str | None] = mapped_column(sa.String(32))
    to_status: Mapped[str] = mapped_column(sa.String(32))
    note: Mapped[FreeText]
    occurred_at: Mapped[DefaultNow]

    request: Mapped[AssistanceRequest] = relationship(back_populates="events")
    actor = relationship("User")


class RequestMessage(AuthoredTextMixin, db.Model):
    """The conversation on a request; internal notes are coordinators-only."""

    __tablename__ = "request_message"

    id: Mapped[IntPK]
    request_id: Mapped[RequestFK] = mapped_column(index=True)
    internal: Mapped[bool] = mapped_column(default=False)

    request: Mapped[AssistanceRequest] = relationship(back_populates="messages")


class Feedback(db.Model):
    """The agency's rating of the help it got, once the request reaches evaluation."""

    __tablename__ = "feedback"
    __table_args__ = (
        sa.CheckConstraint("usefulness BETWEEN 1 AND 5 AND timeliness BETWEEN 1 AND 5 AND expertise BETWEEN 1 AND 5",
                           name="ratings_range"),
    )

    id: Mapped[IntPK]
    request_id: Mapped[RequestFK] = mapped_column(unique=True)
    author_id: Mapped[UserFK]
    usefulness: Mapped[int]
    timeliness: Mapped[int]
    expertise: Mapped[int]
    comment: Mapped[FreeText]
    created_at: Mapped[DefaultNow]

    request = relationship("AssistanceRequest")
    author = relationship("User")
