"""send_mail: the one seam for e-mail. Messages are queued in the action's transaction, delivered after commit."""
import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

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
    email["Date"] = formatdate(localtime=False)
    # Stable per outbox row, so a retried message is recognisably the same one to receiving servers.
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=_sender_domain())
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


def _sender_domain() -> str:
    address = parseaddr(current_app.config["MAIL_SENDER"])[1]
    return address.rpartition("@")[2] or "expertnet.invalid"


def _smtp_connection(config) -> smtplib.SMTP:
    """An open, authenticated SMTP connection as configured: implicit TLS, STARTTLS or plain (loopback relays)."""
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
    if config["SMTP_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if config["SMTP_STARTTLS"] and not config["SMTP_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


class _Transport:
    """Delivers a batch: one SMTP connection opened on first use and reused, reopened after a failure."""

    def __init__(self):
        self.config = current_app.config
        self._smtp = None

    def send(self, email: EmailMessage) -> None:
        backend = self.config["MAIL_BACKEND"]
        if backend == "log":
            log.info("mail to %s: %s\n%s", email["To"], email["Subject"], email.get_body(("plain",)).get_content())
        elif backend == "memory":
            current_app.extensions.setdefault("sent_mail", []).append(email)
        elif backend == "smtp":
            self._send_smtp(email)
        else:
            raise RuntimeError(f"unknown MAIL_BACKEND {backend!r}")

    def _send_smtp(self, email: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = _smtp_connection(self.config)
        try:
            self._smtp.send_message(email)
        except BaseException:
            self.close()  # the connection state is unknown after an error: start afresh next time
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


def next_attempt_due(message: OutboxMessage) -> datetime:
    """Exponential backoff counted from queueing: attempt n+1 waits (2**n - 1) * MAIL_RETRY_BASE_SECONDS."""
    base = current_app.config["MAIL_RETRY_BASE_SECONDS"]
    return message.created_at + timedelta(seconds=base * (2 ** message.attempts - 1))


def deliver_queued(limit: int = 200, now: datetime | None = None) -> tuple[int, int]:
    """Try each queued message that is due once; commits per message so one failure loses nothing.

    A failed message stays queued (with its error) until MAX_ATTEMPTS, then is marked failed.
    Returns (sent, failed).
    """
    now = now or utcnow()
    ids = db.session.scalars(sa.select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.QUEUED)
                             .order_by(OutboxMessage.id).limit(limit)).all()
    sent = failed = 0
    transport = _Transport()
    try:
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id)
            if message is None or message.status != OutboxStatus.QUEUED or next_attempt_due(message) > now:
                continue
            if _attempt(message, transport):
                sent += 1
            else:
                failed += 1
            db.session.commit()
    finally:
        transport.close()
    return sent, failed


def _attempt(message: OutboxMessage, transport: _Transport) -> bool:
    message.attempts += 1
    try:
        transport.send(_as_email(message))
    except (OSError, smtplib.SMTPException) as exc:
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        # Every recipient refused is permanent: retrying would only repeat the refusal.
        if message.attempts >= MAX_ATTEMPTS or isinstance(exc, smtplib.SMTPRecipientsRefused):
            message.status = OutboxStatus.FAILED
        log.warning("mail %s to %s not sent (attempt %s): %s", message.id, message.recipient, message.attempts,
                    message.last_error)
        return False
    message.status, message.sent_at, message.last_error = OutboxStatus.SENT, utcnow(), ""
    return True


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
