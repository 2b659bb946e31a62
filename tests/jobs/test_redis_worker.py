"""Several machines: the app and a real `flask jobs worker` share a RedisHuey queue on a real redis-server."""
import pytest

from expertnet.extensions import db
from expertnet.notifications.models import OutboxStatus
from tests.jobs.conftest import ask_for_password_reset, wait_until


@pytest.fixture
def jobs_url(redis_url):
    return redis_url


def test_a_real_redis_huey_worker_delivers_mail_enqueued_by_a_page(app, client, smtp_server, start_worker):
    start_worker("--workers", "2", "--no-periodic")
    message = ask_for_password_reset(client)
    db.session.rollback()  # the worker writes to this database: hold no read transaction open
    wait_until(lambda: smtp_server.inbox.envelopes, what="delivery by the worker")
    assert [e.rcpt_tos for e in smtp_server.inbox.envelopes] == [[message.recipient]]
    db.session.expire_all()
    assert message.status == OutboxStatus.SENT
