"""The Global Knowledge Hub's rows: items (with their texts per language, versions, files and audience), and what
members did with them (usage counters, "this helped", searches that found nothing good, items shown before filing).

An item is one resource of a `Kind`; a lesson from an engagement is a kind too, pointing at the request and
engagement it came from (`request_id`, `engagement_id`), so a later round adds lessons without a new table.
"""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.attachments.models import StoredFileColumns
from expertnet.db import DefaultNow, FreeText, IntPK, JsonList, ShortText, UserFK, enum_column, link_table, utcnow, owned_by
from expertnet.extensions import db
from expertnet.sensitivity import Tlp


class Kind(str, enum.Enum):
    GUIDANCE = "guidance"  # guidance and best practice
    SOP = "sop"  # standard operating procedures and templates
    TRAINING = "training"  # training-course material
    WEBINAR = "webinar"  # webinar recordings and slides
    CASE_STUDY = "case_study"
    LEGISLATION = "legislation"  # legislation notes
    LESSON = "lesson"  # a lesson from an engagement (drafted from its completion report; a later round)


class ItemStatus(str, enum.Enum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    AWAITING_AGENCY = "awaiting_agency"  # a lesson waiting for the owning agency's approval
    APPROVED = "approved"  # a lesson the agency approved, ready for a coordinator to publish
    PUBLISHED = "published"
    ARCHIVED = "archived"


# The labels a hub item may carry (issue 17): public, the whole network, named organisations or groups.
ITEM_LABELS = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)
LANGUAGES = ("en", "ar", "fr", "es", "ru")

hub_item_topic = link_table("hub_item_topic", "item_id", "hub_item.id", "topic_id", "topic.id")
# TLP:AMBER items: the organisations named as their audience.
hub_item_organisation = link_table("hub_item_organisation", "item_id", "hub_item.id", "organisation_id",
                                   "organisation.id")
# ... and the groups (regional networks, working groups) named as their audience: every member of the group reads it.
hub_item_group = link_table("hub_item_group", "item_id", "hub_item.id", "group_id", "network_group.id")
hub_item_substance = link_table("hub_item_substance", "item_id", "hub_item.id", "substance_id", "substance.id")
sa.Index("ix_hub_item_substance_substance_id", hub_item_substance.c.substance_id)


class HubItem(db.Model):
    __tablename__ = "hub_item"

    id: Mapped[IntPK]
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, 20))
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus, 20), default=ItemStatus.DRAFT, index=True)
    tlp: Mapped[Tlp] = mapped_column(enum_column(Tlp, 20))
    # The language whose text is the original; the others are translations.
    original_language: Mapped[str] = mapped_column(sa.String(8))
    regions: Mapped[JsonList]
    sectors: Mapped[JsonList]
    external_url: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[UserFK]
    created_at: Mapped[DefaultNow]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)  # the number of the text's latest version
    # Usage, kept on the row so a list can show it without counting events.
    view_count: Mapped[int] = mapped_column(default=0)
    download_count: Mapped[int] = mapped_column(default=0)
    helped_count: Mapped[int] = mapped_column(default=0)
    # Where a lesson came from (null for every other kind).
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assistance_request.id", ondelete="SET NULL"))
    engagement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("engagement.id", ondelete="SET NULL"))
    # The event whose materials the item publishes (webinar recordings and slides, training material).
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="SET NULL"), index=True)

    texts: Mapped[list["HubText"]] = relationship(back_populates="item", cascade="all, delete-orphan",
                                                  order_by="HubText.language")
    topics = relationship("Topic", secondary=hub_item_topic, order_by="Topic.position")
    audience = relationship("Organisation", secondary=hub_item_organisation, order_by="Organisation.name")
    audience_groups = relationship("Group", secondary=hub_item_group, order_by="Group.name")
    files: Mapped[list["HubFile"]] = relationship(back_populates="item", cascade="all, delete-orphan",
                                                  order_by="HubFile.id")
    created_by = relationship("User")
    request = relationship("AssistanceRequest")
    engagement = relationship("Engagement")
    event = relationship("Event")

    def text_in(self, language: str) -> "HubText | None":
        """The text in `language`, else the original, else any."""
        by_language = {t.language: t for t in self.texts}
        return by_language.get(language) or by_language.get(self.original_language) or next(iter(self.texts), None)

    @property
    def languages(self) -> list[str]:
        return [t.language for t in self.texts]


class HubText(db.Model):
    """An item's title, summary and body in one language."""

    __tablename__ = "hub_text"
    __table_args__ = (sa.UniqueConstraint("item_id", "language"),)

    id: Mapped[IntPK]
    item_id: Mapped[int] = owned_by("hub_item.id")
    language: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[ShortText]
    summary: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[FreeText]

    item: Mapped[HubItem] = relationship(back_populates="texts")


class HubVersion(db.Model):
    """The texts of an item as one edit left them (every language), numbered from 1."""

    __tablename__ = "hub_version"
    __table_args__ = (sa.UniqueConstraint("item_id", "number"),)

    id: Mapped[IntPK]
    item_id: Mapped[int] = owned_by("hub_item.id", index=True)
    number: Mapped[int]
    texts: Mapped[dict] = mapped_column(sa.JSON)  # language -> {title, summary, body}
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    author_id: Mapped[UserFK]
    created_at: Mapped[DefaultNow]

    author = relationship("User")


class HubFile(StoredFileColumns, db.Model):
    """A file of an item, stored and checked as attachments are (`attachments.services.store_upload`)."""

    __tablename__ = "hub_file"

    id: Mapped[IntPK]
    item_id: Mapped[int] = owned_by("hub_item.id", index=True)
    created_at: Mapped[DefaultNow]

    item: Mapped[HubItem] = relationship(back_populates="files")


class HubHelped(db.Model):
    """One reader said "this helped" (once per reader and item)."""

    __tablename__ = "hub_helped"
    __table_args__ = (sa.UniqueConstraint("item_id", "user_id"),)

    id: Mapped[IntPK]
    item_id: Mapped[int] = owned_by("hub_item.id")
    user_id: Mapped[int] = owned_by("user_account.id")
    created_at: Mapped[DefaultNow]


class HubSearchGap(db.Model):
    """A search with no good result: what members look for and do not find. The query's text is not kept (it
    may describe a vulnerability), only its language and the taxonomy topics it is about."""

    __tablename__ = "hub_search_gap"

    id: Mapped[IntPK]
    language: Mapped[str] = mapped_column(sa.String(8))
    topics: Mapped[JsonList]  # topic slugs
    source: Mapped[str] = mapped_column(sa.String(20), default="search")  # search | before_filing
    created_at: Mapped[DefaultNow] = mapped_column(index=True)


class HubShown(db.Model):
    """An item shown to a member writing a new request ("before you file"): under the new-request form's
    one-time token while the request does not exist yet (`form_tokens`: the token's use names the request it
    created), or under the request itself once saved."""

    __tablename__ = "hub_shown"

    id: Mapped[IntPK]
    item_id: Mapped[int] = owned_by("hub_item.id")
    user_id: Mapped[int] = owned_by("user_account.id")
    form_token: Mapped[str] = mapped_column(sa.String(64), default="", index=True)
    request_id: Mapped[int | None] = owned_by("assistance_request.id", index=True)
    score: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[DefaultNow]

    item = relationship(HubItem)
