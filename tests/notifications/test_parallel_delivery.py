"""Two delivery workers at the same moment on real concurrent PostgreSQL connections: each of 40 messages
reaches the SMTP server exactly once (claims with FOR UPDATE SKIP LOCKED and a lease token)."""
import threading
from collections import Counter

import pytest

from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.notifications.services import deliver_queued
from tests.conftest import POSTGRES_URL
from tests.notifications.smtp_server import LoopbackSMTP

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")
MESSAGES = 40
WORKERS = 2


def deliver_in_own_transaction(app, barrier, results):
    """One worker: its own app context, session and database connection."""
    with app.app_context():
        barrier.wait()
        try:
            results.append(deliver_queued())
        finally:
            db.session.remove()


def test_two_workers_send_each_of_40_messages_exactly_once(app):
    server = LoopbackSMTP().start()
    try:
        server.configure(app)
        app.config["MAIL_BATCH_SIZE"] = 3  # many small claims, so the workers interleave
        recipients = [f"person{number}@example.org" for number in range(MESSAGES)]
        db.session.add_all(OutboxMessage(recipient=r, subject="Hello", text_body="Text", kind="test")
                           for r in recipients)
        db.session.commit()

        barrier, results = threading.Barrier(WORKERS), []
        threads = [threading.Thread(target=deliver_in_own_transaction, args=(app, barrier, results))
                   for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        delivered = Counter(envelope.rcpt_tos[0] for envelope in server.inbox.envelopes)
        assert delivered == Counter(recipients), "every message exactly once"
        assert sum(sent for sent, _failed in results) == MESSAGES
        db.session.expire_all()
        statuses = db.session.scalars(db.select(OutboxMessage.status)).all()
        assert statuses == [OutboxStatus.SENT] * MESSAGES
    finally:
        server.stop()
