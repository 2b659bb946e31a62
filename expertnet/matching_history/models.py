"""A suggestions list as shown to a coordinator, one row per shown expert (so ranks can be queried)."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import DefaultNow, ExpertFK, FreeText, IntPK, RequestFK, UserFK, owned_by
from expertnet.extensions import db


class ShownList(db.Model):
    """One suggestions list a coordinator saw: for which request, when, refined how, from which ranker.

    `ranker_config` fingerprints the matcher's parameters, `tuning_id` names the tuned configuration in force
    (None: the defaults) and `index_version` the expert data the index reflected. `keywords` are the
    coordinator's own words (blanked by the retention purge with the request's texts)."""

    __tablename__ = "shown_list"

    id: Mapped[IntPK]
    request_id: Mapped[RequestFK] = mapped_column(index=True)
    coordinator_id: Mapped[UserFK] = mapped_column(index=True)
    shown_at: Mapped[DefaultNow] = mapped_column(index=True)
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    keywords: Mapped[FreeText]
    required_language: Mapped[str] = mapped_column(sa.String(8), default="")
    required_region: Mapped[str] = mapped_column(sa.String(40), default="")
    include_unavailable: Mapped[bool] = mapped_column(default=False)
    ranker_config: Mapped[str] = mapped_column(sa.String(32))
    tuning_id: Mapped[int | None] = mapped_column(sa.ForeignKey("matcher_tuning.id", ondelete="SET NULL"))
    index_version: Mapped[int | None] = mapped_column(sa.BigInteger)

    experts: Mapped[list["ShownExpert"]] = relationship(
        back_populates="shown_list", order_by="ShownExpert.rank", cascade="all, delete-orphan", passive_deletes=True)
    request = relationship("AssistanceRequest")


class ShownExpert(db.Model):
    """One expert of a shown list: `rank` from 1, the score shown, and whether a coordinator had included
    them against a rule (ranked after the others)."""

    __tablename__ = "shown_expert"
    __table_args__ = (sa.UniqueConstraint("shown_list_id", "rank"),)

    id: Mapped[IntPK]
    shown_list_id: Mapped[int] = owned_by("shown_list.id")
    expert_id: Mapped[ExpertFK] = mapped_column(index=True)
    rank: Mapped[int]
    score: Mapped[float]
    included: Mapped[bool] = mapped_column(default=False)

    shown_list: Mapped[ShownList] = relationship(back_populates="experts")
