"""send_mail: the one seam for e-mail. Messages are queued in the action's transaction; a job delivers them.

Delivery claims rows before sending (a lease with a token), so several workers never send one message twice,
and records each message's outcome on its own: one bad message never holds up the others.
"""
import logging
import secrets
import smtplib
import ssl
import unicodedata
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import sqlalchemy as sa
from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale

from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.i18n import in_time_zone_of
from expertnet.notifications.models import Notification, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def send_mail(recipient: str, template: str, locale: str | None = None, dedupe_key: str | None = None,
              time_zone: str | None = None, **context) -> OutboxMessage | None:
    """Queue the message rendered from notifications/templates/mail/<template>.{txt,html,subject.txt}, in the
    recipient's language and time zone (the installation's default zone when they have none).

    With a dedupe_key, a second message with the same key is not queued (idempotent reminders).
    """
    if dedupe_key and db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]), in_time_zone_of(time_zone):
        context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"])
        subject = clean_header(render_template(f"mail/{template}.subject.txt", **context))
        text_body = render_template(f"mail/{template}.txt", **context)
        html_body = render_template(f"mail/{template}.html", **context)
    message = OutboxMessage(recipient=recipient, subject=subject, text_body=text_body, html_body=html_body,
                            kind=template, dedupe_key=dedupe_key)
    db.session.add(message)
    if has_request_context():
        g.setdefault("queued_mail", True)
    return message


class Link(NamedTuple):
    """The page a notification opens: an endpoint and its arguments, built into a URL when shown."""
    endpoint: str
    args: dict[str, Any]


def link(endpoint: str, **args: Any) -> Link:
    return Link(endpoint, args)


def notify(user, template: str, to: Link, facts: dict[str, Any] | None = None, dedupe_key: str | None = None,
           **context) -> OutboxMessage | None:
    """Tell a user of an event: the e-mail and its in-app twin, made in one place so they never diverge.

    `facts` is what the notification may show (what the mail's subject shows: a reference, a name, a status;
    never case text); `to` is the page it opens, which checks the reader's access again. A mail skipped as a
    duplicate (dedupe_key) makes no notification either.
    """
    message = send_mail(user.email, template, user.locale, dedupe_key=dedupe_key, time_zone=user.time_zone, **context)
    if message is not None:
        db.session.add(Notification(user_id=user.id, kind=template, facts=facts or {}, endpoint=to.endpoint,
                                    link_args=to.args))
    return message


def unread_count(user) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id))
                             .where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(user, notification: Notification) -> None:
    """Mark the reader's own notification read (a repeat keeps the first time); callers loaded it scoped."""
    if notification.user_id != user.id:
        raise PermissionError("not the reader's notification")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user) -> int:
    """Every unread notification of the reader is read now; returns how many were."""
    result = db.session.execute(sa.update(Notification)
                                .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                                .values(read_at=utcnow()), execution_options={"synchronize_session": False})
    return int(result.rowcount or 0)  # type: ignore[attr-defined]  # an UPDATE's result has a rowcount


HEADER_MAX_LENGTH = OutboxMessage.subject.type.length  # the subject column's size
# Characters that end a line somewhere (str.splitlines, mail parsers) besides the C0/C1 controls.
_LINE_SEPARATORS = {"Zl", "Zp"}


def clean_header(value: str) -> str:
    """Header text on one line: control characters and line separators (CR, LF, ...) folded to single
    spaces, so text a user wrote (a display name in a subject) can never start a header of its own."""
    folded = "".join(" " if unicodedata.category(char) in {"Cc", *_LINE_SEPARATORS} else char for char in value)
    return " ".join(folded.split())[:HEADER_MAX_LENGTH]


def _recipient(address: str) -> str:
    """The one address a message goes to; anything else (a list, an injected header) raises."""
    return Address(addr_spec=address).addr_spec


