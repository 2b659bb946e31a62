"""The editorial workflow of hub items, as a table for `statemachine.transition`: draft -> in review ->
published -> archived, and back to draft from review. Coordinators and admins (the hub's editors) make every
move; each is row-locked, audited (`hub_item.<status>`) and a repeat is a no-op."""
import sqlalchemy as sa

from expertnet import statemachine
from expertnet.accounts.policy import is_staff
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.hub.messages import HubError
from expertnet.hub.models import HubItem, ItemStatus
from expertnet.sensitivity import Tlp
from expertnet.statemachine import STAFF, Move, Step, step


def _has_text(move: Move) -> str | None:
    texts = move.obj.texts
    if not any(t.title.strip() and t.summary.strip() for t in texts):
        return "no_text"
    if not (move.obj.files or move.obj.external_url or any(t.body.strip() for t in texts)):
        return "no_content"
    return None


def _ready_to_publish(move: Move) -> str | None:
    if move.obj.tlp == Tlp.AMBER and not move.obj.audience:
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


def _lock(item: HubItem) -> None:
    db.session.scalars(sa.select(HubItem).where(HubItem.id == item.id).with_for_update()
                       .execution_options(populate_existing=True)).one()


def _stamp_published(move: Move) -> None:
    if move.to_status == ItemStatus.PUBLISHED:
        move.obj.published_at = move.obj.published_at or move.at
    move.obj.updated_at = utcnow()


HUB_MACHINE = statemachine.Machine(
    name="hub_item", table=TABLE, actor_kind=_actor_kind, lock=_lock,
    refuse_missing=lambda _item, _to: HubError("illegal_transition"),
    refuse_actor=lambda _item: HubError("not_allowed"), refuse_guard=HubError,
    stamps=(_stamp_published,))
