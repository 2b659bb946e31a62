"""Who may do what: route decorators and object checks, used by every feature.

Policy: an object outside the user's need-to-know is reported as missing (404), never as forbidden,
so its existence is not revealed. A 403 is only for things the user can see but may not change.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from expertnet.accounts.models import Role

STAFF = (Role.COORDINATOR, Role.ADMIN)


def roles_required(*roles: Role):
    """Route decorator: signed in, and holding one of `roles` (otherwise 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_staff(user) -> bool:
    return user.is_authenticated and user.role in STAFF


def found_or_404(obj, visible: bool = True):
    """Return obj when it exists and the user may know of it; otherwise the same 404 either way."""
    if obj is None or not visible:
        abort(404)
    return obj


def may_invite(inviter, role: Role) -> bool:
    """Admins invite anyone; coordinators invite members (agencies) and fellow coordinators, never admins."""
    if inviter.role == Role.ADMIN:
        return True
    return inviter.role == Role.COORDINATOR and role in (Role.MEMBER, Role.COORDINATOR)
