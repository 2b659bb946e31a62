"""One bad message never blocks the others: header values are cleaned, any failure is recorded on its message
and retried; a hanging relay times out; a worker that dies mid-send leaves a claim that expires."""
import socket
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.notifications.services import MAX_ATTEMPTS, claim_due, clean_header, deliver_queued
from tests.conftest import make_user
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert

INJECTED_NAME = "Eve\r\nBcc: x@example.org"


def parsed(envelope):
    return message_from_bytes(envelope.content, policy=policy.default)


def outbox_row(**fields) -> OutboxMessage:
    """A row written as an older release (or a bug) might have left it: straight into the table."""
    message = OutboxMessage(**{"recipient": "someone@example.org", "subject": "Hello", "text_body": "Text",
                               "kind": "test", **fields})
    db.session.add(message)
    db.session.commit()
    return message


def test_clean_header_folds_control_characters_and_line_separators():
    assert clean_header("Eve\r\nBcc: x@example.org") == "Eve Bcc: x@example.org"
    assert clean_header("a\tb\x00c\x85d\u2028e\u2029f\x1bg") == "a b c d e f g"
    assert len(clean_header("x" * 1000)) == 300


def test_a_display_name_with_crlf_cannot_inject_a_header_and_later_mail_still_goes(app, client, smtp_server):
    coordinator = make_user(Role.COORDINATOR)
    eve = make_expert(user=make_user(Role.EXPERT, full_name=INJECTED_NAME))
    accept(invite(coordinator, make_assistance_request(coordinator=coordinator), eve))  # mails the coordinator
    resetting = make_user(Role.MEMBER)
    client.post("/password/forgot", data={"email": resetting.email})
    deliver_queued()

    by_recipient = {tuple(e.rcpt_tos): parsed(e) for e in smtp_server.inbox.envelopes}
    expected = {(coordinator.email,), (eve.user.email,), (resetting.email,)}  # Eve's invitation, the reset
    assert set(by_recipient) == expected and len(smtp_server.inbox.envelopes) == 3, "no Bcc recipient"
    accepted = by_recipient[(coordinator.email,)]
    assert accepted["Bcc"] is None
    assert accepted["Subject"].startswith("Eve Bcc: x@example.org accepted")
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status != OutboxStatus.SENT)) == 0


def test_a_dirty_subject_queued_before_the_fix_is_cleaned_when_the_mail_is_built(app, smtp_server, runner):
    outbox_row(subject=f"{INJECTED_NAME} accepted", recipient="coordinator@example.org")
    outbox_row(subject="Reset your password", recipient="reset@example.org")
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and "2 sent, 0 failed" in result.output
    first = parsed(smtp_server.inbox.envelopes[0])
    assert first["Subject"] == "Eve Bcc: x@example.org accepted" and first["Bcc"] is None
    assert [e.rcpt_tos for e in smtp_server.inbox.envelopes] == [["coordinator@example.org"], ["reset@example.org"]]


def test_a_message_that_raises_is_recorded_and_the_others_are_delivered(app, smtp_server, runner):
    broken = outbox_row(recipient="x@example.org\r\nBcc: y@example.org")  # building it raises ValueError
    fine = outbox_row(recipient="fine@example.org")
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 1 failed" in result.output
    assert [e.rcpt_tos for e in smtp_server.inbox.envelopes] == [["fine@example.org"]]
    db.session.expire_all()
    assert fine.status == OutboxStatus.SENT
    assert broken.status == OutboxStatus.QUEUED and broken.attempts == 1 and broken.last_error
    assert broken.next_attempt_at > utcnow()


def test_a_recipient_the_relay_refuses_fails_at_once_and_the_batch_goes_on(app, smtp_server):
    smtp_server.inbox.refused.add("gone@example.org")
    before, refused, after = (outbox_row(recipient=r) for r in ("a@example.org", "gone@example.org", "b@example.org"))
    assert deliver_queued() == (2, 1)
    assert [e.rcpt_tos for e in smtp_server.inbox.envelopes] == [["a@example.org"], ["b@example.org"]]
    db.session.expire_all()
    assert refused.status == OutboxStatus.FAILED and "No such user" in refused.last_error, "permanent: no retry"
    assert before.status == after.status == OutboxStatus.SENT


