"""Who may do what in the register: every signed-in user reads it; admins curate it; coordinators and admins
tag requests and experts with its substances."""
from expertnet.accounts.models import Role

TAGGERS = (Role.COORDINATOR, Role.ADMIN)


def may_curate(user) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def may_tag(user) -> bool:
    return user.is_authenticated and user.role in TAGGERS
