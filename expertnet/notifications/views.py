"""The notification list of every signed-in user: unread markers, opening one (it marks it read) and marking
all as read. The admin outbox is in admin/outbox_views.py."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from expertnet.actions import action
from expertnet.notifications import bp
from expertnet.notifications.access import own_notification, own_notifications
from expertnet.notifications.models import Notification
from expertnet.notifications.services import mark_all_read, mark_read, unread_count
from expertnet.web_input import paginate



# ------------------------------------------------------------------ the reader's notifications
@bp.app_template_global()
def unread_notifications() -> int:
    """The header badge's count: the signed-in reader's unread notifications."""
    return unread_count(current_user) if current_user.is_authenticated else 0


@bp.app_template_global()
def notification_url(notification: Notification) -> str | None:
    """The page the notification opens; None when that page no longer exists (the entry stays readable)."""
    try:
        return url_for(notification.endpoint, **notification.link_args)
    except BuildError:
        return None


@bp.get("/notifications")
@login_required
def inbox():
    page = paginate(own_notifications(current_user), per_page=20)
    return render_template("notifications/inbox.html", page=page, unread=unread_count(current_user))


@bp.post("/notifications/<int:notification_id>/open")
@login_required
@action
def open_notification(notification_id: int):
    notification = own_notification(current_user, notification_id)
    if notification is None:
        abort(404)  # another reader's, or none: the same answer
    mark_read(current_user, notification)
    return redirect(notification_url(notification) or url_for("notifications.inbox"))


@bp.post("/notifications/read")
@login_required
@action
def read_all():
    count = mark_all_read(current_user)
    flash(ngettext("%(num)d notification marked as read.", "%(num)d notifications marked as read.", count),
          "success")
    return redirect(url_for("notifications.inbox"))
