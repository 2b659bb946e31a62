"""The Huey instance built from the app's configuration, with expertnet's tasks registered on it."""
import functools
import logging
from pathlib import Path

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from redis import ConnectionPool

from expertnet.jobs import tasks

log = logging.getLogger(__name__)
QUEUE_NAME = "expertnet"
# Redis must answer quickly: an enqueue happens at the end of a web request. The socket timeout stays above
# the consumer's 1 s blocking read.
REDIS_CONNECT_TIMEOUT = 2
REDIS_SOCKET_TIMEOUT = 10


def build_huey(url: str, instance_path: str) -> Huey:
    """JOBS_URL: "" (SQLite file in the instance folder), sqlite:///path, redis://host:port/db, or immediate."""
    if url == "immediate":
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        pool = ConnectionPool.from_url(url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT,
                                       socket_timeout=REDIS_SOCKET_TIMEOUT)
        return RedisHuey(QUEUE_NAME, connection_pool=pool, results=False)
    if not url or url.startswith("sqlite:///"):
        filename = url.removeprefix("sqlite:///") or str(Path(instance_path) / "jobs.sqlite3")
        return SqliteHuey(QUEUE_NAME, filename=filename, results=False)
    raise ValueError(f"JOBS_URL {url!r}: expected sqlite:///<path>, redis://<host>:<port>/<db> or immediate")


def _in_app_context(app: Flask, func):
    """A task body run inside its own app context (its own database session), in a consumer thread or,
    in immediate mode, nested in the request that enqueued it."""

    @functools.wraps(func)  # keeps the name Huey registers the task under
    def run():
        with app.app_context():
            return func()

    return run


def _enqueue(task, what: str) -> bool:
    """Queue `task`; never fails the caller: any queue failure (Redis down, SQLite locked) is only a delay."""
    try:
        task()
    except Exception:  # noqa: BLE001 - see the docstring
        log.warning("could not enqueue %s", what, exc_info=True)
        return False
    return True


class JobEngine:
    """The app's job queue: `enqueue_mail_delivery()` for web requests, `consumer()` for the worker command."""

    def __init__(self, app: Flask):
        self.huey = build_huey(app.config["JOBS_URL"], app.instance_path)
        self._deliver_mail = self.huey.task()(_in_app_context(app, tasks.deliver_mail))
        self._build_index = self.huey.task()(_in_app_context(app, tasks.build_matcher_index))
        self._deliver_webhooks = self.huey.task()(_in_app_context(app, tasks.deliver_webhooks))
        self._build_hub_index = self.huey.task()(_in_app_context(app, tasks.build_hub_index))
        for schedule, func in tasks.PERIODIC_TASKS:
            self.huey.periodic_task(schedule)(_in_app_context(app, func))

    def enqueue_mail_delivery(self) -> bool:
        """Cheap, and never fails the caller: when the queue is down the periodic sweep sends the mail."""
        return _enqueue(self._deliver_mail, "mail delivery; the periodic sweep will send it")

    def enqueue_index_build(self) -> bool:
        """Ask for a matcher index build (a web worker with no index, or one too far behind): the page says
        suggestions are being prepared meanwhile, and the nightly build follows anyway."""
        return _enqueue(self._build_index, "the matcher index build")

    def enqueue_hub_index_build(self) -> bool:
        """Ask for a hub search index build (an item published, archived or edited; a web worker whose build is
        behind the data, or that has none: its search page says the search is being prepared meanwhile)."""
        return _enqueue(self._build_hub_index, "the hub search index build")

    def enqueue_webhook_delivery(self) -> bool:
        """Like mail: the minutely sweep sends what an enqueue lost."""
        return _enqueue(self._deliver_webhooks, "webhook delivery; the periodic sweep will send it")

    def consumer(self, workers: int, periodic: bool = True):
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic)


def init_jobs(app: Flask) -> None:
    app.extensions["jobs"] = JobEngine(app)
