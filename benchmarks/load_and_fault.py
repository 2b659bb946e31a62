"""Load and faults on gunicorn + PostgreSQL, then the invariants checked in the database.

    .venv/bin/python benchmarks/load_and_fault.py                      # ~2-3 minutes, 4 workers, 8 users
    .venv/bin/python benchmarks/load_and_fault.py --duration 60 --users 4
    .venv/bin/python benchmarks/load_and_fault.py --no-faults          # the same load without faults
    .venv/bin/python benchmarks/load_and_fault.py --env EXPERTNET_JOBS_URL=redis://127.0.0.1:6379/0

Everything runs on loopback and is bounded in time and count: a throwaway PostgreSQL cluster, the
demo network (`flask seed-demo`, password expertnet-demo-2026), an SMTP server inside this process,
gunicorn and the background job worker. Members file requests and add and remove files on drafts,
coordinators triage, invite, revoke, withdraw, accept reports and close; experts accept terms and
invitations, decline, start work and report -- including conflicting actions released at the same
moment (parallel close, parallel withdraw, decline + revoke, two experts starting at once, parallel
invitations beyond an expert's capacity). Meanwhile the faults: SMTP refusing, SMTP hanging, a
gunicorn worker SIGKILLed, the job worker SIGKILLed and restarted, PostgreSQL restarted. Then the
faults are cleared, the worker drains the outbox (bounded), and each invariant's violations are
counted with SQL (target: 0 each). Exit status 1 when any violation was found.

The worker: `--worker-cmd` is a command with {flask}, {app} and {python} filled in; by default
`{flask} --app {app} jobs worker`, on a huey queue in the run's own directory (SQLite, the embedded mode)
unless `--env EXPERTNET_JOBS_URL=...` says otherwise.
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

import psycopg

from load_fault_client import Browser, Recorder, together
from load_fault_infra import (Child, Postgres, SmtpMode, SmtpServer, free_port, kill_one_worker, stop_group,
                              wait_for_port)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "expertnet-demo-2026"
# Fast retries, so the drain after the faults stays short; everything else is the production default.
APP_SPEC = 'expertnet.app:create_app({"MAIL_RETRY_BASE_SECONDS": 2})'
JOBS_WORKER = "{flask} --app {app} jobs worker"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
MAX_PASSWORD_RESETS = 30  # /password/forgot allows 10 an hour per address and worker
DB_WINDOW_GRACE = 5.0  # seconds after the restart during which 503 still counts as expected
KILL_GRACE = 2.0  # requests dropped this close to the gunicorn worker kill were in flight there


class Aborted(Exception):
    """A scenario cannot go on (a step it needs failed); counted, never fatal."""


# ------------------------------------------------------------------ the database, read directly
class Database:
    """Plain reads for the users' bookkeeping and the invariants; one connection per thread, re-opened after
    the restart fault."""

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.local = threading.local()

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        for _attempt in range(30):
            try:
                connection = getattr(self.local, "connection", None)
                if connection is None or connection.closed:
                    connection = self.local.connection = psycopg.connect(self.dsn, autocommit=True, connect_timeout=5)
                return connection.execute(sql, params).fetchall()
            except psycopg.OperationalError:
                self.local.connection = None
                time.sleep(1)
        raise Aborted("database unavailable for 30 s")

    def value(self, sql: str, params: tuple = ()):
        return self.rows(sql, params)[0][0]


# ------------------------------------------------------------------ the world the users act in
class World:
    def __init__(self, base_url: str, db: Database, recorder: Recorder, rng: random.Random):
        self.base_url, self.db, self.recorder, self.rng = base_url, db, recorder, rng
        self.coordinators = [r[0] for r in db.rows(
            "SELECT email FROM user_account WHERE role = 'coordinator' AND is_active ORDER BY id")]
        self.members = db.rows("SELECT email, organisation_id FROM user_account WHERE role = 'member' AND is_active "
                               "ORDER BY id")
        self.topics = [r[0] for r in db.rows("SELECT slug FROM topic WHERE parent_id IS NOT NULL AND is_active "
                                             "ORDER BY slug")]
        self._browsers: dict[str, Browser] = {}
        self._sign_in_locks: dict[str, threading.Lock] = collections.defaultdict(threading.Lock)
        self._lock = threading.Lock()
        self.resets_left = MAX_PASSWORD_RESETS

    def browser(self, email: str) -> Browser:
        """The account's signed-in browser, shared by the threads acting for it."""
        with self._lock:
            account_lock = self._sign_in_locks[email]
        with account_lock:  # one sign-in per account, the others wait for it
            browser = self._browsers.get(email)
            if browser is None:
                browser = Browser(self.base_url, self.recorder)
                if not browser.sign_in(email, DEMO_PASSWORD):
                    raise Aborted(f"sign-in failed for {email}")
                self._browsers[email] = browser
        return browser

    def expert_email(self, profile_id: int) -> str:
        return self.db.value("SELECT u.email FROM expert_profile p JOIN user_account u ON u.id = p.user_id "
                             "WHERE p.id = %s", (profile_id,))

    def take_password_reset(self) -> bool:
        with self._lock:
            if self.resets_left <= 0:
                return False
            self.resets_left -= 1
            return True


