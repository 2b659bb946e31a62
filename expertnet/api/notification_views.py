"""`/api/v1/notifications`: the caller's in-app notifications, for every role (issue 16, item 3). The same scoped
query and services as the `/notifications` page: another user's notification is a 404."""
from flask import abort

from expertnet.api import bp
from expertnet.api.conventions import SelectPage, caller, documented_errors, operation
from expertnet.api.schemas import MarkedOut, NotificationListArgs, NotificationOut
from expertnet.notifications.access import own_notification, own_notifications
from expertnet.notifications.models import Notification
from expertnet.notifications.services import mark_all_read, mark_read


@bp.route("/notifications", methods=["GET"])
@bp.arguments(NotificationListArgs, location="query", as_kwargs=True)
@bp.response(200, NotificationOut(many=True))
@bp.paginate(SelectPage)
@documented_errors(bp)
def list_notifications(unread=None):
    """The caller's notifications, newest first (`unread=true` for the unread ones only)."""
    query = own_notifications(caller())
    if unread is not None:
        query = query.where(Notification.read_at.is_(None) if unread else Notification.read_at.is_not(None))
    return query


@operation(bp, "/notifications/<int:notification_id>/read", "POST", NotificationOut)
def read_notification(notification_id: int):
    """Mark one notification read (a repeat keeps the first time)."""
    notification = own_notification(caller(), notification_id)
    if notification is None:
        abort(404)
    mark_read(caller(), notification)
    return notification


@operation(bp, "/notifications/read", "POST", MarkedOut)
def read_all_notifications():
    """Mark every unread notification of the caller read."""
    return {"marked": mark_all_read(caller())}
