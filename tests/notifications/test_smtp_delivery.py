"""Real SMTP delivery through the outbox, against an aiosmtpd server on 127.0.0.1."""
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa

from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.notifications.services import MAX_ATTEMPTS, deliver_queued, retry_delay, send_mail
from tests.notifications.smtp_server import LoopbackSMTP


@pytest.fixture
def smtp_server(app):
    server = LoopbackSMTP()
    server.configure(app)
    yield server
    server.stop()


class _Profile:
    class user:  # noqa: N801 - a stand-in with the attributes the template reads
        full_name = "Rana Saleh"
    vetting_reason = ""


def queue(recipient="rana@example.org", locale="en", dedupe_key=None):
    message = send_mail(recipient, "vetting_decision", locale, dedupe_key=dedupe_key, profile=_Profile(), approved=True)
    db.session.commit()
    return message


def parsed(envelope):
    return message_from_bytes(envelope.content, policy=policy.default)


def test_mail_reaches_the_loopback_server_with_text_and_html_parts(app, smtp_server):
    smtp_server.start()
    message = queue()
    assert deliver_queued() == (1, 0)
    [envelope] = smtp_server.inbox.envelopes
    assert envelope.rcpt_tos == ["rana@example.org"]
    email = parsed(envelope)
    assert email["Subject"] == "Your expertnet application is approved"
    assert "Hello Rana Saleh" in email.get_body(("plain",)).get_content()
    assert "<p>" in email.get_body(("html",)).get_content()
    assert email["Message-ID"]
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.sent_at and message.attempts == 1


def test_mail_is_in_the_recipients_language(app, smtp_server):
    smtp_server.start()
    queue(locale="ar")
    deliver_queued()
    email = parsed(smtp_server.inbox.envelopes[0])
    assert 'dir="rtl"' in email.get_body(("html",)).get_content()


def test_server_down_keeps_the_mail_queued_and_a_retry_delivers_it(app, smtp_server):
    message = queue()
    assert deliver_queued() == (0, 1)  # nobody listens on the port yet
    db.session.refresh(message)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1
    assert message.last_error

    smtp_server.start()
    assert deliver_queued() == (0, 0), "the retry waits for its backoff"
    assert deliver_queued(now=utcnow() + retry_delay(1)) == (1, 0)
    db.session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.last_error == ""
    assert len(smtp_server.inbox.envelopes) == 1


def test_server_goes_down_between_messages_and_nothing_is_lost(app, smtp_server):
    smtp_server.start()
    queue("first@example.org")
    assert deliver_queued() == (1, 0)
    smtp_server.stop()
    second = queue("second@example.org")
    assert deliver_queued() == (0, 1)
    smtp_server.start()
    deliver_queued(now=utcnow() + timedelta(hours=1))
    assert [e.rcpt_tos for e in smtp_server.inbox.envelopes] == [["first@example.org"], ["second@example.org"]]
    db.session.refresh(second)
    assert second.status == OutboxStatus.SENT


def test_backs_off_exponentially_then_gives_up_after_the_maximum_attempts(app, smtp_server):
    app.config["MAIL_RETRY_BASE_SECONDS"] = 60
    message = queue()  # nobody listens on the port: every attempt fails
    moment = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver_queued(now=moment) == (0, 1)
        db.session.refresh(message)
        assert message.attempts == attempt and "ConnectionRefusedError" in message.last_error
        if attempt == MAX_ATTEMPTS:
            break
        assert message.status == OutboxStatus.QUEUED
        assert message.next_attempt_at == moment + timedelta(seconds=60 * 2 ** (attempt - 1))
        assert deliver_queued(now=message.next_attempt_at - timedelta(seconds=1)) == (0, 0), "not due yet"
        moment = message.next_attempt_at
    assert message.status == OutboxStatus.FAILED
    assert deliver_queued(now=moment + timedelta(days=365)) == (0, 0), "a failed message is not retried by itself"


def test_the_cron_command_delivers_the_queue(app, smtp_server, runner):
    queue()
    smtp_server.start()
    result = runner.invoke(args=["mail", "deliver"])
    assert "1 sent" in result.output
    assert len(smtp_server.inbox.envelopes) == 1


def test_the_cron_command_exits_0_when_messages_merely_failed(app, smtp_server, runner):
    queue()  # the relay is down
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "0 sent, 1 failed" in result.output


def test_a_dedupe_key_queues_once(app):
    assert queue(dedupe_key="k1") is not None
    assert queue(dedupe_key="k1") is None
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("password, delivered", [("s3cret-relay", True), ("wrong", False)])
def test_credentials_are_used_and_a_refused_login_keeps_the_mail(app, password, delivered):
    server = LoopbackSMTP(credentials=("expertnet", "s3cret-relay")).start()
    try:
        server.configure(app)
        app.config.update(SMTP_USERNAME="expertnet", SMTP_PASSWORD=password)
        message = queue()
        assert deliver_queued() == ((1, 0) if delivered else (0, 1))
        db.session.refresh(message)
        assert (message.status == OutboxStatus.SENT) is delivered
        assert len(server.inbox.envelopes) == (1 if delivered else 0)
        if not delivered:
            assert message.last_error and message.status == OutboxStatus.QUEUED
    finally:
        server.stop()
