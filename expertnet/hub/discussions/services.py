"""The discussions' rules: plain functions named after the action, the actor passed in; they flush, never commit,
and audit in the same transaction. The caller has loaded the thread through `places.get_visible_thread_or_404`
(or the place through `get_visible_place_or_404`), so the actor may see what they write to.

Who is told: the users a post mentions (`discussion_mention`) and the thread's followers (`discussion_reply`),
each once, never the writer, and only while they may still see the place; in-app and by e-mail (`notify`: the
mail is queued in this transaction and the job engine delivers it after the commit)."""
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from expertnet import statemachine
from expertnet.accounts.models import User
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.hub.discussions.machine import MODERATION
from expertnet.hub.discussions.mentions import mentioned_users
from expertnet.hub.discussions.messages import DiscussionError
from expertnet.hub.discussions.models import Post, PostStatus, Report, Subscription, Thread
from expertnet.hub.discussions.places import Place, may_moderate, visible_threads
from expertnet.notifications.services import link, notify


def _add_post(actor: Any, thread: Thread, body: str) -> Post:
    post = Post(thread_id=thread.id, author_id=actor.id, body=body)
    db.session.add(post)
    db.session.flush()
    return post


def start_thread(actor: Any, place: Place, data: dict) -> Thread:
    """A new thread at `place` with its opening post; the author follows it."""
    thread = Thread(place_kind=place.kind, place_key=place.key, title=data["title"], language=data["language"],
                    author_id=actor.id)
    db.session.add(thread)
    db.session.flush()
    post = _add_post(actor, thread, data["body"])
    told = _tell(actor, thread, place, post)
    record("discussion_thread.started", actor, thread, place_kind=place.kind.value, place_key=place.key,
           language=thread.language, post_id=post.id, mentioned=told["mentioned"])
    follow(actor, thread)
    return thread


def reply(actor: Any, thread: Thread, place: Place, body: str) -> Post:
    """A reply; the thread's counters move in one UPDATE (parallel replies lose no count); the writer follows."""
    post = _add_post(actor, thread, body)
    db.session.execute(sa.update(Thread).where(Thread.id == thread.id)
                       .values(reply_count=Thread.reply_count + 1, last_post_at=post.created_at),
                       execution_options={"synchronize_session": False})
    told = _tell(actor, thread, place, post)
    record("discussion_post.created", actor, post, thread_id=thread.id, **told)
    follow(actor, thread)
    db.session.expire(thread, ["reply_count", "last_post_at"])
    return post


def edit_window() -> timedelta:
    return timedelta(minutes=current_app.config.get("DISCUSSION_EDIT_MINUTES", 15))


def may_still_edit(user: Any, post: Post, now: datetime | None = None) -> bool:
    return (getattr(user, "id", None) == post.author_id and post.status == PostStatus.VISIBLE
            and (now or utcnow()) - post.created_at <= edit_window())


def edit_post(actor: Any, post: Post, place: Place, body: str, now: datetime | None = None) -> Post:
    """The author's correction within `DISCUSSION_EDIT_MINUTES`; users it newly mentions are told."""
    if post.author_id != actor.id:
        raise DiscussionError("not_author")
    if post.status != PostStatus.VISIBLE:
        raise DiscussionError("post_hidden")
    if not may_still_edit(actor, post, now):
        raise DiscussionError("edit_window_over")
    before = {u.id for u in mentioned_users(post.body, place, actor)}
    post.body, post.edited_at = body, now or utcnow()
    db.session.flush()
    told = _tell(actor, post.thread, place, post, already=before, followers=False)
    record("discussion_post.edited", actor, post, thread_id=post.thread_id, **told)
    return post


# ------------------------------------------------------------------ following and telling
def is_following(user: Any, thread: Thread) -> bool:
    return db.session.scalar(sa.select(Subscription.id).where(Subscription.thread_id == thread.id,
                                                              Subscription.user_id == user.id)) is not None


def follow(actor: Any, thread: Thread) -> None:
    """Idempotent: a twin at the same moment waits on the unique index and finds it done."""
    if is_following(actor, thread):
        return
    try:
        with db.session.begin_nested():
            db.session.add(Subscription(thread_id=thread.id, user_id=actor.id))
            db.session.flush()
    except IntegrityError:
        return
    record("discussion_thread.followed", actor, thread)


def unfollow(actor: Any, thread: Thread) -> None:
    removed = db.session.execute(sa.delete(Subscription).where(Subscription.thread_id == thread.id,
                                                               Subscription.user_id == actor.id),
                                 execution_options={"synchronize_session": False})
    if removed.rowcount:  # type: ignore[attr-defined]  # a DELETE's result has a rowcount
        record("discussion_thread.unfollowed", actor, thread)


