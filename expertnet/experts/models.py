"""The expertise profile the matcher reads, and its parts."""
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import (
    DefaultNow, ExpertFK, FreeText, IntPK, JsonList, OrganisationFK, ShortText, TimestampMixin, UserFK, enum_column, link_table)
from expertnet.extensions import db


# Each member's value is its lower-cased name (StrEnum), which is what the database stores.
VettingStatus = StrEnum("VettingStatus", "PENDING APPROVED REJECTED")
Availability = StrEnum("Availability", "AVAILABLE LIMITED UNAVAILABLE")
TopicLevel = StrEnum("TopicLevel", "AWARENESS PRACTITIONER EXPERT")
Proficiency = StrEnum("Proficiency", "BASIC WORKING FLUENT NATIVE")
PublicationKind = StrEnum("PublicationKind", "PUBLICATION TRAINING")


expert_conflict_organisation = link_table("expert_conflict_organisation", "expert_id", "expert_profile.id", "organisation_id", "organisation.id")


class ExpertProfile(TimestampMixin, db.Model):
    __tablename__ = "expert_profile"
    __table_args__ = (
        sa.CheckConstraint("capacity BETWEEN 0 AND 20", name="capacity_range"),
        # The database itself refuses over-commitment: pending invitations plus open engagements.
        sa.CheckConstraint("commitments >= 0 AND commitments <= capacity", name="commitments_within_capacity"),
    )

    id: Mapped[IntPK]
    user_id: Mapped[UserFK] = mapped_column(unique=True)
    organisation_id: Mapped[OrganisationFK | None] = mapped_column(index=True)
    affiliation: Mapped[ShortText] = mapped_column(default="")
    headline: Mapped[ShortText] = mapped_column(default="")
    biography: Mapped[FreeText]
    expertise_statement: Mapped[FreeText]
    application_note: Mapped[FreeText]
    languages: Mapped[JsonList]  # [{"code": "ar", "proficiency": "native"}]
    countries: Mapped[JsonList]  # ISO 3166 alpha-2 codes of experience
    regions: Mapped[JsonList]  # region slugs
    conflict_countries: Mapped[JsonList]
    willing_to_travel: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int] = mapped_column(default=2)
    # Pending invitations + open engagements: the stored result of engagements.capacity.count_commitments, kept
    # for the matcher's filters and rewritten from the rows under this row's lock; never moved by hand.
    commitments: Mapped[int] = mapped_column(default=0)
    availability: Mapped[Availability] = mapped_column(enum_column(Availability), default=Availability.AVAILABLE)
    unavailable_until: Mapped[date | None]
    vetting_status: Mapped[VettingStatus] = mapped_column(
        enum_column(VettingStatus), default=VettingStatus.PENDING, index=True)
    vetting_reason: Mapped[FreeText]
    vetted_at: Mapped[datetime | None]
    vetted_by_id: Mapped[UserFK | None]
    deactivation_requested_at: Mapped[datetime | None]

    user = relationship("User", foreign_keys=[user_id], backref=sa.orm.backref("expert_profile", uselist=False))
    organisation = relationship("Organisation")
    vetted_by = relationship("User", foreign_keys="ExpertProfile.vetted_by_id")
    topics: Mapped[list["ExpertTopic"]] = relationship(back_populates="expert", cascade="all, delete-orphan")
    experiences: Mapped[list["Experience"]] = relationship(
        back_populates="expert", cascade="all, delete-orphan", order_by="Experience.start_year.desc()")
    publications: Mapped[list["Publication"]] = relationship(
        back_populates="expert", cascade="all, delete-orphan", order_by="Publication.year.desc()")
    blackouts: Mapped[list["BlackoutPeriod"]] = relationship(
        back_populates="expert", cascade="all, delete-orphan", order_by="BlackoutPeriod.starts_on")
    conflict_organisations = relationship("Organisation", secondary=expert_conflict_organisation)
    # The register's substances the profile is tagged with (written by chemicals.services.tag_expert; read here).
    substances = relationship("Substance", secondary="expert_substance", viewonly=True, order_by="Substance.cas")


class ExpertPart:
    """A row of one expert's profile (an experience, a publication, a blackout period): it goes with the profile."""

    id: Mapped[IntPK]
    expert_id: Mapped[ExpertFK] = mapped_column(index=True)


class ExpertTopic(db.Model):
    __tablename__ = "expert_topic"

    expert_id: Mapped[ExpertFK] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topic.id"), primary_key=True)
    level: Mapped[TopicLevel] = mapped_column(enum_column(TopicLevel), default=TopicLevel.PRACTITIONER)

    expert: Mapped[ExpertProfile] = relationship(back_populates="topics")
    topic = relationship("Topic")


class Experience(ExpertPart, db.Model):
    __tablename__ = "experience"
    __table_args__ = (sa.CheckConstraint("end_year IS NULL OR end_year >= start_year", name="years_ordered"),)

    role: Mapped[ShortText]
    organisation: Mapped[ShortText] = mapped_column(default="")
    start_year: Mapped[int]
    end_year: Mapped[int | None]
    description: Mapped[FreeText]

    expert: Mapped[ExpertProfile] = relationship(back_populates="experiences")


class Publication(ExpertPart, db.Model):
    """A publication written or a training given: both are evidence of expertise for the matcher."""

    __tablename__ = "publication"

    kind: Mapped[PublicationKind] = mapped_column(enum_column(PublicationKind), default=PublicationKind.PUBLICATION)
    title: Mapped[str] = mapped_column(sa.String(300))
    year: Mapped[int | None]
    summary: Mapped[FreeText]

    expert: Mapped[ExpertProfile] = relationship(back_populates="publications")


class BlackoutPeriod(ExpertPart, db.Model):
    __tablename__ = "blackout_period"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="dates_ordered"),)

    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[ShortText] = mapped_column(default="")

    expert: Mapped[ExpertProfile] = relationship(back_populates="blackouts")


class MatcherState(db.Model):
    """One row: the version of expert data; processes compare it with their index to detect staleness."""

    __tablename__ = "matcher_state"

    id: Mapped[IntPK]
    # 64 bits: each change adds a random step of up to 2**20 (see matcher_bridge._log_change); 32 bits
    # would overflow after a few thousand changes, and PostgreSQL would refuse every later one.
    data_version: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    changed_expert_ids: Mapped[JsonList]


class MatcherTuning(db.Model):
    """A configuration of the matcher learnt from coordinators' decisions (`flask matching tune`): stored only
    when it ranked the held-out requests better than the configuration before it. The newest row is the one in
    force (`matcher_bridge.tuned_parameters`); older rows are its history. Figures are NDCG@k."""

    __tablename__ = "matcher_tuning"

    id: Mapped[IntPK]
    created_at: Mapped[DefaultNow]
    created_by: Mapped[ShortText]  # who ran the command (a user's e-mail, or the system account's name)
    parameters: Mapped[dict] = mapped_column(sa.JSON)  # ExpertMatcher parameters, e.g. {"language_bonus": 0.05}
    k: Mapped[int]
    seed: Mapped[int]
    held_out_share: Mapped[float]
    train_requests: Mapped[int]
    held_out_requests: Mapped[int]
    train_before: Mapped[float]
    train_after: Mapped[float]
    held_out_before: Mapped[float]
    held_out_after: Mapped[float]
