"""The load-and-fault script's own parts, so its violation counts can be trusted: the SMTP server's
fault modes and delivery count, and the SQL invariants finding a corrupted state (PostgreSQL)."""
import smtplib
import socket
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from expertnet.accounts.models import Role
from expertnet.audit.services import record
from expertnet.extensions import db
from tests.conftest import POSTGRES_URL, make_user
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from load_and_fault import Database, sql_violations  # noqa: E402
from load_fault_infra import SmtpMode, SmtpServer  # noqa: E402


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def message(outbox_id: int) -> EmailMessage:
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = "a@example.org", "b@example.org", "test"
    email["Message-ID"] = f"<1.2.3.outbox-{outbox_id}@example.org>"
    email.set_content("body")
    return email


def send(port: int, email: EmailMessage, timeout: float = 5) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=timeout) as connection:
        connection.send_message(email)


def test_smtp_counts_each_outbox_row_received(smtp):
    send(smtp.port, message(7))
    send(smtp.port, message(7))
    send(smtp.port, message(8))
    assert smtp.mailbox.deliveries == {7: 2, 8: 1}


def test_smtp_refusing_is_a_temporary_refusal(smtp):
    smtp.mailbox.mode = SmtpMode.REFUSE
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        send(smtp.port, message(1))
    assert refused.value.smtp_code == 451
    assert not smtp.mailbox.deliveries


def test_smtp_hanging_never_greets_until_the_mode_changes(smtp):
    smtp.mailbox.mode = SmtpMode.HANG
    with pytest.raises((socket.timeout, smtplib.SMTPServerDisconnected)):
        send(smtp.port, message(1), timeout=1)
    smtp.mailbox.mode = SmtpMode.ACCEPT
    send(smtp.port, message(2))
    assert smtp.mailbox.hung == 1 and smtp.mailbox.deliveries == {2: 1}


@pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")
def test_invariants_are_zero_on_a_sound_state_and_count_corruption(app):
    coordinator = make_user(Role.COORDINATOR)
    profile = make_expert()
    engagement = accept(invite(coordinator, make_assistance_request(coordinator=coordinator), profile))
    database = Database(POSTGRES_URL.replace("+psycopg", ""))
    assert set(sql_violations(database).values()) == {0}

    profile.commitments = 0  # released by hand while the engagement is still open
    record("engagement.withdrawn", coordinator, engagement)
    record("engagement.withdrawn", coordinator, engagement)  # one engagement ended twice
    db.session.commit()

    found = {name: count for name, count in sql_violations(database).items() if count}
    assert found == {"experts whose commitments != pending invitations + open engagements": 1,
                     "engagements closed or withdrawn more than once (audit)": 1}
