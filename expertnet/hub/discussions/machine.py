"""Moderation of a post, as a table for `statemachine.transition`: visible -> hidden (a reason required) ->
visible again; coordinators and admins make both moves. Row-locked; a repeat is a no-op (the post is already
where the moderator wanted it); a moderator who acted on an older view of the post (`seen`, the post's
`moderation_version` their button carried) is refused with 409; audited as `discussion_post.hidden` /
`discussion_post.visible`, and the post's open reports are dealt with by the move."""
import sqlalchemy as sa

from expertnet import statemachine
from expertnet.accounts.policy import is_staff
from expertnet.extensions import db
from expertnet.hub.discussions.messages import DiscussionError
from expertnet.hub.discussions.models import Post, PostStatus, Report
from expertnet.statemachine import STAFF, Move, step


def _as_seen(move: Move) -> str | None:
    seen = move.details.get("seen")
    if seen is not None and seen != move.obj.moderation_version:
        return "changed_meanwhile"
    return None


def _reason_given(move: Move) -> str | None:
    return _as_seen(move) or (None if move.note else "reason_required")


TABLE = {
    PostStatus.VISIBLE: {PostStatus.HIDDEN: step(STAFF, guard=_reason_given)},
    PostStatus.HIDDEN: {PostStatus.VISIBLE: step(STAFF, guard=_as_seen)},
}


def _actor_kind(_post: Post, user) -> statemachine.Actor | None:
    return STAFF if getattr(user, "is_active", False) and is_staff(user) else None


def _stamp(move: Move) -> None:
    post = move.obj
    hiding = move.to_status == PostStatus.HIDDEN
    post.hidden_reason = move.note if hiding else ""
    post.hidden_by_id = move.actor.id if hiding else None
    post.hidden_at = move.at if hiding else None
    post.moderation_version += 1
    post.open_reports = 0


def _resolve_reports(move: Move) -> None:
    db.session.execute(sa.update(Report).where(Report.post_id == move.obj.id, Report.resolved_at.is_(None))
                       .values(resolved_at=move.at), execution_options={"synchronize_session": False})


MODERATION = statemachine.Machine(
    name="discussion_post", table=TABLE, actor_kind=_actor_kind, lock=statemachine.lock_row,
    refuse_missing=lambda _post, _to: DiscussionError("illegal_transition"),
    refuse_actor=lambda _post: DiscussionError("not_allowed"), refuse_guard=DiscussionError,
    audit_details=lambda move: {"thread_id": move.obj.thread_id, "reason": move.note},
    stamps=(_stamp,), effects=(_resolve_reports,))
