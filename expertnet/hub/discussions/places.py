"""Where a thread lives, and THE access rule of discussions: a thread is visible exactly to the signed-in network
users who may see its place, and to nobody else (404 on its pages, absent from lists; a mention or a reply
never notifies anyone else).

- a taxonomy topic: every signed-in, active network user (the topic itself is network-wide);
- a hub item: who may see the item (`hub.access.visibility`: its label, its audience, its editorial state);
- a regional network or working group (its own discussion space): who may see the group's page
  (`groups.access.visible_groups`: its members, in person or through their organisation, and the network's
  global coordinators and admins, who moderate; a regional coordinator only in the groups they belong to).
  Membership is read live: a member who leaves loses the space, its threads and their notifications at once.

Discussions are member content (officers' names and words), so even a TLP:CLEAR item's threads need a sign-in.
A new kind of place is one `PlaceType` in `PLACES`.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort, url_for
from sqlalchemy.orm import selectinload

from expertnet.extensions import db
from expertnet.groups.access import visible_groups
from expertnet.groups.models import Group
from expertnet.hub import access as hub_access
from expertnet.hub.discussions.models import PlaceKind, Thread
from expertnet.hub.models import HubItem
from expertnet.taxonomy.models import Topic


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


@dataclass(frozen=True)
class PlaceType:
    kind: PlaceKind
    rows: Callable[[set[str]], dict[str, Any]]  # keys -> {key: the place's row} for those that exist
    may_see: Callable[[Any, Any], bool]  # (user, row), the user signed in and active
    title: Callable[[Any, str], str]  # (row, locale)
    url: Callable[[Any], str]  # row -> the place's own page


def _topics(keys: set[str]) -> dict[str, Topic]:
    return {t.slug: t for t in db.session.scalars(sa.select(Topic).where(Topic.slug.in_(keys), Topic.is_active))}


def _items(keys: set[str]) -> dict[str, HubItem]:
    ids = {int(key) for key in keys if key.isdigit() and len(key) < 10}
    query = sa.select(HubItem).where(HubItem.id.in_(ids)).options(selectinload(HubItem.texts))
    return {str(item.id): item for item in db.session.scalars(query)}


def _groups(keys: set[str]) -> dict[str, Group]:
    return {g.slug: g for g in db.session.scalars(sa.select(Group).where(Group.slug.in_(keys)))}


def _group_visible_to(user: Any, group: Group) -> bool:
    return bool(db.session.scalar(sa.select(visible_groups(user).where(Group.id == group.id).exists())))


def _item_title(item: HubItem, locale: str) -> str:
    text = item.text_in(locale)
    return text.title if text else f"#{item.id}"


PLACES: dict[PlaceKind, PlaceType] = {
    PlaceKind.TOPIC: PlaceType(PlaceKind.TOPIC, _topics, lambda _user, _topic: True,
                               lambda topic, locale: topic.label(locale),
                               lambda topic: url_for("hub.index", topic=topic.slug)),
    PlaceKind.ITEM: PlaceType(PlaceKind.ITEM, _items,
                              lambda user, item: bool(hub_access.visible_ids(user, {item.id})),
                              _item_title, lambda item: url_for("hub.item", item_id=item.id)),
    PlaceKind.GROUP: PlaceType(PlaceKind.GROUP, _groups, _group_visible_to, lambda group, _locale: group.name,
                               lambda group: url_for("groups.detail", slug=group.slug)),
}


@dataclass(frozen=True)
class Place:
    kind: PlaceKind
    key: str
    row: Any

    def title(self, locale: str) -> str:
        return PLACES[self.kind].title(self.row, locale)

    @property
    def url(self) -> str:
        return PLACES[self.kind].url(self.row)

    def visible_to(self, user: Any) -> bool:
        return signed_in(user) and PLACES[self.kind].may_see(user, self.row)


def find_place(kind: str, key: str) -> Place | None:
    try:
        place_kind = PlaceKind(kind)
    except ValueError:
        return None
    row = PLACES[place_kind].rows({key}).get(key)
    return Place(place_kind, key, row) if row is not None else None


def place_of(thread: Thread) -> Place | None:
    return find_place(thread.place_kind.value, thread.place_key)


def get_visible_place_or_404(user: Any, kind: str, key: str) -> Place:
    place = find_place(kind, key)
    if place is None or not place.visible_to(user):
        abort(404)
    return place


def get_visible_thread_or_404(user: Any, thread_id: int) -> tuple[Thread, Place]:
    """The thread and its place, for a reader who may see the place; anyone else finds nothing (404)."""
    thread = db.session.get(Thread, thread_id)
    place = place_of(thread) if thread is not None else None
    if thread is None or place is None or not place.visible_to(user):
        abort(404)
    return thread, place


def visible_threads(user: Any) -> sa.Select:
    """THE scoped query of threads: those at places `user` may see (nothing for the signed-out)."""
    if not signed_in(user):
        return sa.select(Thread).where(sa.false())
    items = sa.select(sa.cast(HubItem.id, sa.String)).where(hub_access.visibility(user))
    topics = sa.select(Topic.slug).where(Topic.is_active)
    groups = visible_groups(user).with_only_columns(Group.slug)
    return sa.select(Thread).where(sa.or_(
        sa.and_(Thread.place_kind == PlaceKind.TOPIC, Thread.place_key.in_(topics)),
        sa.and_(Thread.place_kind == PlaceKind.ITEM, Thread.place_key.in_(items)),
        sa.and_(Thread.place_kind == PlaceKind.GROUP, Thread.place_key.in_(groups))))


def group_spaces(user: Any) -> list[Group]:
    """The groups whose discussion space `user` may enter, by name (the discussions page lists them)."""
    return list(db.session.scalars(visible_groups(user).order_by(Group.name)))


def place_titles(threads: list[Thread], locale: str) -> dict[int, tuple[str, str]]:
    """thread id -> (its place's title, its place's thread list), in one query per kind for a page of threads."""
    wanted = {kind: {t.place_key for t in threads if t.place_kind == kind} for kind in PLACES}
    rows = {kind: PLACES[kind].rows(keys) if keys else {} for kind, keys in wanted.items()}
    titles = {}
    for thread in threads:
        row = rows[thread.place_kind].get(thread.place_key)
        if row is not None:
            titles[thread.id] = (PLACES[thread.place_kind].title(row, locale),
                                 url_for("hub.discussions.place", kind=thread.place_kind.value, key=thread.place_key))
    return titles


def may_moderate(user: Any) -> bool:
    """Coordinators and admins, the hub's editors, moderate discussions."""
    return hub_access.may_edit(user)
