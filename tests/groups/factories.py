"""Factories for groups: `make_group(...)` with its organisations and people, `regional_coordinator(group)`."""
from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.groups.models import Group, GroupKind, GroupMember, GroupRole
from tests.conftest import make_user


def make_group(slug: str = "mena", kind: GroupKind = GroupKind.REGION, organisations=(), people=(),
               coordinators=(), name: str | None = None, description: str = "") -> Group:
    group = Group(kind=kind, slug=slug, name=name or slug.replace("-", " ").title(), description=description)
    group.organisations = list(organisations)
    group.people = ([GroupMember(user=u, role=GroupRole.MEMBER) for u in people]
                    + [GroupMember(user=u, role=GroupRole.GROUP_COORDINATOR) for u in coordinators])
    db.session.add(group)
    db.session.commit()
    return group


def regional_coordinator(*groups, **user_fields):
    """A coordinator account that coordinates `groups` (regions: it is then limited to them)."""
    user = make_user(Role.COORDINATOR, **user_fields)
    for group in groups:
        db.session.add(GroupMember(group_id=group.id, user_id=user.id, role=GroupRole.GROUP_COORDINATOR))
    db.session.commit()
    return user