def _id_after(location: str, prefix: str) -> int | None:
    """The id in a redirect's Location such as /requests/12 (absolute or relative)."""
    path = urllib.parse.urlsplit(location).path
    if not path.startswith(prefix):
        return None
    head = path[len(prefix):].split("/", 1)[0]
    return int(head) if head.isdigit() else None


# ------------------------------------------------------------------ steps (one HTTP action each)
def file_request(member: Browser, topics: list[str], submit: bool, experts_wanted: int = 2) -> int:
    """POST the request form; the new request's id from the redirect."""
    word = secrets.token_hex(3)
    fields = {
        "title": f"Load test request {word}: detector calibration at a border crossing",
        "summary": "Calibration of handheld chemical detectors used by customs officers at border crossings.",
        "summary_tlp": "TLP:GREEN",
        "gap_statement": "Our officers cannot verify that handheld detectors give correct alarms after field "
                         "repairs; we need a procedure and training for the technicians.",
        "detail_tlp": "TLP:AMBER", "desired_outcome": "A written calibration procedure.", "annex": "Site list.",
        "annex_tlp": "TLP:RED", "gap_type": "knowledge", "topics": topics, "sectors": "customs",
        "modality": "remote_advice", "languages": ["en"], "country": "", "urgency": "routine",
        "urgency_reason": "", "experts_wanted": str(experts_wanted), "authorised_declaration": "y",
    }
    fields["submit" if submit else "save"] = "Submit request" if submit else "Save draft"
    answer = member.act("request_file", "POST", "/requests/new", fields)
    request_id = _id_after(answer.location, "/requests/") if answer.status in (302, 303) else None
    if request_id is None:
        raise Aborted(f"filing a request answered {answer.status}")
    return request_id


def move(coordinator: Browser, request_id: int, to_status: str) -> int:
    return coordinator.act(f"request_{to_status}", "POST", f"/coordination/requests/{request_id}/move",
                           {"to_status": to_status, "note": "Load test step."}).status


def to_matching(coordinator: Browser, request_id: int) -> None:
    for status in ("triage", "matching"):
        if move(coordinator, request_id, status) not in (302, 303):
            raise Aborted(f"moving request {request_id} to {status} failed")


def suggested_experts(coordinator: Browser, request_id: int) -> list[int]:
    page = coordinator.act("suggestions", "GET", f"/coordination/requests/{request_id}/suggestions")
    return [int(found) for found in _checkbox_values(page.body, "expert_ids")]


