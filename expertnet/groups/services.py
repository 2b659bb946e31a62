"""The rules of groups: create one (admins), place organisations in it and take them out, add people as members
or group coordinators, change their role and remove them. The actor is passed in; every change is audited and
flushed, never committed (the action seam commits once)."""
import re
import unicodedata

import sqlalchemy as sa

from expertnet.accounts.models import Organisation, Role, User
from expertnet.audit.services import record
from expertnet.extensions import db
from expertnet.groups.access import may_create, may_manage
from expertnet.groups.messages import GroupError
from expertnet.groups.models import Group, GroupKind, GroupMember, GroupRole


def slug_of(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "group"


def create_group(actor, kind: GroupKind, name: str, description: str = "", slug: str | None = None) -> Group:
    if not may_create(actor):
        raise GroupError("not_allowed", http_status=403)
    slug = slug or slug_of(name)
    if db.session.scalar(sa.select(Group.id).where(sa.or_(Group.name == name, Group.slug == slug))) is not None:
        raise GroupError("name_taken")
    group = Group(kind=GroupKind(kind), name=name, slug=slug, description=description)
    db.session.add(group)
    db.session.flush()
    record("group.created", actor, group, name=name, kind=group.kind.value)
    return group


def _check(actor, group: Group) -> None:
    if not may_manage(actor, group):
        raise GroupError("not_allowed", http_status=403)


def add_organisation(actor, group: Group, organisation_id: int) -> Organisation:
    _check(actor, group)
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise GroupError("unknown")
    if organisation in group.organisations:
        raise GroupError("already_member", http_status=409)
    group.organisations.append(organisation)
    db.session.flush()
    record("group.organisation_added", actor, group, organisation_id=organisation.id)
    return organisation


def remove_organisation(actor, group: Group, organisation: Organisation) -> None:
    _check(actor, group)
    if organisation not in group.organisations:
        raise GroupError("not_member", http_status=409)
    group.organisations.remove(organisation)
    db.session.flush()
    record("group.organisation_removed", actor, group, organisation_id=organisation.id)


def add_person(actor, group: Group, user_id: int, role: GroupRole = GroupRole.MEMBER) -> GroupMember:
    _check(actor, group)
    user = db.session.get(User, user_id)
    if user is None:
        raise GroupError("unknown")
    if not user.is_active:
        raise GroupError("inactive")
    if db.session.get(GroupMember, (group.id, user.id)) is not None:
        raise GroupError("already_member", http_status=409)
    membership = GroupMember(group=group, user=user, role=GroupRole(role))
    db.session.add(membership)
    db.session.flush()
    record("group.person_added", actor, group, user_id=user.id, role=membership.role.value)
    return membership


def _coordinators(group: Group) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(GroupMember).where(
        GroupMember.group_id == group.id, GroupMember.role == GroupRole.GROUP_COORDINATOR)) or 0


def _leaves_no_coordinator(actor, membership: GroupMember) -> bool:
    """A group coordinator may not remove (or demote) the last coordinator: the group would lose its managers."""
    return (actor.role != Role.ADMIN and membership.role == GroupRole.GROUP_COORDINATOR
            and _coordinators(membership.group) <= 1)


def set_role(actor, group: Group, membership: GroupMember, role: GroupRole) -> GroupMember:
    _check(actor, group)
    role = GroupRole(role)
    if membership.role == role:
        return membership
    if role == GroupRole.MEMBER and _leaves_no_coordinator(actor, membership):
        raise GroupError("last_coordinator", http_status=409)
    membership.role = role
    db.session.flush()
    record("group.role_changed", actor, group, user_id=membership.user_id, role=role.value)
    return membership


def remove_person(actor, group: Group, membership: GroupMember) -> None:
    _check(actor, group)
    if _leaves_no_coordinator(actor, membership):
        raise GroupError("last_coordinator", http_status=409)
    user_id = membership.user_id
    db.session.delete(membership)
    db.session.flush()
    record("group.person_removed", actor, group, user_id=user_id)
