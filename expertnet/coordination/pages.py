"""What the desk's page modules (views, engagement_views, report_views) share, so none imports another:
who is acting, in which language."""
from flask_babel import get_locale
from flask_login import current_user

from expertnet.accounts.models import User


def actor() -> User:
    return current_user._get_current_object()


def locale() -> str:
    return str(get_locale())
