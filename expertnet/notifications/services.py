"""send_mail: the one seam for e-mail. Messages are queued in the action's transaction, delivered after commit."""
import logging
import smtplib
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale

from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def send_mail(recipient: str, template: str, locale: str | None = None, dedupe_key: str | None = None,
              **context) -> OutboxMessage | None:
    """Queue the message rendered from notifications/templates/mail/<template>.{txt,html,subject.txt}.

    With a dedupe_key, a second message with the same key is not queued (idempotent reminders).
    """
    if dedupe_key and db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"])
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        text_body = render_template(f"mail/{template}.txt", **context)
        html_body = render_template(f"mail/{template}.html", **context)
    message = OutboxMessage(recipient=recipient, subject=subject, text_body=text_body, html_body=html_body,
                            kind=template, dedupe_key=dedupe_key)
    db.session.add(message)
    if has_request_context():
        g.setdefault("queued_mail", True)
    return message


def _as_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


def _transmit(email: EmailMessage) -> None:
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend == "log":
        log.info("mail to %s: %s\n%s", email["To"], email["Subject"], email.get_body(("plain",)).get_content())
    elif backend == "memory":
        current_app.extensions.setdefault("sent_mail", []).append(email)
    elif backend == "smtp":
        smtp_class = smtplib.SMTP_SSL if config["SMTP_SSL"] else smtplib.SMTP
        with smtp_class(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"]) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(email)
    else:
        raise RuntimeError(f"unknown MAIL_BACKEND {backend!r}")


def deliver_queued(limit: int = 200) -> tuple[int, int]:
    """Try every queued message once; commits per message so one failure loses nothing. Returns (sent, failed)."""
    ids = db.session.scalars(sa.select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.QUEUED)
                             .order_by(OutboxMessage.id).limit(limit)).all()
    sent = failed = 0
    for message_id in ids:
        message = db.session.get(OutboxMessage, message_id)
        message.attempts += 1
        try:
            _transmit(_as_email(message))
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            failed += 1
        else:
            message.status, message.sent_at, message.last_error = OutboxStatus.SENT, utcnow(), ""
            sent += 1
        db.session.commit()
    return sent, failed


def deliver_after_request(response):
    """Send what this request queued, once its transaction has committed (habit 1: mail after commit)."""
    if g.pop("queued_mail", False):
        db.session.rollback()  # anything uncommitted by now was abandoned by the view
        try:
            deliver_queued()
        except Exception:  # noqa: BLE001 - delivery must never break the page; the outbox keeps the message
            log.exception("mail delivery failed; messages stay queued")
            db.session.rollback()
    return response