def _checkbox_values(body: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="(\d+)"', body)


def invite(coordinator: Browser, request_id: int, expert_ids: list[int]) -> int:
    respond_by = (date.today() + timedelta(days=7)).isoformat()
    return coordinator.act("invite", "POST", f"/coordination/requests/{request_id}/suggestions", {
        "expert_ids": expert_ids, "message": "Could you help with this request?", "respond_by": respond_by,
        "keywords": "", "language": "", "region": "", "include_unavailable": "", "submit_invite": "Send"}).status


def invitations_of(world: World, request_id: int) -> list[tuple[int, int, str]]:
    return world.db.rows("SELECT id, expert_id, status FROM invitation WHERE request_id = %s ORDER BY id",
                         (request_id,))


def accept(expert: Browser, invitation_id: int) -> int:
    page = expert.act("invitation_page", "GET", f"/invitations/{invitation_id}")
    version = _hidden_value(page.body, "terms_version")
    expert.act("terms_accept", "POST", f"/invitations/{invitation_id}/terms", {"terms_version": version, "agree": "y"})
    return expert.act("invitation_accept", "POST", f"/invitations/{invitation_id}/accept").status


def _hidden_value(body: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return value.group(1) if value else ""


def decline(expert: Browser, invitation_id: int) -> int:
    return expert.act("invitation_decline", "POST", f"/invitations/{invitation_id}/decline",
                      {"reason": "no_capacity", "note": ""}).status


def revoke(coordinator: Browser, invitation_id: int) -> int:
    return coordinator.act("invitation_revoke", "POST", f"/coordination/invitations/{invitation_id}/revoke",
                           {"reason": "Load test: no longer needed."}).status


def engagement_act(coordinator: Browser, engagement_id: int, action: str, reason: str = "") -> int:
    return coordinator.act(f"engagement_{action}", "POST", f"/coordination/engagements/{engagement_id}/act",
                           {"action": action, "reason": reason}).status


def start_work(expert: Browser, engagement_id: int) -> int:
    return expert.act("engagement_start", "POST", f"/engagements/{engagement_id}/start").status


def submit_report(expert: Browser, engagement_id: int) -> int:
    return expert.act("report_submit", "POST", f"/engagements/{engagement_id}/report",
                      {"report": "Procedure written and technicians trained.", "days_spent": "3"}).status


def upload(member: Browser, request_id: int) -> int:
    content = PNG + secrets.token_bytes(100 + secrets.randbelow(40_000))  # sizes differ: a swapped file shows
    return member.act("file_upload", "POST", f"/requests/{request_id}/attachments", {"tlp": "TLP:AMBER"},
                      files={"file": (f"scan-{secrets.token_hex(2)}.png", content)}).status


def delete_file(member: Browser, request_id: int, attachment_id: int) -> int:
    return member.act("file_delete", "POST", f"/requests/{request_id}/attachments/{attachment_id}/delete").status


def password_reset(world: World, email: str) -> None:
    if world.take_password_reset():
        anonymous = Browser(world.base_url, world.recorder)
        anonymous.act("password_forgot_page", "GET", "/password/forgot")
        anonymous.act("password_forgot", "POST", "/password/forgot", {"email": email})


# ------------------------------------------------------------------ scenarios (a request's life, with races)
def lifecycle_scenario(world: World) -> None:
    """File, triage, invite three experts (two coordinators at once, overlapping), two accept and the third
    is declined and revoked at the same moment; both start at once; one engagement is closed by three
    coordinators at once, the other withdrawn by three at once."""
    rng = world.rng
    member_email, _org = rng.choice(world.members)
    member = world.browser(member_email)
    request_id = file_request(member, rng.sample(world.topics, 2), submit=True)
    if rng.random() < 0.3:
        password_reset(world, member_email)
    coordinators = [world.browser(email) for email in world.coordinators]
    to_matching(coordinators[0], request_id)
    candidates = suggested_experts(coordinators[0], request_id)[:12]
    if len(candidates) < 3:
        raise Aborted("fewer than three experts suggested")
    picked = rng.sample(candidates, 3)
    together(lambda: invite(coordinators[0], request_id, picked[:2]),
             lambda: invite(coordinators[1], request_id, picked[1:]))
    pending = [(i, e) for i, e, status in invitations_of(world, request_id) if status == "pending"]
    experts = {invitation_id: world.browser(world.expert_email(expert_id)) for invitation_id, expert_id in pending}
    if len(pending) >= 3:
        (last_id, _e) = pending[-1]
        together(lambda: decline(experts[last_id], last_id), lambda: revoke(coordinators[2], last_id))
        pending = pending[:-1]
    for invitation_id, _expert_id in pending:
        accept(experts[invitation_id], invitation_id)
    engagements = world.db.rows("SELECT e.id, e.invitation_id FROM engagement e WHERE e.request_id = %s "
                                "AND e.status = 'planned' ORDER BY e.id", (request_id,))
    if not engagements:
        return
    together(*[lambda e=e, i=i: start_work(experts[i], e) for e, i in engagements])
    closing_id, closing_invitation = engagements[0]
    if submit_report(experts[closing_invitation], closing_id) in (302, 303):
        engagement_act(coordinators[0], closing_id, "accept_report")
        together(*[lambda c=c: engagement_act(c, closing_id, "close") for c in coordinators])
    if len(engagements) > 1:
        withdrawing_id = engagements[1][0]
        together(*[lambda c=c: engagement_act(c, withdrawing_id, "withdraw", "Load test: withdrawn.")
                   for c in coordinators])


def capacity_scenario(world: World) -> None:
    """Three requests on the same topics; one expert suggested for all is invited to each by three
    coordinators at once (beyond their capacity when they are nearly full); then the expert declines one
    while a coordinator revokes it."""
    rng = world.rng
    topics = rng.sample(world.topics, 2)
    organisations = {}
    for email, organisation_id in rng.sample(world.members, len(world.members)):
        organisations.setdefault(organisation_id, email)
    members = list(organisations.values())[:3]
    coordinators = [world.browser(email) for email in world.coordinators]
    request_ids = [file_request(world.browser(email), topics, submit=True) for email in members]
    for request_id in request_ids:
        to_matching(coordinators[0], request_id)
    common = None
    for request_id in request_ids:
        listed = suggested_experts(coordinators[0], request_id)
        common = listed if common is None else [e for e in common if e in listed]
    if not common:
        raise Aborted("no expert suggested for all three requests")
    expert_id = least_room(world, common)
    together(*[lambda c=c, r=r: invite(c, r, [expert_id]) for c, r in zip(coordinators, request_ids)])
    invitation = world.db.rows("SELECT id FROM invitation WHERE expert_id = %s AND request_id = ANY(%s) "
                               "AND status = 'pending' ORDER BY id LIMIT 1", (expert_id, request_ids))
    if invitation:
        expert = world.browser(world.expert_email(expert_id))
        together(lambda: decline(expert, invitation[0][0]), lambda: revoke(coordinators[1], invitation[0][0]))


def least_room(world: World, profile_ids: list[int]) -> int:
    """The expert with the least capacity left (but some): three invitations at once go beyond it."""
    rows = world.db.rows(f"SELECT w.id FROM ({OPEN_WORK}) w WHERE w.id = ANY(%s) AND w.open_work < w.capacity "
                         "ORDER BY w.capacity - w.open_work, w.id LIMIT 1", (profile_ids,))
    return rows[0][0] if rows else profile_ids[0]


def files_scenario(world: World) -> None:
    """A draft with two files; then three uploads and two deletes at the same moment, twice; then submitted."""
    rng = world.rng
    member_email, _org = rng.choice(world.members)
    member = world.browser(member_email)
    request_id = file_request(member, rng.sample(world.topics, 2), submit=False)
    for _ in range(2):
        upload(member, request_id)
    for _round in range(2):
        existing = [r[0] for r in world.db.rows("SELECT id FROM attachment WHERE request_id = %s ORDER BY id",
                                                (request_id,))]
        calls = [lambda: upload(member, request_id) for _ in range(3)]
        calls += [lambda a=a: delete_file(member, request_id, a) for a in existing[:2]]
        together(*calls)
    member.act("request_submit", "POST", f"/requests/{request_id}/submit")


SCENARIOS = ((lifecycle_scenario, 5), (files_scenario, 3), (capacity_scenario, 2))


def user_loop(world: World, deadline: float, outcomes: collections.Counter, seed: int) -> None:
    world_rng = random.Random(seed)
    functions, weights = zip(*SCENARIOS)
    while time.monotonic() < deadline:
        scenario = world_rng.choices(functions, weights)[0]
        try:
            scenario(world)
            outcomes[f"{scenario.__name__} completed"] += 1
        except Aborted as exc:
            outcomes[f"{scenario.__name__} aborted ({exc})"] += 1


# ------------------------------------------------------------------ faults
class Faults:
    """The schedule, as fractions of the load phase; each fault records when it happened."""

    def __init__(self, pg: Postgres, smtp: SmtpServer, gunicorn: Child, worker: Child, duration: float):
        self.pg, self.smtp, self.gunicorn, self.worker, self.duration = pg, smtp, gunicorn, worker, duration
        self.db_windows: list[tuple[float, float]] = []
        self.worker_kills: list[float] = []
        self.log: list[str] = []
        self.stop = threading.Event()

    def schedule(self):
        d = self.duration
        return [
            # (offset, what, action, wait for mail to flow first)
            (0.25 * d, "gunicorn worker SIGKILLed", self._kill_gunicorn_worker, False),
            (0.40 * d, f"SMTP refusing (451) for {0.12 * d:.0f} s",
             lambda: self._smtp_for(SmtpMode.REFUSE, 0.12 * d), True),
            (0.55 * d, "job worker SIGKILLed, restarted 3 s later", self._kill_job_worker, False),
            (0.62 * d, f"SMTP hanging for {0.12 * d:.0f} s", lambda: self._smtp_for(SmtpMode.HANG, 0.12 * d), True),
            (0.82 * d, "PostgreSQL restarted (pg_ctl restart -m fast)", self._restart_postgres, False),
        ]

    def run(self, started: float) -> None:
        """The faults in order, each at its offset or later (an SMTP fault waits for mail to flow)."""
        for offset, label, action, needs_mail in self.schedule():
            if self.stop.wait(max(0.0, started + offset - time.monotonic())):
                return
            if needs_mail and not self._mail_flowing(started, 0.15 * self.duration):
                return
            self.log.append(f"t={time.monotonic() - started:5.1f}s  {label}")
            action()

    def _mail_flowing(self, started: float, patience: float) -> bool:
        """Wait (at most `patience` seconds) for a message to arrive in this run; False when stopped."""
        give_up = time.monotonic() + patience
        while not any(moment >= started for moment in self.smtp.mailbox.arrivals[-1:]):
            if time.monotonic() > give_up:
                return True  # no mail yet: inject anyway, the report shows nothing bit
            if self.stop.wait(0.5):
                return False
        return True

    def _smtp_for(self, mode: str, seconds: float) -> None:
        self.smtp.mailbox.mode = mode
        self.stop.wait(seconds)
        self.smtp.mailbox.mode = SmtpMode.ACCEPT

    def _kill_gunicorn_worker(self) -> None:
        self.worker_kills.append(time.monotonic())
        victim = kill_one_worker(self.gunicorn)
        self.log.append(f"         killed worker pid {victim}")

    def _kill_job_worker(self) -> None:
        self.worker.kill()
        self.stop.wait(3)
        self.worker.start()

    def _restart_postgres(self) -> None:
        began = time.monotonic()
        try:
            self.pg.restart()
        finally:
            self.db_windows.append((began, time.monotonic() + DB_WINDOW_GRACE))


# ------------------------------------------------------------------ invariants (SQL on the final state)
OPEN_ENGAGEMENT = "('planned', 'active', 'report_submitted', 'report_accepted', 'suspended')"
OPEN_WORK = f"""
    SELECT p.id, p.capacity,
           (SELECT count(*) FROM invitation i WHERE i.expert_id = p.id AND i.status = 'pending')
         + (SELECT count(*) FROM engagement e WHERE e.expert_id = p.id AND e.status IN {OPEN_ENGAGEMENT}) AS open_work
    FROM expert_profile p"""
INVARIANTS = {
    "experts over capacity (open work > capacity)":
        f"SELECT count(*) FROM ({OPEN_WORK}) w WHERE w.open_work > w.capacity",
    "duplicate (request, expert) invitations":
        "SELECT count(*) FROM (SELECT 1 FROM invitation GROUP BY request_id, expert_id HAVING count(*) > 1) d",
    "invitations with more than one engagement":
        "SELECT count(*) FROM (SELECT 1 FROM engagement GROUP BY invitation_id HAVING count(*) > 1) d",
    "open engagements whose invitation is not accepted":
        f"SELECT count(*) FROM engagement e JOIN invitation i ON i.id = e.invitation_id "
        f"WHERE e.status IN {OPEN_ENGAGEMENT} AND i.status <> 'accepted'",
    "invitations without their creation audited":
        "SELECT count(*) FROM invitation i WHERE NOT EXISTS (SELECT 1 FROM audit_event a WHERE "
        "a.object_type = 'invitation' AND a.object_id = i.id AND a.action = 'invitation.created')",
    "invitations whose current state was never audited":
        "SELECT count(*) FROM invitation i WHERE i.status <> 'pending' AND NOT EXISTS (SELECT 1 FROM audit_event a "
        "WHERE a.object_type = 'invitation' AND a.object_id = i.id AND a.action = 'invitation.' || i.status)",
    "engagements whose current state was never audited":
        "SELECT count(*) FROM engagement e WHERE NOT EXISTS (SELECT 1 FROM audit_event a WHERE "
        "a.object_type = 'engagement' AND a.object_id = e.id AND a.action = 'engagement.' || e.status)",
    "requests whose current state was never audited":
        "SELECT count(*) FROM assistance_request r WHERE r.status <> 'draft' AND NOT EXISTS (SELECT 1 FROM "
        "audit_event a WHERE a.object_type = 'assistance_request' AND a.object_id = r.id "
        "AND a.action = 'request.' || r.status)",
    "invitations answered or ended more than once (audit)":
        "SELECT count(*) FROM (SELECT object_id FROM audit_event WHERE object_type = 'invitation' AND action IN "
        "('invitation.accepted', 'invitation.declined', 'invitation.revoked', 'invitation.expired', "
        "'invitation.conflict_declared') GROUP BY object_id HAVING count(*) > 1) d",
    "engagements closed or withdrawn more than once (audit)":
        "SELECT count(*) FROM (SELECT object_id FROM audit_event WHERE object_type = 'engagement' AND action IN "
        "('engagement.closed', 'engagement.withdrawn') GROUP BY object_id HAVING count(*) > 1) d",
    "attachments without their upload audited":
        "SELECT count(*) FROM attachment t WHERE NOT EXISTS (SELECT 1 FROM audit_event a WHERE "
        "a.object_type = 'attachment' AND a.object_id = t.id AND a.action = 'attachment.uploaded')",
}


# Only while expert_profile keeps a hand-kept counter (ACCESS may derive commitments from the rows instead).
COUNTER_INVARIANT = (
    "experts whose commitments != pending invitations + open engagements",
    f"SELECT count(*) FROM ({OPEN_WORK}) w JOIN expert_profile p ON p.id = w.id WHERE w.open_work <> p.commitments")


def sql_violations(db: Database) -> dict[str, int]:
    checks = dict(INVARIANTS)
    if db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'expert_profile' "
                "AND column_name = 'commitments'"):
        checks[COUNTER_INVARIANT[0]] = COUNTER_INVARIANT[1]
    return {name: db.value(sql) for name, sql in checks.items()}


def mail_violations(db: Database, smtp: SmtpServer, first_id: int) -> tuple[dict, dict, list[int]]:
    """Rows from `first_id` on: the demo seed writes its history as already sent, never mailed."""
    rows = db.rows("SELECT id, status FROM outbox_message WHERE id >= %s", (first_id,))
    status_of = dict(rows)
    deliveries = {i: n for i, n in smtp.mailbox.deliveries.items() if i >= first_id}
    never_received = [i for i, s in status_of.items() if s == "sent" and not deliveries.get(i)]
    violations = {
        "messages still queued after the drain": sum(1 for s in status_of.values() if s == "queued"),
        "messages marked sent but never received": len(never_received),
        "messages mailed more than once": sum(1 for count in deliveries.values() if count > 1),
    }
    info = {
        "outbox rows": len(status_of),
        "sent": sum(1 for s in status_of.values() if s == "sent"),
        "failed (given up, shown to admins)": sum(1 for s in status_of.values() if s == "failed"),
        "SMTP deliveries received": sum(deliveries.values()),
        "extra deliveries (duplicates)": sum(count - 1 for count in deliveries.values() if count > 1),
        "received but the row is not 'sent'": sum(1 for i in deliveries if status_of.get(i) != "sent"),
        "received without an outbox id in Message-ID": smtp.mailbox.without_outbox_id,
        "SMTP refusals answered": smtp.mailbox.refused,
        "SMTP connections left hanging": smtp.mailbox.hung,
    }
    return violations, info, never_received


def print_never_received(db: Database, outbox_ids: list[int]) -> None:
    for outbox_id in outbox_ids[:5]:
        kind, recipient, attempts, sent_at = db.rows(
            "SELECT kind, recipient, attempts, sent_at FROM outbox_message WHERE id = %s", (outbox_id,))[0]
        print(f"  e.g. outbox row {outbox_id} ({kind} to {recipient}) marked sent at {sent_at:%H:%M:%S} "
              f"after {attempts} attempt(s), never received")


def file_violations(db: Database, upload_folder: Path) -> tuple[dict[str, int], dict[str, int]]:
    rows = db.rows("SELECT storage_key, size_bytes FROM attachment")
    missing = wrong_size = 0
    for key, size in rows:
        path = upload_folder / key[:2] / key
        if not path.is_file():
            missing += 1
        elif path.stat().st_size != size:
            wrong_size += 1
    known = {key for key, _size in rows}
    orphans = sum(1 for path in upload_folder.glob("*/*") if path.is_file() and path.name not in known)
    return ({"attachment rows whose file is missing": missing, "attachment files of the wrong size": wrong_size},
            {"attachment rows": len(rows), "stored files without a row (orphans, not lost)": orphans})


def log_info(gunicorn: Child, worker: Child) -> dict[str, int]:
    def count(child: Child, needle: str) -> int:
        try:
            return child.log_path.read_text(errors="replace").count(needle)
        except OSError:
            return 0

    return {"tracebacks in the gunicorn log": count(gunicorn, "Traceback"),
            "gunicorn WORKER TIMEOUT": count(gunicorn, "WORKER TIMEOUT"),
            "tracebacks in the job worker log": count(worker, "Traceback")}


def http_violations(samples, faults: Faults) -> dict[str, int]:
    def in_db_window(sample):
        return any(start <= sample.started <= end or start <= sample.started + sample.seconds <= end
                   for start, end in faults.db_windows)

    def near_worker_kill(sample):
        return any(sample.started - KILL_GRACE <= kill <= sample.started + sample.seconds + KILL_GRACE
                   for kill in faults.worker_kills)

    return {
        "500 responses": sum(1 for s in samples if s.status == 500),
        "other 5xx outside the database restart": sum(1 for s in samples if s.status > 500 and not in_db_window(s)),
        "requests without an answer (reset or timed out), not at the worker kill":
            sum(1 for s in samples if s.status == 0 and not near_worker_kill(s)),
    }


# ------------------------------------------------------------------ the report
def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def print_traffic(samples, seconds: float) -> None:
    print(f"\nTraffic: {len(samples)} requests in {seconds:.1f} s = {len(samples) / max(seconds, 0.001):.1f} req/s")
    statuses = collections.Counter(s.status for s in samples)
    print("Status counts: " + ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(statuses.items())))
    print(f"\n{'action':24} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    by_kind = collections.defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    for kind in sorted(by_kind):
        kind_samples = by_kind[kind]
        times = sorted(s.seconds * 1000 for s in kind_samples)
        codes = collections.Counter(s.status for s in kind_samples)
        print(f"{kind:24} {len(times):6} {percentile(times, .5):8.0f} {percentile(times, .95):8.0f} "
              f"{percentile(times, .99):8.0f}  " + " ".join(f"{c}x{n}" for c, n in sorted(codes.items())))


def print_mail_timeline(arrivals: list[float], started: float, bucket: float = 10.0) -> None:
    """Messages received per 10 s of the run: where the SMTP faults bit."""
    counts = collections.Counter(int((moment - started) // bucket) for moment in arrivals if moment >= started)
    last = max(counts, default=-1)
    print("\nMail received per 10 s: " + " ".join(str(counts[n]) for n in range(last + 1)))


def print_counts(title: str, counts: dict[str, int], baseline: dict[str, int] | None = None) -> None:
    print(f"\n{title}")
    for name, count in counts.items():
        before = f"   (before the load: {baseline[name]})" if baseline and baseline.get(name) else ""
        print(f"  {count:6}  {name}{before}")


# ------------------------------------------------------------------ setting up and tearing down
def child_environment(pg: Postgres, smtp: SmtpServer, workdir: Path, web_port: int, extra: list[str]) -> dict:
    env = {**os.environ,
           "EXPERTNET_DATABASE_URL": pg.url, "EXPERTNET_SECRET_KEY": secrets.token_urlsafe(32),
           "EXPERTNET_MAIL_BACKEND": "smtp", "EXPERTNET_SMTP_HOST": "127.0.0.1", "EXPERTNET_SMTP_PORT": str(smtp.port),
           "EXPERTNET_UPLOAD_FOLDER": str(workdir / "uploads"),
           "EXPERTNET_MATCHER_INDEX_PATH": str(workdir / "matcher-index"),
           "EXPERTNET_JOBS_URL": f"sqlite:///{workdir / 'jobs.sqlite3'}",
           "EXPERTNET_PUBLIC_BASE_URL": f"http://127.0.0.1:{web_port}"}
    for assignment in extra:
        name, _, value = assignment.partition("=")
        env[name] = value
    return env


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", APP_SPEC, *args], env=env, cwd=PROJECT_ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)


def worker_command(template: str) -> tuple[list[str], str]:
    text = template.format(flask=shlex.quote(str(BIN / "flask")), app=shlex.quote(APP_SPEC),
                           python=shlex.quote(sys.executable))
    return ["bash", "-c", f"exec {text}"], text


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=90, help="seconds of load (default 90)")
    parser.add_argument("--users", type=int, default=8, help="concurrent scenario threads (default 8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--drain", type=float, default=60, help="at most this many seconds to empty the outbox")
    parser.add_argument("--worker-cmd", default=JOBS_WORKER, help="the job worker command ({flask}, {app}, {python})")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for gunicorn and the worker (repeatable)")
    parser.add_argument("--no-faults", action="store_true", help="the same load without injecting faults")
    parser.add_argument("--keep", action="store_true", help="keep the working directory (logs, uploads)")
    parser.add_argument("--seed", type=int, default=11, help="random seed for the users' choices")
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 64 and 1 <= args.workers <= 16 and 5 <= args.duration <= 1800
            and 0 <= args.drain <= 600):
        parser.error("bounds: 1-64 users, 1-16 workers, 5-1800 s duration, 0-600 s drain")
    return args


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(argv)
    for sig in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a shell's background job starts with it ignored
        signal.signal(sig, _raise_interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="expertnet-load."))
    pg = Postgres()
    smtp = SmtpServer()
    gunicorn = worker = None
    faults = None
    try:
        print(f"Working directory {workdir}")
        pg.start()
        smtp.start()
        web_port = free_port()
        env = child_environment(pg, smtp, workdir, web_port, args.env)
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        print(f"PostgreSQL on 127.0.0.1:{pg.port}, SMTP on 127.0.0.1:{smtp.port}, demo network seeded")
        db = Database(pg.dsn)
        baseline = sql_violations(db)
        first_outbox_id = db.value("SELECT coalesce(max(id), 0) + 1 FROM outbox_message")
        command, shown = worker_command(args.worker_cmd)
        worker = Child("job-worker", command, env, PROJECT_ROOT, workdir)
        worker.start()
        print(f"Job worker: {shown}")
        gunicorn = Child("gunicorn", [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{web_port}", "--workers",
                                      str(args.workers), "--timeout", "30", "--graceful-timeout", "5", APP_SPEC],
                         env, PROJECT_ROOT, workdir)
        gunicorn.start()
        if not wait_for_port(web_port, 60):
            print(gunicorn.log_tail())
            raise RuntimeError("gunicorn did not start")
        print(f"gunicorn --workers {args.workers} on 127.0.0.1:{web_port}; "
              f"{args.users} users for {args.duration:.0f} s")

        recorder = Recorder()
        world = World(f"http://127.0.0.1:{web_port}", db, recorder, random.Random(args.seed))
        faults = Faults(pg, smtp, gunicorn, worker, args.duration)
        outcomes: collections.Counter = collections.Counter()
        started = time.monotonic()
        deadline = started + args.duration
        users = [threading.Thread(target=user_loop, args=(world, deadline, outcomes, args.seed + n), daemon=True)
                 for n in range(args.users)]
        injector = threading.Thread(target=faults.run, args=(started,), daemon=True)
        if not args.no_faults:
            injector.start()
        for user in users:
            user.start()
        for user in users:
            user.join(max(0.0, deadline - time.monotonic()) + 300)  # a scenario finishes its steps, bounded
        load_seconds = time.monotonic() - started
        faults.stop.set()
        injector.join(30) if injector.is_alive() else None
        smtp.mailbox.mode = SmtpMode.ACCEPT
        if worker.process.poll() is not None:
            worker.start()

        drained = drain(db, args.drain)
        print("\nFaults injected:" if faults.log else "\nNo faults injected.")
        for line in faults.log:
            print("  " + line)
        print("\nScenarios: " + ", ".join(f"{name}: {n}" for name, n in sorted(outcomes.items())))
        print_traffic(recorder.samples, load_seconds)
        mail, mail_info, never_received = mail_violations(db, smtp, first_outbox_id)
        files, files_info = file_violations(db, workdir / "uploads")
        violations = {**sql_violations(db), **mail, **files, **http_violations(recorder.samples, faults)}
        print_mail_timeline(smtp.mailbox.arrivals, started)
        print_counts(f"Mail (outbox drained in {drained:.0f} s):", mail_info)
        print_never_received(db, never_received)
        print_counts("Files:", files_info)
        print_counts("Logs:", log_info(gunicorn, worker))
        print_counts("Violations (target 0 each):", violations, baseline)
        total = sum(violations.values())
        print(f"\nTOTAL VIOLATIONS: {total}")
        return 1 if total else 0
    except KeyboardInterrupt:
        print("\nInterrupted: stopping everything started.")
        return 130
    finally:
        if faults is not None:
            faults.stop.set()
        stop_group(gunicorn.process if gunicorn else None)
        stop_group(worker.process if worker else None)
        smtp.stop()
        pg.stop()
        if args.keep:
            print(f"Logs and uploads kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def drain(db: Database, limit: float) -> float:
    """Wait (at most `limit` seconds) until no outbox row is queued; the seconds it took."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if db.value("SELECT count(*) FROM outbox_message WHERE status = 'queued'") == 0:
            break
        time.sleep(1)
    time.sleep(2)  # a delivery under way when the last row flipped reaches the server
    return time.monotonic() - began


if __name__ == "__main__":
    sys.exit(main())