def _as_email(message: OutboxMessage) -> EmailMessage:
    """The e-mail for an outbox row; headers are cleaned again, for rows queued before clean_header existed."""
    email = EmailMessage()
    email["From"] = clean_header(current_app.config["MAIL_SENDER"])
    email["To"] = _recipient(message.recipient)
    email["Subject"] = clean_header(message.subject)
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
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
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
        if backend == "log":  # development: the whole message, readable, its links ready to open
            log.info("mail delivered (log backend; also at /admin/outbox?show=all)\n%s\nTo: %s\nSubject: %s\n\n%s%s",
                     "-" * 72, email["To"], email["Subject"],
                     email.get_body(("plain",)).get_content(),  # type: ignore[union-attr]  # _as_email sets a plain part
                     "-" * 72)
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


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: after failed attempt n the next waits 2**(n-1) * MAIL_RETRY_BASE_SECONDS."""
    return timedelta(seconds=current_app.config["MAIL_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0))


def _claimable(now: datetime):
    return sa.and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now,
                   sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))


def claim_due(limit: int, now: datetime) -> tuple[str, list[int]]:
    """Claim up to `limit` due messages for this worker and commit the claim; returns (token, ids)."""
    db.session.commit()  # a claim must start its own transaction (SQLite takes the write lock at once)
    token = secrets.token_hex(16)
    due = sa.select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        # Rows another worker is claiming right now are passed over, not waited for. (Not as a subquery of
        # the UPDATE: PostgreSQL may run that once per row and so claim more than `limit`.)
        chosen = OutboxMessage.id.in_(db.session.scalars(due.with_for_update(skip_locked=True)).all())
    else:
        chosen = OutboxMessage.id.in_(due)  # SQLite runs one write statement at a time: this one is atomic
    lease_end = now + timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    claimed = db.session.scalars(
        sa.update(OutboxMessage).where(chosen, _claimable(now))
        .values(claim_token=token, claimed_until=lease_end)
        .returning(OutboxMessage.id), execution_options={"synchronize_session": False}).all()
    db.session.commit()
    return token, sorted(claimed)


def deliver_queued(limit: int = 200, now: datetime | None = None) -> tuple[int, int]:
    """Deliver due messages, claimed in batches, until none is due or `limit` were tried; returns (sent, failed).

    A failed message is retried with back-off until MAX_ATTEMPTS, then marked failed (the admin outbox page).
    """
    now = now or utcnow()
    sent = failed = 0
    while sent + failed < limit:
        token, ids = claim_due(min(current_app.config["MAIL_BATCH_SIZE"], limit - sent - failed), now)
        if not ids:
            break
        batch_sent, batch_failed, relay_down = _deliver_claimed(token, ids, now)
        sent, failed = sent + batch_sent, failed + batch_failed
        if relay_down:
            break
    return sent, failed


def _deliver_claimed(token: str, ids: list[int], now: datetime) -> tuple[int, int, bool]:
    """Send the claimed messages over one connection, committing each outcome; returns (sent, failed, relay_down).

    When the relay itself fails (refused, timed out, hung up) the rest of the batch is released untried: they
    would only wait for the same timeout, one after another.
    """
    sent = failed = 0
    transport = _Transport()
    try:
        for position, message_id in enumerate(ids):
            message = db.session.get_one(OutboxMessage, message_id)  # claimed by this token, so it is there
            error = _attempt(message, transport)
            _record_outcome(message, token, error, now)
            db.session.commit()
            if error is None:
                sent += 1
                continue
            failed += 1
            if _relay_unavailable(error):
                _release(token, ids[position + 1:])
                return sent, failed, True
    finally:
        transport.close()
    return sent, failed, False


def _attempt(message: OutboxMessage, transport: _Transport) -> Exception | None:
    """Build and send one message; any exception is this message's failure, never the batch's."""
    try:
        transport.send(_as_email(message))
    except Exception as exc:  # noqa: BLE001 - recorded on the message; the other messages go on
        log.warning("mail %s to %s not sent (attempt %s): %s: %s", message.id, message.recipient,
                    message.attempts + 1, type(exc).__name__, exc)
        return exc
    return None


def _relay_unavailable(error: Exception) -> bool:
    """A failure of the relay itself (refused, hung, hung up, refused our login), not one about this message."""
    about_this_message = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
    return isinstance(error, OSError) and not isinstance(error, about_this_message)


def _record_outcome(message: OutboxMessage, token: str, error: Exception | None, now: datetime) -> None:
    """Write the result, but only while the claim is still ours: after an expired lease another worker owns it."""
    attempts = message.attempts + 1
    if error is None:
        outcome = {"status": OutboxStatus.SENT, "sent_at": utcnow(), "last_error": ""}
    else:
        # Every recipient refused is permanent: retrying would only repeat the refusal.
        given_up = attempts >= MAX_ATTEMPTS or isinstance(error, smtplib.SMTPRecipientsRefused)
        outcome = {"status": OutboxStatus.FAILED if given_up else OutboxStatus.QUEUED,
                   "last_error": f"{type(error).__name__}: {error}"[:2000],
                   "next_attempt_at": now + retry_delay(attempts)}
    db.session.execute(sa.update(OutboxMessage)
                       .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == token)
                       .values(attempts=attempts, claim_token=None, claimed_until=None, **outcome),
                       execution_options={"synchronize_session": False})
    db.session.expire(message)


def _release(token: str, ids: list[int]) -> None:
    db.session.execute(sa.update(OutboxMessage)
                       .where(OutboxMessage.id.in_(ids), OutboxMessage.claim_token == token)
                       .values(claim_token=None, claimed_until=None),
                       execution_options={"synchronize_session": False})
    db.session.commit()


def retry_now(message: OutboxMessage, actor) -> None:
    """An admin's "retry now": the message is due at once, with a fresh round of attempts.

    A live claim is left alone: the worker holding it may be sending the message at this moment.
    """
    message.status, message.attempts, message.next_attempt_at = OutboxStatus.QUEUED, 0, utcnow()
    record("outbox.retry", actor, message, recipient=message.recipient, kind=message.kind)
    db.session.flush()
    if has_request_context():
        g.queued_mail = True


def enqueue_delivery_after_request(response):
    """Hand what this request queued to the job engine once the view has committed; never sends itself.

    The web request must not wait on SMTP; if the queue is unreachable the periodic sweep finds the mail.
    """
    if g.pop("queued_mail", False):
        db.session.rollback()  # anything uncommitted by now was abandoned by the view
        current_app.extensions["jobs"].enqueue_mail_delivery()
    return response