def test_a_relay_that_accepts_and_never_answers_times_out_and_the_mail_is_retried(app, smtp_server):
    app.config["SMTP_TIMEOUT"] = 0.5
    with socket.socket() as silent:  # connections complete in the kernel's backlog; nobody ever answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        app.config["SMTP_PORT"] = silent.getsockname()[1]
        first, second = outbox_row(recipient="first@example.org"), outbox_row(recipient="second@example.org")
        started = time.monotonic()
        assert deliver_queued() == (0, 1)
        assert time.monotonic() - started < 3, "one timeout, not one per message"
    db.session.expire_all()
    assert first.status == OutboxStatus.QUEUED and first.attempts == 1 and "timed out" in first.last_error
    assert second.attempts == 0 and second.claim_token is None, "released untried, not waiting on the same relay"

    app.config["SMTP_PORT"] = smtp_server.port
    assert deliver_queued(now=first.next_attempt_at) == (2, 0)
    assert sorted(e.rcpt_tos[0] for e in smtp_server.inbox.envelopes) == ["first@example.org", "second@example.org"]


def test_a_claim_takes_at_most_its_batch_and_never_a_claimed_message(app):
    messages = [outbox_row(recipient=f"p{n}@example.org") for n in range(5)]
    now = utcnow()
    first_token, first = claim_due(2, now)
    second_token, second = claim_due(10, now)
    assert first == [messages[0].id, messages[1].id]
    assert second == [m.id for m in messages[2:]] and first_token != second_token
    assert claim_due(10, now)[1] == []


def test_a_worker_killed_mid_send_leaves_a_claim_that_expires(app, smtp_server):
    message = outbox_row()
    now = utcnow()
    _token, ids = claim_due(10, now)  # the worker claimed, then died before sending
    assert ids == [message.id]
    assert deliver_queued(now=now + timedelta(seconds=app.config["MAIL_CLAIM_SECONDS"] - 1)) == (0, 0)
    assert deliver_queued(now=now + timedelta(seconds=app.config["MAIL_CLAIM_SECONDS"] + 1)) == (1, 0)
    assert len(smtp_server.inbox.envelopes) == 1


# ---- the admin outbox page
@pytest.fixture
def failed_and_retrying(app):
    failed = outbox_row(recipient="gone@example.org", status=OutboxStatus.FAILED, attempts=MAX_ATTEMPTS,
                        last_error="SMTPRecipientsRefused: 550 no such user")
    retrying = outbox_row(recipient="later@example.org", attempts=2, last_error="TimeoutError: timed out",
                          next_attempt_at=utcnow() + timedelta(minutes=5))
    sent = outbox_row(recipient="done@example.org", status=OutboxStatus.SENT, attempts=1)
    return failed, retrying, sent


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.COORDINATOR])
def test_only_admins_see_the_outbox(app, client, auth, failed_and_retrying, role):
    auth.login(make_user(role))
    assert client.get("/admin/outbox").status_code == 403
    assert client.post(f"/admin/outbox/{failed_and_retrying[0].id}/retry").status_code == 403
    assert db.session.get(OutboxMessage, failed_and_retrying[0].id).status == OutboxStatus.FAILED


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    assert client.get("/admin/outbox").status_code == 302


def test_admin_sees_failed_and_retrying_messages_with_their_errors(app, client, auth, failed_and_retrying):
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "gone@example.org" in page and "550 no such user" in page
    assert "later@example.org" in page and "TimeoutError: timed out" in page
    assert "done@example.org" not in page
    assert 'href="/admin/outbox"' in client.get("/").get_data(as_text=True), "linked from the admin navigation"
    assert "data-confirm" in page


def test_retry_now_queues_the_message_at_once_and_is_audited(app, client, auth, sent_mail, failed_and_retrying):
    failed = failed_and_retrying[0]
    admin = make_user(Role.ADMIN)
    auth.login(admin)
    response = client.post(f"/admin/outbox/{failed.id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    assert failed.status == OutboxStatus.SENT, "the retry was handed to the job engine (immediate in tests)"
    assert [m["To"] for m in sent_mail] == ["gone@example.org"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "outbox.retry"))
    assert event.actor_id == admin.id and event.object_id == failed.id


def test_retry_of_a_sent_or_unknown_message_is_refused_cleanly(app, client, auth, failed_and_retrying):
    auth.login(make_user(Role.ADMIN))
    sent = failed_and_retrying[2]
    assert client.post(f"/admin/outbox/{sent.id}/retry").status_code == 302
    assert client.post("/admin/outbox/999999/retry").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "outbox.retry")) == 0
