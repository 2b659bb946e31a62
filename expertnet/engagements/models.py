"""Invitation (request x expert) and Engagement (per accepted expert), with notes and milestones."""
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import (
    AuthoredTextMixin, DefaultNow, FreeText, IntPK, RequestFK, ShortText, TimestampMixin, UserFK, enum_column, owned_by)
from expertnet.extensions import db


# Each member's value is its lower-cased name (StrEnum), which is what the database stores.
InvitationStatus = StrEnum("InvitationStatus", "PENDING ACCEPTED DECLINED EXPIRED REVOKED CONFLICT_DECLARED")
# Why a pending invitation was closed with its request rather than answered (the expert's page says it).
ClosedBecause = StrEnum("ClosedBecause", "REQUEST_CLOSED REQUEST_WITHDRAWN REQUEST_REJECTED REQUEST_FILLED")
DeclineReason = StrEnum("DeclineReason", "CONFLICT NO_CAPACITY OUT_OF_EXPERTISE DATES OTHER")
EngagementStatus = StrEnum("EngagementStatus", "PLANNED ACTIVE REPORT_SUBMITTED REPORT_ACCEPTED CLOSED SUSPENDED WITHDRAWN")


class Invitation(TimestampMixin, db.Model):
    __tablename__ = "invitation"
    __table_args__ = (sa.UniqueConstraint("request_id", "expert_id"),)

    id: Mapped[IntPK]
    request_id: Mapped[RequestFK] = mapped_column(index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("expert_profile.id"), index=True)
    invited_by_id: Mapped[UserFK]
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus), default=InvitationStatus.PENDING, index=True)
    message: Mapped[FreeText]
    respond_by: Mapped[datetime]
    responded_at: Mapped[datetime | None]
    decline_reason: Mapped[DeclineReason | None] = mapped_column(enum_column(DeclineReason))
    decline_note: Mapped[FreeText]
    match_score: Mapped[float | None]
    terms_version: Mapped[str | None] = mapped_column(sa.String(16))
    terms_accepted_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    # Set when the request's end or filling closed the invitation (status revoked, by the system).
    closed_because: Mapped[ClosedBecause | None] = mapped_column(enum_column(ClosedBecause))

    request = relationship("AssistanceRequest")
    expert = relationship("ExpertProfile")
    invited_by = relationship("User")
    engagement: Mapped["Engagement | None"] = relationship(back_populates="invitation", uselist=False)


class Engagement(TimestampMixin, db.Model):
    __tablename__ = "engagement"

    id: Mapped[IntPK]
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitation.id"), unique=True)
    request_id: Mapped[RequestFK] = mapped_column(index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("expert_profile.id"), index=True)
    status: Mapped[EngagementStatus] = mapped_column(
        enum_column(EngagementStatus), default=EngagementStatus.PLANNED, index=True)
    planned_start: Mapped[date | None]
    planned_end: Mapped[date | None]
    days_spent: Mapped[float | None]
    completion_report: Mapped[FreeText]
    report_submitted_at: Mapped[datetime | None]
    report_accepted_at: Mapped[datetime | None]  # the coordinator accepted the report: the agency sees it
    closed_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[FreeText]

    invitation: Mapped[Invitation] = relationship(back_populates="engagement")
    request = relationship("AssistanceRequest")
    expert = relationship("ExpertProfile")
    notes: Mapped[list["EngagementNote"]] = relationship(
        back_populates="engagement", order_by="EngagementNote.created_at", cascade="all, delete-orphan")
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="engagement", order_by="Milestone.due_on", cascade="all, delete-orphan")


class EngagementNote(AuthoredTextMixin, db.Model):
    """A progress note by the expert or the coordinator."""

    __tablename__ = "engagement_note"

    id: Mapped[IntPK]
    engagement_id: Mapped[int] = owned_by("engagement.id", index=True)

    engagement: Mapped[Engagement] = relationship(back_populates="notes")


class Milestone(db.Model):
    __tablename__ = "milestone"

    id: Mapped[IntPK]
    engagement_id: Mapped[int] = owned_by("engagement.id", index=True)
    title: Mapped[ShortText]
    due_on: Mapped[date | None]
    done_at: Mapped[datetime | None]

    engagement: Mapped[Engagement] = relationship(back_populates="milestones")


class ExclusionOverride(db.Model):
    """A coordinator's deliberate inclusion of an expert the suggestions' rules left out of one request
    (`exclusion`: the rule's key when it was overridden, `reason`: the coordinator's own words)."""

    __tablename__ = "exclusion_override"
    __table_args__ = (sa.UniqueConstraint("request_id", "expert_id"),)

    id: Mapped[IntPK]
    request_id: Mapped[RequestFK] = mapped_column(index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("expert_profile.id"), index=True)
    exclusion: Mapped[str] = mapped_column(sa.String(40))
    reason: Mapped[FreeText]
    created_by_id: Mapped[UserFK]
    created_at: Mapped[DefaultNow]

    expert = relationship("ExpertProfile")
    created_by = relationship("User")
