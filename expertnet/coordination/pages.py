"""What the desk's page modules (views, engagement_views, report_views) share, so none imports another:
who is acting, in which language, and how a coordinator's POST on one object is declared."""
from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
from flask_babel import get_locale
from flask_login import current_user

from expertnet.accounts.models import User
from expertnet.accounts.policy import STAFF, roles_required
from expertnet.actions import Refusal, action
from expertnet.coordination import bp
from expertnet.extensions import db


PREPARING_RELOAD_SECONDS = 5  # while the matcher's first index is built, ask again this much later


def staff_users() -> list[User]:
    """The active coordinators and admins (who may lead a request)."""
    return list(db.session.scalars(sa.select(User).where(User.role.in_(STAFF), User.is_active)
                                   .order_by(User.full_name)))


def actor() -> User:
    return current_user._get_current_object()


def locale() -> str:
    return str(get_locale())


def staff_step(rule: str, *, load: Callable, id_arg: str, refused: Refusal) -> Callable:
    """A coordinator's POST on one object (`rule`'s `id_arg`): staff only, through the action seam, the object
    loaded by `load` and handed to the view in place of its id."""
    def register(view: Callable) -> Callable:
        @wraps(view)
        def load_then_act(**view_args):
            return view(load(view_args.pop(id_arg)), **view_args)
        return bp.post(rule)(roles_required(*STAFF)(action(refused=refused)(load_then_act)))
    return register
