"""The reader's own notifications: the one scoped query (another user's notification is a 404)."""
import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.notifications.models import Notification


def own_notifications(user) -> sa.Select:
    """The reader's notifications, newest first."""
    return (sa.select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def own_notification(user, notification_id: int) -> Notification | None:
    return db.session.scalar(sa.select(Notification).where(Notification.id == notification_id,
                                                           Notification.user_id == user.id))
