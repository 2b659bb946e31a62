"""Several machines: the app and a real `flask jobs worker` share a RedisHuey queue on a real redis-server."""
import pytest

from tests.jobs.conftest import ask_for_password_reset, is_sent, wait_until


@pytest.fixture
def jobs_url(redis_url):
    return redis_url


def test_a_real_redis_huey_worker_delivers_mail_enqueued_by_a_page(app, client, smtp_server, start_worker):
    start_worker("--workers", "2", "--no-periodic")
    message = ask_for_password_reset(client)
    wait_until(lambda: is_sent(message.id), what="delivery by the worker")
    assert [e.rcpt_tos for e in smtp_server.inbox.envelopes] == [[message.recipient]]