def _followers(thread: Thread) -> list[User]:
    return list(db.session.scalars(sa.select(User).join(Subscription, Subscription.user_id == User.id)
                                   .where(Subscription.thread_id == thread.id, User.is_active).order_by(User.id)))


def _tell(actor: Any, thread: Thread, place: Place, post: Post, already: set[int] = frozenset(),  # type: ignore[assignment]
          followers: bool = True) -> dict[str, list[int]]:
    """Notify the mentioned, then the followers, each once; returns who (ids, for the audit row)."""
    to = link("hub.discussions.post", post_id=post.id)
    facts = {"title": thread.title, "author": actor.full_name}
    mentioned = [u for u in mentioned_users(post.body, place, actor) if u.id not in already]
    for user in mentioned:
        notify(user, "discussion_mention", to, facts, thread=thread, post=post, author=actor, name=user.full_name)
    told = {u.id for u in mentioned} | set(already) | {actor.id}
    replied = []
    for user in _followers(thread) if followers else []:
        if user.id not in told and place.visible_to(user):
            notify(user, "discussion_reply", to, facts, thread=thread, post=post, author=actor, name=user.full_name)
            replied.append(user.id)
    return {"mentioned": [u.id for u in mentioned], "told_followers": replied}


# ------------------------------------------------------------------ reports and moderation
def report_post(actor: Any, post: Post, reason: str) -> Report:
    """Any reader may report another's post, once; the moderation queue shows the post until a moderator acts."""
    if post.status != PostStatus.VISIBLE:
        raise DiscussionError("post_hidden")
    if post.author_id == actor.id:
        raise DiscussionError("own_post")
    try:  # the unique index settles a twin report sent at the same moment
        with db.session.begin_nested():
            report = Report(post_id=post.id, user_id=actor.id, reason=reason)
            db.session.add(report)
            db.session.flush()
    except IntegrityError as twin:
        raise DiscussionError("already_reported") from twin
    db.session.execute(sa.update(Post).where(Post.id == post.id).values(open_reports=Post.open_reports + 1),
                       execution_options={"synchronize_session": False})
    record("discussion_post.reported", actor, post, thread_id=post.thread_id, reason=reason)
    db.session.expire(post, ["open_reports"])
    return report


def hide_post(actor: Any, post: Post, reason: str, seen: int | None = None) -> bool:
    """Hide with a reason (row-locked; a repeat is a no-op: False). `seen`: the version the moderator looked at."""
    return statemachine.transition(MODERATION, post, PostStatus.HIDDEN, actor, note=reason, seen=seen) is not None


def restore_post(actor: Any, post: Post, seen: int | None = None) -> bool:
    return statemachine.transition(MODERATION, post, PostStatus.VISIBLE, actor, seen=seen) is not None


def keep_post(actor: Any, post: Post, seen: int | None = None) -> None:
    """A moderator read the reports and keeps the post visible: the reports are dealt with (row-locked)."""
    if not may_moderate(actor):
        raise DiscussionError("not_allowed")
    statemachine.lock_row(post)
    if seen is not None and seen != post.moderation_version:
        raise DiscussionError("changed_meanwhile")
    if post.status != PostStatus.VISIBLE:
        raise DiscussionError("illegal_transition")
    post.open_reports, post.moderation_version = 0, post.moderation_version + 1
    db.session.execute(sa.update(Report).where(Report.post_id == post.id, Report.resolved_at.is_(None))
                       .values(resolved_at=utcnow()), execution_options={"synchronize_session": False})
    record("discussion_post.kept", actor, post, thread_id=post.thread_id)
    db.session.flush()


# ------------------------------------------------------------------ lists
def threads_at(place: Place) -> sa.Select:
    return (sa.select(Thread).where(Thread.place_kind == place.kind, Thread.place_key == place.key)
            .order_by(Thread.last_post_at.desc(), Thread.id.desc()))


def posts_of(thread: Thread) -> sa.Select:
    return sa.select(Post).where(Post.thread_id == thread.id).order_by(Post.id)


def moderation_queue(moderator: Any, show: str = "reported") -> sa.Select:
    """Posts with reports not yet dealt with (oldest first), or the hidden ones (latest first), in the threads the
    moderator may see (a regional coordinator moderates their regions' spaces, not another region's)."""
    seen = Post.thread_id.in_(visible_threads(moderator).with_only_columns(Thread.id))
    if show == "hidden":
        return sa.select(Post).where(seen, Post.status == PostStatus.HIDDEN).order_by(Post.hidden_at.desc(), Post.id)
    return sa.select(Post).where(seen, Post.open_reports > 0, Post.status == PostStatus.VISIBLE).order_by(Post.id)


def open_reports_of(post: Post) -> list[Report]:
    return list(db.session.scalars(sa.select(Report).where(Report.post_id == post.id, Report.resolved_at.is_(None))
                                   .order_by(Report.id)))
