"""The groups feature's one table of refusals."""
from flask_babel import lazy_gettext as _l

from expertnet.service_errors import ServiceError


class GroupError(ServiceError):
    messages = {
        "not_allowed": _l("Only admins and the group's coordinators manage its members."),
        "already_member": _l("That organisation or person is already in the group."),
        "not_member": _l("That organisation or person is not in the group."),
        "unknown": _l("No such organisation or person."),
        "inactive": _l("That account is deactivated."),
        "name_taken": _l("A group with that name or address already exists."),
        "last_coordinator": _l("Only an admin can remove the group's last coordinator."),
    }
