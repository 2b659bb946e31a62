"""The job engine: web requests enqueue and never deliver; the queue being down never fails a page; a real
`flask jobs worker` (SqliteHuey in a temporary folder, RedisHuey on a real redis-server) delivers the mail;
the periodic tasks are scheduled and do their work."""
import logging
import socket
import time
from datetime import datetime, timedelta, timezone

import pytest
from huey import RedisHuey, SqliteHuey

from expertnet.accounts.models import Role
from expertnet.db import utcnow
from expertnet.engagements.models import Invitation, InvitationStatus
from expertnet.extensions import db
from expertnet.jobs.engine import build_huey
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.requests.models import RequestStatus
from tests.conftest import make_user
from tests.coordination.factories import aged_request
from tests.engagements.factories import invite, make_expert
from tests.jobs.conftest import ask_for_password_reset, is_sent, wait_until
from tests.notifications.smtp_server import free_port


def test_jobs_url_chooses_the_storage(tmp_path):
    assert isinstance(build_huey("", str(tmp_path)), SqliteHuey)
    assert (tmp_path / "jobs.sqlite3").exists(), "embedded mode keeps its file in the instance folder"
    assert isinstance(build_huey("redis://127.0.0.1:6379/0", str(tmp_path)), RedisHuey)
    assert build_huey("immediate", str(tmp_path)).immediate
    with pytest.raises(ValueError):
        build_huey("amqp://elsewhere", str(tmp_path))


def test_a_page_that_queues_mail_enqueues_a_task_and_never_talks_to_smtp(app, client, smtp_server):
    huey = app.extensions["jobs"].huey
    message = ask_for_password_reset(client)
    assert smtp_server.inbox.envelopes == []
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0
    assert huey.pending_count() == 1

    huey.execute(huey.dequeue())  # what a worker does, in its own app context
    assert [e.rcpt_tos for e in smtp_server.inbox.envelopes] == [[message.recipient]]
    db.session.expire_all()
    assert message.status == OutboxStatus.SENT


def test_a_hanging_relay_never_delays_a_page(app, client):
    app.config.update(MAIL_BACKEND="smtp", SMTP_TIMEOUT=5)
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        app.config["SMTP_PORT"] = silent.getsockname()[1]
        started = time.monotonic()
        message = ask_for_password_reset(client)
        assert time.monotonic() - started < 2, "the page waited on SMTP"
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0


@pytest.mark.parametrize("jobs_url", [f"redis://127.0.0.1:{free_port()}/0"])
def test_an_unreachable_queue_does_not_fail_the_page(app, client, caplog):
    with caplog.at_level(logging.WARNING, logger="expertnet.jobs.engine"):
        message = ask_for_password_reset(client)
    assert message.status == OutboxStatus.QUEUED, "kept for the periodic sweep"
    assert "could not enqueue mail delivery" in caplog.text


def test_a_real_sqlite_huey_worker_delivers_mail_enqueued_by_a_page(app, client, smtp_server, start_worker):
    worker = start_worker("--workers", "2", "--no-periodic")
    message = ask_for_password_reset(client)
    wait_until(lambda: is_sent(message.id), what="delivery by the worker")
    assert [e.rcpt_tos for e in smtp_server.inbox.envelopes] == [[message.recipient]]
    assert worker.poll() is None, "the worker keeps running"


def test_the_worker_refuses_immediate_mode(app, runner):
    app.extensions["jobs"].huey.immediate = True
    result = runner.invoke(args=["jobs", "worker"])
    assert result.exit_code != 0 and "immediate" in result.output


# ---- periodic tasks: scheduled at the right times, and doing the work of the cron commands
def periodic_names(app, at: datetime) -> set[str]:
    return {task.name for task in app.extensions["jobs"].huey.read_periodic(at)}


def test_periodic_schedule(app):
    assert periodic_names(app, datetime(2026, 12, 6, 10, 17, tzinfo=timezone.utc)) == {"sweep_mail", "sweep_webhooks"}
    assert periodic_names(app, datetime(2026, 12, 6, 10, 20, tzinfo=timezone.utc)) == {
        "sweep_mail", "sweep_webhooks", "event_reminders"}
    assert periodic_names(app, datetime(2026, 12, 6, 10, 5, tzinfo=timezone.utc)) == {
        "sweep_mail", "sweep_webhooks", "hourly_engagement_upkeep", "event_reminders"}
    assert periodic_names(app, datetime(2026, 12, 6, 6, 0, tzinfo=timezone.utc)) == {
        "sweep_mail", "sweep_webhooks", "send_sla_digest", "event_reminders"}
    assert periodic_names(app, datetime(2026, 12, 6, 2, 30, tzinfo=timezone.utc)) == {
        "sweep_mail", "sweep_webhooks", "event_reminders", "nightly_matcher_index"}


def run_periodic(app, name: str) -> None:
    """Execute a periodic task as the consumer's scheduler would (06:00 UTC and 06:05 cover all three)."""
    huey = app.extensions["jobs"].huey
    due = [*huey.read_periodic(datetime(2026, 12, 6, 6, 0, tzinfo=timezone.utc)),
           *huey.read_periodic(datetime(2026, 12, 6, 6, 5, tzinfo=timezone.utc))]
    huey.execute(next(task for task in due if task.name == name))
    db.session.expire_all()


def test_the_hourly_task_expires_invitations_and_mails_reminders(app, smtp_server):
    coordinator = make_user(Role.COORDINATOR)
    late, soon = make_expert(), make_expert()
    overdue = invite(coordinator, aged_request(50, RequestStatus.MATCHING, coordinator), late)
    overdue.respond_by = utcnow() - timedelta(hours=1)
    reminded = invite(coordinator, aged_request(50, RequestStatus.MATCHING, coordinator), soon)
    reminded.respond_by = utcnow() + timedelta(hours=20)
    db.session.commit()
    run_periodic(app, "hourly_engagement_upkeep")
    assert db.session.get(Invitation, overdue.id).status == InvitationStatus.EXPIRED
    reminders = [e for e in smtp_server.inbox.envelopes if e.rcpt_tos == [soon.user.email]]
    assert len(reminders) == 2, "the invitation and the reminder, both delivered by the task"


def test_the_daily_task_sends_the_sla_digest(app, smtp_server):
    lead = make_user(Role.COORDINATOR)
    aged_request(80, coordinator=lead, title="Overdue port request")
    smtp_server.inbox.envelopes.clear()
    run_periodic(app, "send_sla_digest")
    assert lead.email in [e.rcpt_tos[0] for e in smtp_server.inbox.envelopes]


def test_the_minutely_sweep_sends_what_was_never_enqueued(app, smtp_server):
    message = OutboxMessage(recipient="swept@example.org", subject="Hello", text_body="Text", kind="test")
    db.session.add(message)
    db.session.commit()
    run_periodic(app, "sweep_mail")
    assert [e.rcpt_tos for e in smtp_server.inbox.envelopes] == [["swept@example.org"]]
