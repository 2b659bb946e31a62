"""Names of the groups vocabulary in the reader's language."""
from flask_babel import lazy_gettext as _l

from expertnet.groups.models import GroupKind, GroupRole

KIND_LABELS = {GroupKind.REGION: _l("Regional network"), GroupKind.WORKING_GROUP: _l("Working group")}
ROLE_LABELS = {GroupRole.MEMBER: _l("Member"), GroupRole.GROUP_COORDINATOR: _l("Group coordinator")}


def kind_label(kind) -> str:
    return str(KIND_LABELS.get(GroupKind(kind), kind))


def group_role_label(role) -> str:
    return str(ROLE_LABELS.get(GroupRole(role), role))
