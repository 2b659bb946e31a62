"""THE scoped queries of groups, and the group as a scope of need-to-know for the features above.

- A regional coordinator is a coordinator account that coordinates one or more region groups: it sees (and
  triages) only the requests of the organisations placed in those regions. `scoped_organisations` is the one
  rule; `requests.access` (and through it the triage queue, the request pages, the suggestions and the API) asks
  it. Admins and every other coordinator are global: no limit.
- A person belongs to a group directly (`GroupMember`) or through their organisation (`group_organisation`);
  `groups_of` is what the hub asks for TLP:AMBER items scoped to groups.
- Group pages: admins and global coordinators know every group; everyone else the groups they belong to
  (others: 404). A group's membership is managed by admins and the group's own coordinators.
"""
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context

from expertnet.accounts.models import Role
from expertnet.accounts.policy import is_staff
from expertnet.extensions import db
from expertnet.groups.models import Group, GroupKind, GroupMember, GroupRole, group_organisation


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def coordinated_regions(user: Any) -> sa.Select:
    """Ids of the region groups `user` coordinates."""
    return (sa.select(GroupMember.group_id).join(Group, Group.id == GroupMember.group_id)
            .where(GroupMember.user_id == user.id, GroupMember.role == GroupRole.GROUP_COORDINATOR,
                   Group.kind == GroupKind.REGION))


def is_regional_coordinator(user: Any) -> bool:
    """A coordinator account limited to the regions it coordinates. Asked once per request (a page asks for its
    queue counts, rows and each request's parts): a change of membership applies from the next request on."""
    if not _active(user) or getattr(user, "role", None) != Role.COORDINATOR:
        return False
    known: dict[int, bool] = g.setdefault("regional_coordinators", {}) if has_app_context() else {}
    if user.id not in known:
        known[user.id] = bool(db.session.scalar(sa.select(coordinated_regions(user).exists())))
    return known[user.id]


def scoped_organisations(user: Any) -> sa.Select | None:
    """Ids of the organisations whose requests a staff user may see, or None when the user has no such limit
    (admins, global coordinators)."""
    if not is_regional_coordinator(user):
        return None
    return (sa.select(group_organisation.c.organisation_id)
            .where(group_organisation.c.group_id.in_(coordinated_regions(user))))


def in_scope(user: Any, organisation_id: int | None) -> bool:
    """Whether an organisation's business lies within a staff user's scope."""
    scope = scoped_organisations(user)
    if scope is None:
        return True
    return organisation_id is not None and organisation_id in set(db.session.scalars(scope))


def groups_of(user: Any) -> sa.Select:
    """Ids of the groups `user` belongs to, in person or through their organisation."""
    if not _active(user):
        return sa.select(Group.id).where(sa.false())
    in_person = Group.id.in_(sa.select(GroupMember.group_id).where(GroupMember.user_id == user.id))
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return sa.select(Group.id).where(in_person)
    through_organisation = Group.id.in_(sa.select(group_organisation.c.group_id)
                                        .where(group_organisation.c.organisation_id == organisation_id))
    return sa.select(Group.id).where(sa.or_(in_person, through_organisation))


def sees_every_group(user: Any) -> bool:
    return _active(user) and is_staff(user) and not is_regional_coordinator(user)


def visible_groups(user: Any) -> sa.Select:
    query = sa.select(Group)
    if not _active(user):
        return query.where(sa.false())
    if sees_every_group(user):
        return query
    return query.where(Group.id.in_(groups_of(user)))


def visible_group(user: Any, slug: str) -> Group | None:
    return db.session.scalar(visible_groups(user).where(Group.slug == slug))


def role_in(user: Any, group: Group) -> GroupRole | None:
    if not _active(user):
        return None
    return db.session.scalar(sa.select(GroupMember.role).where(GroupMember.group_id == group.id,
                                                               GroupMember.user_id == user.id))


def may_manage(user: Any, group: Group) -> bool:
    """Admins, and the group's own coordinators (while their account is active)."""
    if not _active(user):
        return False
    return user.role == Role.ADMIN or role_in(user, group) == GroupRole.GROUP_COORDINATOR


def may_create(user: Any) -> bool:
    return _active(user) and user.role == Role.ADMIN


def sizes_of(group_ids: list[int]) -> dict[int, tuple[int, int]]:
    """How many organisations and people each group holds, counted in two queries for a whole page."""
    def counted(table_column, group_column) -> dict[int, int]:
        return dict(db.session.execute(sa.select(group_column, sa.func.count(table_column))
                                       .where(group_column.in_(group_ids)).group_by(group_column)).all())
    organisations = counted(group_organisation.c.organisation_id, group_organisation.c.group_id)
    people = counted(GroupMember.user_id, GroupMember.group_id)
    return {i: (organisations.get(i, 0), people.get(i, 0)) for i in group_ids}
