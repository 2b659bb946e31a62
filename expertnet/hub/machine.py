"""The editorial workflow of hub items, as tables for `statemachine.transition`: draft -> in review ->
published -> archived, and back to draft from review; coordinators and admins (the hub's editors) make every
move. Lessons from engagements have their own table: draft -> awaiting the agency -> approved -> published,
where the owning agency's members approve or send back. Each move is row-locked, audited (`hub_item.<status>`)
and a repeat is a no-op."""
from typing import Any

import sqlalchemy as sa

from expertnet import statemachine
from expertnet.accounts.models import Role
from expertnet.accounts.policy import is_staff
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.hub.messages import HubError
from expertnet.hub.models import HubItem, ItemStatus, Kind
from expertnet.sensitivity import Tlp
from expertnet.statemachine import MEMBER, STAFF, Move, Step, step


def _has_text(move: Move) -> str | None:
    texts = move.obj.texts
    if not any(t.title.strip() and t.summary.strip() for t in texts):
        return "no_text"
    if not (move.obj.files or move.obj.external_url or any(t.body.strip() for t in texts)):
        return "no_content"
    return None


def _ready_to_publish(move: Move) -> str | None:
    if move.obj.tlp == Tlp.AMBER and not (move.obj.audience or move.obj.audience_groups):
        return "no_audience"
    return _has_text(move)


TABLE: dict[ItemStatus, dict[ItemStatus, Step]] = {
    ItemStatus.DRAFT: {ItemStatus.IN_REVIEW: step(STAFF, guard=_has_text), ItemStatus.ARCHIVED: step(STAFF)},
    ItemStatus.IN_REVIEW: {ItemStatus.PUBLISHED: step(STAFF, guard=_ready_to_publish),
                           ItemStatus.DRAFT: step(STAFF)},
    ItemStatus.PUBLISHED: {ItemStatus.ARCHIVED: step(STAFF)},
    ItemStatus.ARCHIVED: {},
}


def _actor_kind(_item: HubItem, user) -> statemachine.Actor | None:
    if user is None:
        return statemachine.SYSTEM
    return STAFF if getattr(user, "is_active", False) and is_staff(user) else None


def lock_item(item: HubItem) -> None:
    db.session.scalars(sa.select(HubItem).where(HubItem.id == item.id).with_for_update()
                       .execution_options(populate_existing=True)).one()


def _stamp_published(move: Move) -> None:
    if move.to_status == ItemStatus.PUBLISHED:
        move.obj.published_at = move.obj.published_at or move.at
    move.obj.updated_at = utcnow()


HUB_MACHINE = statemachine.Machine(
    name="hub_item", table=TABLE, actor_kind=_actor_kind, lock=lock_item,
    refuse_missing=lambda _item, _to: HubError("illegal_transition"),
    refuse_actor=lambda _item: HubError("not_allowed"), refuse_guard=HubError,
    stamps=(_stamp_published,))


S = ItemStatus


def _comment_when_sent_back(move: Move) -> str | None:
    # The agency says why; a coordinator taking the lesson back (its buttons carry no note) need not.
    if move.from_status == S.AWAITING_AGENCY and getattr(move.actor, "role", None) == Role.MEMBER and not move.note:
        return "comment_required"
    return None


LESSON_TABLE = {
    S.DRAFT: {S.AWAITING_AGENCY: step(STAFF, guard=_has_text), S.ARCHIVED: step(STAFF)},
    S.AWAITING_AGENCY: {S.APPROVED: step(MEMBER, guard=_has_text),
                        S.DRAFT: step(MEMBER, STAFF, guard=_comment_when_sent_back)},
    S.APPROVED: {S.PUBLISHED: step(STAFF, guard=_ready_to_publish), S.DRAFT: step(STAFF)},
    S.PUBLISHED: {S.ARCHIVED: step(STAFF)},
    S.ARCHIVED: {},
    S.IN_REVIEW: {S.DRAFT: step(STAFF)},
}


def is_agency_member(user: Any, item: HubItem) -> bool:
    """A member of the organisation that owns the lesson's request."""
    return (item.request is not None and getattr(user, "is_active", False)
            and getattr(user, "role", None) == Role.MEMBER
            and user.organisation_id == item.request.organisation_id)


LESSON_MACHINE = statemachine.Machine(
    name="hub_item", table=LESSON_TABLE,
    actor_kind=lambda item, user: statemachine.acting_kind(user, MEMBER, lambda u: is_agency_member(u, item)),
    lock=lock_item, refuse_missing=lambda _item, _to: HubError("illegal_transition"),
    refuse_actor=lambda _item: HubError("not_allowed"), refuse_guard=HubError, stamps=(_stamp_published,))


def machine_for(item: HubItem) -> statemachine.Machine:
    return LESSON_MACHINE if item.kind == Kind.LESSON else HUB_MACHINE
