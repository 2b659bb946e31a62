"""The notification list of every signed-in user, and the admin outbox page: messages that failed or wait for
a retry, with their error and "retry now"; in development also every message in full, to follow its links."""
import re

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from expertnet.accounts.models import Role
from expertnet.accounts.policy import found_or_404, roles_required
from expertnet.actions import action
from expertnet.extensions import db
from expertnet.notifications import bp
from expertnet.notifications.access import own_notification, own_notifications
from expertnet.notifications.models import Notification, OutboxMessage, OutboxStatus
from expertnet.notifications.services import mark_all_read, mark_read, retry_now, unread_count
from expertnet.web_input import paginate

admin_only = roles_required(Role.ADMIN)
# Backends that deliver nowhere but this machine: there the outbox page shows every message in full.
PREVIEW_BACKENDS = frozenset({"log", "memory"})
URL = re.compile(r"https?://[^\s<>\"']+")


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
    notification = found_or_404(own_notification(current_user, notification_id))
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


# ------------------------------------------------------------------ the admin outbox
def mail_preview() -> bool:
    return current_app.config["MAIL_BACKEND"] in PREVIEW_BACKENDS


def _needs_attention():
    """Given up, or queued again after at least one failed attempt."""
    return sa.or_(OutboxMessage.status == OutboxStatus.FAILED,
                  sa.and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.attempts > 0))


@bp.get("/admin/outbox")
@admin_only
def outbox():
    show_all = mail_preview() and request.args.get("show") == "all"
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if not show_all:
        query = query.where(_needs_attention())
    return render_template("notifications/outbox.html", page=paginate(query, per_page=25), show_all=show_all,
                           preview=mail_preview())


def linkify(text: str) -> Markup:
    """Plain mail text, escaped, with its web addresses as links; the site's own open here (any host or port)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    parts, last = [], 0
    for found in URL.finditer(text):
        address = found.group(0)
        href = (address[len(base):] or "/") if address.startswith(base) else address
        parts += [escape(text[last:found.start()]), Markup('<a href="{}" dir="ltr">{}</a>').format(href, address)]
        last = found.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


@bp.get("/admin/outbox/<int:message_id>")
@admin_only
def message_detail(message_id: int):
    """One message in full, with working links: development only (in production the body stays private)."""
    shown = found_or_404(db.session.get(OutboxMessage, message_id), visible=mail_preview())
    return render_template("notifications/message.html", message=shown, body=linkify(shown.text_body))


@bp.post("/admin/outbox/<int:message_id>/retry")
@admin_only
@action
def retry(message_id: int):
    message = found_or_404(db.session.get(OutboxMessage, message_id))
    if message.status == OutboxStatus.SENT:
        flash(_("This message has been sent already."), "info")
        return redirect(url_for("notifications.outbox"))
    retry_now(message, current_user._get_current_object())
    flash(_("The message is queued for delivery now."), "success")
    return redirect(url_for("notifications.outbox"))
