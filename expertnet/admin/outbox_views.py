"""The outbox for admins: messages that failed or wait for a retry, and in development (log or memory mail
backend) every message in full, with working links, so the demo's invitations can be followed."""
import re

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from expertnet.accounts.models import Role
from expertnet.accounts.policy import found_or_404, roles_required
from expertnet.actions import action
from expertnet.admin import bp
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.notifications.services import retry_now
from expertnet.web_input import paginate

admin_only = roles_required(Role.ADMIN)
# Backends that deliver nowhere but this machine: there the outbox page shows every message in full.
PREVIEW_BACKENDS = frozenset({"log", "memory"})
URL = re.compile(r"https?://[^\s<>\"']+")


def mail_preview() -> bool:
    return current_app.config["MAIL_BACKEND"] in PREVIEW_BACKENDS


def _needs_attention():
    """Given up, or queued again after at least one failed attempt."""
    return sa.or_(OutboxMessage.status == OutboxStatus.FAILED,
                  sa.and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.attempts > 0))


@bp.get("/outbox")
@admin_only
def outbox():
    show_all = mail_preview() and request.args.get("show") == "all"
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if not show_all:
        query = query.where(_needs_attention())
    return render_template("admin/outbox.html", page=paginate(query, per_page=25), show_all=show_all,
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


@bp.get("/outbox/<int:message_id>")
@admin_only
def message_detail(message_id: int):
    """One message in full, with working links: development only (in production the body stays private)."""
    shown = found_or_404(db.session.get(OutboxMessage, message_id), visible=mail_preview())
    return render_template("admin/outbox_message.html", message=shown, body=linkify(shown.text_body))


@bp.post("/outbox/<int:message_id>/retry")
@admin_only
@action
def retry(message_id: int):
    message = found_or_404(db.session.get(OutboxMessage, message_id))
    if message.status == OutboxStatus.SENT:
        flash(_("This message has been sent already."), "info")
        return redirect(url_for("admin.outbox"))
    retry_now(message, current_user._get_current_object())
    flash(_("The message is queued for delivery now."), "success")
    return redirect(url_for("admin.outbox"))
