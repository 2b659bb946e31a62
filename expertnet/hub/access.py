"""THE scoped queries of the hub: which items a user may know of. An item beyond a reader's label does not exist
for them (404 on its page and files, absent from lists, counts, facets and search results).

- anyone, signed in or not: published TLP:CLEAR items;
- every signed-in, active network user: published TLP:GREEN items too;
- TLP:AMBER: published items naming the reader's organisation, or a group the reader belongs to (in person or
  through their organisation), in their audience;
- editors (coordinators and admins): every item in every state; a regional coordinator (`groups.access`) only
  the TLP:AMBER items naming an organisation of their regions or a group of theirs, and only the lessons of their
  regions' requests;
- a lesson awaiting or past its agency's approval (not yet published): members of the organisation that owns its
  request, and nobody else (need-to-know; a draft still with the coordinators is theirs alone).
"""
from typing import Any

import sqlalchemy as sa
from flask import abort

from expertnet.accounts.models import Role
from expertnet.accounts.policy import is_staff
from expertnet.extensions import db
from expertnet.groups.access import groups_of, scoped_organisations
from expertnet.hub.models import HubItem, ItemStatus, Kind, hub_item_group, hub_item_organisation
from expertnet.requests.models import AssistanceRequest
from expertnet.sensitivity import Tlp


def may_edit(user: Any) -> bool:
    """The hub's editors: coordinators and admins."""
    return bool(getattr(user, "is_active", False)) and is_staff(user)


def _named_groups(user: Any) -> sa.ColumnElement[bool]:
    """Items whose audience names a group `user` belongs to."""
    return HubItem.id.in_(sa.select(hub_item_group.c.item_id).where(hub_item_group.c.group_id.in_(groups_of(user))))


def _named_organisations(organisations: Any) -> sa.ColumnElement[bool]:
    return HubItem.id.in_(sa.select(hub_item_organisation.c.item_id).where(
        hub_item_organisation.c.organisation_id.in_(organisations)))


def _regional_editor(user: Any, organisations: sa.Select) -> sa.ColumnElement[bool]:
    """A regional coordinator edits the hub like any coordinator, within their regions' need-to-know."""
    amber_in_scope = sa.or_(HubItem.tlp != Tlp.AMBER, _named_organisations(organisations), _named_groups(user))
    request_in_scope = sa.or_(HubItem.request_id.is_(None), HubItem.request_id.in_(
        sa.select(AssistanceRequest.id).where(AssistanceRequest.organisation_id.in_(organisations))))
    return sa.and_(amber_in_scope, request_in_scope)


def visibility(user: Any) -> sa.ColumnElement[bool]:
    """The WHERE clause of the items `user` may know of."""
    if may_edit(user):
        organisations = scoped_organisations(user)
        return sa.true() if organisations is None else _regional_editor(user, organisations)
    signed_in = bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))
    labels = [HubItem.tlp == Tlp.CLEAR]
    if signed_in:
        labels.append(HubItem.tlp == Tlp.GREEN)
        organisation_id = getattr(user, "organisation_id", None)
        named = _named_groups(user)
        if organisation_id is not None:
            named = sa.or_(named, _named_organisations([organisation_id]))
        labels.append(sa.and_(HubItem.tlp == Tlp.AMBER, named))
    published = sa.and_(HubItem.status == ItemStatus.PUBLISHED, sa.or_(*labels))
    organisation_id = getattr(user, "organisation_id", None)
    if not signed_in or organisation_id is None or getattr(user, "role", None) != Role.MEMBER:
        return published
    own_requests = sa.select(AssistanceRequest.id).where(AssistanceRequest.organisation_id == organisation_id)
    pending = sa.and_(HubItem.kind == Kind.LESSON,
                      HubItem.status.in_([ItemStatus.AWAITING_AGENCY, ItemStatus.APPROVED]),
                      HubItem.request_id.in_(own_requests))
    return sa.or_(published, pending)


def visible_items(user: Any) -> sa.Select:
    return sa.select(HubItem).where(visibility(user))


def visible_ids(user: Any, among: set[int] | None = None) -> set[int]:
    query = sa.select(HubItem.id).where(visibility(user))
    if among is not None:
        query = query.where(HubItem.id.in_(among))
    return set(db.session.scalars(query))


def get_visible_item_or_404(user: Any, item_id: int) -> HubItem:
    item = db.session.scalar(visible_items(user).where(HubItem.id == item_id))
    if item is None:
        abort(404)
    return item
