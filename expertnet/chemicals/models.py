"""The chemicals-of-concern register: substances, their names in four languages, the control lists they are on
(with a list's threshold), the curated versions of each substance, and the tags joining requests and experts
to substances."""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import DefaultNow, IntPK, TimestampMixin, link_table, owned_by
from expertnet.extensions import db

NAME_LANGUAGES = ("en", "ar", "fr", "es")


class ControlList(db.Model):
    """A published list (CWC Schedule 2 part A, EU Regulation 2019/1148 Annex I...) and the source it is cited from."""

    __tablename__ = "control_list"

    id: Mapped[IntPK]
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    names: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # language -> name
    source_title: Mapped[str] = mapped_column(sa.String(300))
    source_url: Mapped[str] = mapped_column(sa.String(500))
    retrieved_on: Mapped[date]

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names.get("en") or self.code


class Substance(TimestampMixin, db.Model):
    __tablename__ = "substance"

    id: Mapped[IntPK]
    cas: Mapped[str] = mapped_column(sa.String(12), unique=True)  # normalised: NNNNNNN-NN-N
    note: Mapped[str] = mapped_column(sa.Text, default="")
    is_retired: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=0)  # the number of its latest SubstanceVersion

    names: Mapped[list["SubstanceName"]] = relationship(
        back_populates="substance", cascade="all, delete-orphan",
        order_by="(SubstanceName.language, SubstanceName.is_preferred.desc(), SubstanceName.name)")
    listings: Mapped[list["Listing"]] = relationship(back_populates="substance", cascade="all, delete-orphan")
    versions: Mapped[list["SubstanceVersion"]] = relationship(
        back_populates="substance", cascade="all, delete-orphan", order_by="SubstanceVersion.number.desc()")

    def preferred(self, locale: str) -> str:
        """The preferred name in `locale`, else in English, else the CAS number."""
        for language in (locale, "en"):
            for name in self.names:
                if name.language == language and name.is_preferred:
                    return name.name
        return self.cas

    def names_in(self, language: str) -> list["SubstanceName"]:
        return [n for n in self.names if n.language == language]


class SubstanceName(db.Model):
    """One name or synonym; `key` is its folded form (case, accents, Arabic letter variants), unique per
    substance and language; the same key on two substances is flagged on the register's pages."""

    __tablename__ = "substance_name"
    __table_args__ = (sa.UniqueConstraint("substance_id", "language", "key"),)

    id: Mapped[IntPK]
    substance_id: Mapped[int] = owned_by("substance.id", index=True)
    language: Mapped[str] = mapped_column(sa.String(5))
    name: Mapped[str] = mapped_column(sa.String(200))
    key: Mapped[str] = mapped_column(sa.String(200), index=True)
    is_preferred: Mapped[bool] = mapped_column(default=False)

    substance: Mapped[Substance] = relationship(back_populates="names")


class Listing(db.Model):
    """A substance on a list, with the list's threshold for it where the list sets one ('12 % w/w')."""

    __tablename__ = "substance_listing"
    __table_args__ = (sa.UniqueConstraint("substance_id", "list_id"),)

    id: Mapped[IntPK]
    substance_id: Mapped[int] = owned_by("substance.id", index=True)
    list_id: Mapped[int] = mapped_column(sa.ForeignKey("control_list.id"), index=True)
    threshold: Mapped[str] = mapped_column(sa.String(200), default="")

    substance: Mapped[Substance] = relationship(back_populates="listings")
    control_list: Mapped[ControlList] = relationship(lazy="joined")


class SubstanceVersion(db.Model):
    """What a substance was after each curated change (created, edited, imported, retired, restored)."""

    __tablename__ = "substance_version"
    __table_args__ = (sa.UniqueConstraint("substance_id", "number"),)

    id: Mapped[IntPK]
    substance_id: Mapped[int] = owned_by("substance.id", index=True)
    number: Mapped[int]
    change: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[DefaultNow]

    substance: Mapped[Substance] = relationship(back_populates="versions")
    actor = relationship("User")


request_substance = link_table("request_substance", "request_id", "assistance_request.id",
                               "substance_id", "substance.id")
sa.Index("ix_request_substance_substance_id", request_substance.c.substance_id)
expert_substance = link_table("expert_substance", "expert_id", "expert_profile.id", "substance_id", "substance.id")
sa.Index("ix_expert_substance_substance_id", expert_substance.c.substance_id)


