"""The admin outbox page: messages that failed or wait for a retry, with their error, and "retry now"."""
import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from expertnet.accounts.models import Role
from expertnet.accounts.policy import found_or_404, roles_required
from expertnet.actions import action
from expertnet.extensions import db
from expertnet.notifications import bp
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.notifications.services import retry_now
from expertnet.web_input import paginate

admin_only = roles_required(Role.ADMIN)


def _needs_attention():
    """Given up, or queued again after at least one failed attempt."""
    return sa.or_(OutboxMessage.status == OutboxStatus.FAILED,
                  sa.and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.attempts > 0))


@bp.get("")
@admin_only
def outbox():
    query = sa.select(OutboxMessage).where(_needs_attention()).order_by(OutboxMessage.id.desc())
    return render_template("notifications/outbox.html", page=paginate(query, per_page=25))


@bp.post("/<int:message_id>/retry")
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
