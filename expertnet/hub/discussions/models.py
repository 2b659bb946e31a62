"""Discussions (issue 17): threads attached to a place, their posts (the opening post and the replies), who
follows a thread, and what members reported.

A place is a kind and a key (`place_kind`, `place_key`): a taxonomy topic (its slug), a hub item (its id) or a
regional network or working group (its slug, issue 18); a further kind is one more `PlaceKind` value and one more
entry in `places.PLACES`, no new table.
"""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import DefaultNow, IntPK, ShortText, UserFK, enum_column, owned_by
from expertnet.extensions import db


class PlaceKind(str, enum.Enum):
    TOPIC = "topic"  # place_key: the topic's slug
    ITEM = "item"  # place_key: the hub item's id
    GROUP = "group"  # place_key: the group's slug (a group's own discussion space)


class PostStatus(str, enum.Enum):
    VISIBLE = "visible"
    HIDDEN = "hidden"  # by a moderator, with a reason; readers see that it was hidden, not what it said


class Thread(db.Model):
    __tablename__ = "discussion_thread"
    __table_args__ = (sa.Index("ix_discussion_thread_place", "place_kind", "place_key", "last_post_at"),)

    id: Mapped[IntPK]
    place_kind: Mapped[PlaceKind] = mapped_column(enum_column(PlaceKind, 16))
    place_key: Mapped[str] = mapped_column(sa.String(80))  # as long as the longest key: a group's slug
    title: Mapped[ShortText]
    language: Mapped[str] = mapped_column(sa.String(8))
    author_id: Mapped[UserFK]
    created_at: Mapped[DefaultNow]
    last_post_at: Mapped[DefaultNow]
    reply_count: Mapped[int] = mapped_column(default=0)  # kept on the row, so a list shows it without counting

    author = relationship("User")
    posts: Mapped[list["Post"]] = relationship(back_populates="thread", cascade="all, delete-orphan",
                                               order_by="Post.id")


class Post(db.Model):
    __tablename__ = "discussion_post"

    id: Mapped[IntPK]
    thread_id: Mapped[int] = owned_by("discussion_thread.id", index=True)
    author_id: Mapped[UserFK]
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[DefaultNow]
    edited_at: Mapped[datetime | None]
    status: Mapped[PostStatus] = mapped_column(enum_column(PostStatus, 16), default=PostStatus.VISIBLE, index=True)
    hidden_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    hidden_at: Mapped[datetime | None]
    # Raised by every hide or restore: a moderator's button names the version they saw (a stale one is a 409).
    moderation_version: Mapped[int] = mapped_column(default=0)
    open_reports: Mapped[int] = mapped_column(default=0)  # reports not yet dealt with (the moderation queue)

    thread: Mapped[Thread] = relationship(back_populates="posts")
    author = relationship("User", foreign_keys="Post.author_id")
    hidden_by = relationship("User", foreign_keys="Post.hidden_by_id")


class Subscription(db.Model):
    """A user follows a thread: told of each reply (in-app and by e-mail) while they may see its place."""

    __tablename__ = "discussion_subscription"
    __table_args__ = (sa.UniqueConstraint("thread_id", "user_id"),)

    id: Mapped[IntPK]
    thread_id: Mapped[int] = owned_by("discussion_thread.id")
    user_id: Mapped[int] = owned_by("user_account.id", index=True)
    created_at: Mapped[DefaultNow]


class Report(db.Model):
    """A member's report of a post (once per member and post), dealt with when a moderator hides, restores or
    keeps the post."""

    __tablename__ = "discussion_report"
    __table_args__ = (sa.UniqueConstraint("post_id", "user_id"),)

    id: Mapped[IntPK]
    post_id: Mapped[int] = owned_by("discussion_post.id", index=True)
    user_id: Mapped[int] = owned_by("user_account.id")
    reason: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[DefaultNow]
    resolved_at: Mapped[datetime | None]

    user = relationship("User")
