"""The processes load_and_fault.py drives, each started on loopback and stopped for sure.

A throwaway PostgreSQL cluster (as .ci/with-postgres does it), an SMTP server in this process whose
behaviour switches at run time (accept / refuse / hang), gunicorn, and the background job worker.
Every child runs in its own session (process group), so stopping it also stops what it started.
"""
from __future__ import annotations

import asyncio
import collections
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

LOOPBACK = "127.0.0.1"
OUTBOX_ID = re.compile(r"outbox-(\d+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((LOOPBACK, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def stop_group(process: subprocess.Popen | None, grace: float = 5.0) -> None:
    """SIGTERM the child's process group, SIGKILL what is left after `grace` seconds."""
    if process is None or process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, grace)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# ------------------------------------------------------------------ PostgreSQL
class Postgres:
    """A cluster in a temporary directory, fsync off, listening on loopback only."""

    def __init__(self):
        self.bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key)[-1]
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.home = Path(tempfile.mkdtemp(prefix="expertnet-load-pg."))  # its own: the server user must enter it
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres")
        self.port = free_port()
        self.started = False

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@{LOOPBACK}:{self.port}/expertnet"

    @property
    def dsn(self) -> str:
        return f"host={LOOPBACK} port={self.port} user=postgres dbname=expertnet"

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.as_postgres, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip()}")

    def start(self) -> None:
        data = self.home / "data"
        self._run(f"{self.bindir}/initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync")
        options = (f"-c listen_addresses={LOOPBACK} -p {self.port} -k {self.home} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self.started = True  # from here on stop() has a server to stop, even if start is interrupted
        self._run(f"{self.bindir}/pg_ctl", "-D", str(data), "-l", str(self.home / "log"), "-w", "-o", options, "start")
        self._run(f"{self.bindir}/createdb", "-h", LOOPBACK, "-p", str(self.port), "-U", "postgres", "expertnet")

    def restart(self) -> None:
        """The fault: a fast restart drops every connection and refuses new ones for a moment."""
        self._run(f"{self.bindir}/pg_ctl", "-D", str(self.home / "data"), "-w", "-m", "fast", "restart")

    def stop(self) -> None:
        if self.started:
            subprocess.run([*self.as_postgres, f"{self.bindir}/pg_ctl", "-D", str(self.home / "data"), "-m",
                            "immediate", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.started = False
        shutil.rmtree(self.home, ignore_errors=True)


def _version_key(path: str) -> tuple:
    return tuple(int(part) for part in re.findall(r"\d+", path))


# ------------------------------------------------------------------ SMTP
class SmtpMode:
    ACCEPT = "accept"
    REFUSE = "refuse"  # 451 to MAIL FROM: a temporary refusal, the sender must retry
    HANG = "hang"  # accept the TCP connection and never say a word


class Mailbox:
    """What arrived, keyed by the outbox row id the app writes into each Message-ID."""

    def __init__(self):
        self.mode = SmtpMode.ACCEPT
        self.deliveries: collections.Counter = collections.Counter()
        self.without_outbox_id = 0
        self.arrivals: list[float] = []  # time.monotonic() of each message received
        self.refused = 0
        self.hung = 0
        self._lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mode == SmtpMode.REFUSE:
            with self._lock:
                self.refused += 1
            return "451 4.3.2 Load test: refusing mail for a while"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        found = OUTBOX_ID.search(_message_id(envelope.content))
        with self._lock:
            self.arrivals.append(time.monotonic())
            if found:
                self.deliveries[int(found.group(1))] += 1
            else:
                self.without_outbox_id += 1
        return "250 Message accepted for delivery"

    def count_hang(self) -> None:
        with self._lock:
            self.hung += 1


def _message_id(content: bytes | str) -> str:
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    header = text.split("\r\n\r\n", 1)[0].split("\n\n", 1)[0]
    found = re.search(r"^Message-ID:\s*(.+)$", header, re.IGNORECASE | re.MULTILINE)
    return found.group(1) if found else ""


class _HangingSMTP(SMTP):
    """While the mailbox is in hang mode, a new connection gets no greeting until the mode changes (then it
    is closed), at most HANG_LIMIT seconds: the client sees a relay that accepted and went silent."""

    HANG_LIMIT = 600

    async def _handle_client(self):
        mailbox: Mailbox = self.event_handler
        if mailbox.mode == SmtpMode.HANG:
            mailbox.count_hang()
            deadline = time.monotonic() + self.HANG_LIMIT
            while mailbox.mode == SmtpMode.HANG and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            self.transport.close()
            return
        await super()._handle_client()


class _Controller(Controller):
    def factory(self):
        return _HangingSMTP(self.handler, **self.SMTP_kwargs)


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self._controller = _Controller(self.mailbox, hostname=LOOPBACK, port=self.port, server_hostname=LOOPBACK)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self.mailbox.mode = SmtpMode.ACCEPT  # releases hanging connections
        try:
            self._controller.stop()
        except (AssertionError, RuntimeError):
            pass  # never started, or already stopped


# ------------------------------------------------------------------ gunicorn and the job worker
class Child:
    """A command in its own process group, its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict, cwd: Path, log_dir: Path):
        self.name, self.command, self.env, self.cwd = name, command, env, cwd
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command, env=self.env, cwd=self.cwd, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)

    def kill(self) -> None:
        """The fault: SIGKILL the whole group, no chance to clean up."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(10)

    def stop(self) -> None:
        stop_group(self.process)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def children_of(pid: int) -> list[int]:
    """Direct children of `pid`, read from /proc (gunicorn's workers)."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(stat.split("/")[2]))
    return sorted(found)


def kill_one_worker(gunicorn: Child) -> int | None:
    """SIGKILL one gunicorn worker (the master starts a new one); returns its pid."""
    workers = children_of(gunicorn.process.pid) if gunicorn.process else []
    if not workers:
        return None
    victim = workers[0]
    try:
        os.kill(victim, signal.SIGKILL)
    except ProcessLookupError:
        return None
    return victim
