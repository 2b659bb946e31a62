"""Job engine fixtures: a real redis-server on a free loopback port, a real `flask jobs worker` process."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from tests.conftest import make_user
from tests.notifications.smtp_server import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = "/usr/bin/redis-server"


@pytest.fixture
def jobs_url(tmp_path):
    """The queue the app and its workers share: SqliteHuey in a temporary folder unless a module overrides it."""
    return f"sqlite:///{tmp_path / 'jobs.sqlite3'}"


@pytest.fixture
def app_config(app_config, jobs_url):
    return {**app_config, "JOBS_URL": jobs_url}


def ask_for_password_reset(client) -> OutboxMessage:
    """A page that queues mail; returns the queued message."""
    user = make_user(Role.MEMBER)
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 302
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == user.email))


def is_sent(message_id: int) -> bool:
    """Read afresh: the worker commits the outcome just after the SMTP server has the message."""
    db.session.rollback()
    return db.session.scalar(sa.select(OutboxMessage.status).where(OutboxMessage.id == message_id)) == \
        OutboxStatus.SENT


@pytest.fixture
def redis_url():
    """A throwaway redis-server (no persistence) on loopback; skipped only when the binary is absent."""
    if not os.path.exists(REDIS_SERVER):
        pytest.skip(f"{REDIS_SERVER} not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_until(lambda: redis.Redis.from_url(url).ping(), what="redis-server")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until(check, what: str, timeout: float = 90):  # generous: the worker imports the whole app
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not ready after {timeout} s")
        time.sleep(0.1)


@pytest.fixture
def start_worker(app, smtp_server, tmp_path):
    """Start `flask --app wsgi jobs worker` as its own process on the test's database, queue and SMTP server."""
    processes, logs = [], []

    def start(*options: str) -> subprocess.Popen:
        env = {**os.environ, "EXPERTNET_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
               "EXPERTNET_JOBS_URL": app.config["JOBS_URL"], "EXPERTNET_SECRET_KEY": app.config["SECRET_KEY"],
               "EXPERTNET_MAIL_BACKEND": "smtp", "EXPERTNET_SMTP_HOST": "127.0.0.1",
               "EXPERTNET_SMTP_PORT": str(smtp_server.port), "EXPERTNET_UPLOAD_FOLDER": str(tmp_path / "uploads"),
               "EXPERTNET_MATCHER_INDEX_PATH": str(tmp_path / "matcher-index")}
        flask = shutil.which("flask", path=os.path.dirname(sys.executable))
        logs.append(tmp_path / f"worker-{len(processes)}.log")
        with open(logs[-1], "w") as log:  # a file: a full pipe would stall it
            process = subprocess.Popen([flask, "--app", "wsgi", "jobs", "worker", *options], cwd=PROJECT_ROOT,
                                       env=env, stdout=log, stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.send_signal(signal.SIGINT)  # huey's graceful shutdown
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for log in logs:
        print(f"---- {log.name}\n{log.read_text()}")  # shown by pytest when the test failed
