"""The coordinators' triage queue page at network scale (issue 15: target p95 <= 100 ms with 100k requests).

    .venv/bin/python benchmarks/queue_scale.py                    # 100,000 open requests, SQLite in /tmp
    .venv/bin/python benchmarks/queue_scale.py --requests 10000
    EXPERTNET_DATABASE_URL=postgresql+psycopg://.../db .venv/bin/python benchmarks/queue_scale.py --wipe

Grows a migrated database to N open requests (before assignment, in every queue status, urgency and SLA
state, some waiting on the agency, with topics, countries and leads; plus N/10 assigned and N/10 closed ones)
with bulk inserts whose SLA columns come from the application's own `sla_columns.stored_clock`, then signs a
coordinator in and loads the queue page through the Flask test client: different saved views, filters, sorts
and pages, a few warm-up loads first, then --loads timed ones (p50 / p95 / max, and SQL statements per page).
On PostgreSQL the database must be empty, or --wipe drops its tables first. Figures, not assertions.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from expertnet.accounts.models import Organisation, OrganisationKind, Role, User  # noqa: E402
from expertnet.app import create_app  # noqa: E402
from expertnet.coordination import sla_columns  # noqa: E402
from expertnet.coordination.queue import ACTIVE_STATUSES, QUEUE_STATUSES  # noqa: E402
from expertnet.db import utcnow  # noqa: E402
from expertnet.extensions import db  # noqa: E402
from expertnet.requests.lifecycle import PAUSED  # noqa: E402
from expertnet.requests.models import AssistanceRequest, RequestStatus, Urgency, request_topic  # noqa: E402
from expertnet.taxonomy.services import leaf_topics, load_bundled_topics  # noqa: E402

TARGET_P95_MS = 100
PASSWORD = "queue-scale-benchmark"
COUNTRIES = ("EG", "JO", "KE", "MA", "TN", "LB", "IQ", "NG", "GH", "SN")
BATCH = 5000
WARM_UP = 3


def config(url: str, tmp: Path) -> dict:
    return {"TESTING": True, "SECRET_KEY": "queue-scale", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
            "MAIL_BACKEND": "memory", "JOBS_URL": "immediate", "UPLOAD_FOLDER": str(tmp / "uploads"),
            "MATCHER_INDEX_PATH": str(tmp / "matcher-index"), "SERVER_NAME": None}


def migrate_empty(wipe: bool) -> None:
    if db.engine.dialect.name == "postgresql":
        has_tables = bool(sa.inspect(db.engine).get_table_names())
        if has_tables and not wipe:
            sys.exit("The PostgreSQL database is not empty: pass --wipe to drop its tables first.")
        if has_tables:
            db.drop_all()
            db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
    upgrade()


def people(rng: random.Random) -> tuple[list[int], list[int], User]:
    password_hash = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    organisations = [Organisation(name=f"Agency {n}", country=COUNTRIES[n % len(COUNTRIES)],
                                  kind=OrganisationKind.CUSTOMS_BORDER) for n in range(50)]
    members = [User(email=f"member{n}@example.org", full_name=f"Officer {n}", role=Role.MEMBER,
                    organisation=organisations[n], password_hash=password_hash) for n in range(50)]
    coordinators = [User(email=f"coordinator{n}@example.org", full_name=f"Coordinator {n}", role=Role.COORDINATOR,
                         password_hash=password_hash) for n in range(8)]
    db.session.add_all([*organisations, *members, *coordinators])
    db.session.commit()
    return [m.id for m in members], [c.id for c in coordinators], coordinators[0]


def request_row(number: int, status: RequestStatus, rng: random.Random, members: list[int], leads: list[int],
                now) -> dict:
    urgency = rng.choice(list(Urgency))
    submitted = now - timedelta(hours=rng.uniform(0.5, 24 * 40))
    moments = sorted(submitted + (now - submitted) * rng.random() for _ in range(3))
    reached = {"triaged_at": None, "first_invited_at": None, "assigned_at": None}
    if status not in (RequestStatus.SUBMITTED,):
        reached["triaged_at"] = moments[0]
    if status in (RequestStatus.INVITING, *ACTIVE_STATUSES):
        reached["first_invited_at"] = moments[1]
    if status in ACTIVE_STATUSES:
        reached["assigned_at"] = moments[2]
    paused_since = now - (now - moments[2]) * rng.random() if status in PAUSED else None
    row = {
        "reference": f"TA-BENCH-{number:07d}", "organisation_id": None,
        "created_by_id": members[number % len(members)], "lead_coordinator_id": rng.choice([None, *leads]),
        "status": status, "title": f"Request {number}: {rng.choice(('precursor', 'port', 'lab', 'storage'))} risk",
        "summary": "Synthetic request for the queue benchmark.", "gap_statement": "", "annex": "",
        "desired_outcome": "", "sectors": [], "languages": ["en"], "country": rng.choice(COUNTRIES),
        "urgency": urgency, "urgency_reason": "", "priority": rng.randint(1, 5), "submitted_at": submitted,
        "status_changed_at": moments[-1], "created_at": submitted - timedelta(minutes=30), "updated_at": now,
        "paused_seconds": rng.choice((0, 0, 0, rng.randint(0, 200_000))), "paused_since": paused_since,
        "closed_at": now if status == RequestStatus.CLOSED else None, "version": 1, **reached,
    }
    row.update(sla_columns.stored_clock(SimpleNamespace(**row)))  # the application's own computation
    return row


def grow(n_open: int, seed: int = 15) -> User:
    rng = random.Random(seed)
    load_bundled_topics()
    db.session.commit()
    topics = [t.id for t in leaf_topics()]
    members, leads, coordinator = people(rng)
    organisation_of = dict(db.session.execute(sa.select(User.id, User.organisation_id).where(User.id.in_(members))).all())
    statuses = [*[rng.choice(QUEUE_STATUSES) for _ in range(n_open)],
                *[rng.choice(ACTIVE_STATUSES) for _ in range(n_open // 10)], *[RequestStatus.CLOSED] * (n_open // 10)]
    now = utcnow()
    table = AssistanceRequest.__table__
    for start in range(0, len(statuses), BATCH):
        rows = [request_row(start + i, status, rng, members, leads, now)
                for i, status in enumerate(statuses[start:start + BATCH])]
        for row in rows:
            row["organisation_id"] = organisation_of[row["created_by_id"]]
        ids = db.session.execute(table.insert().returning(table.c.id), rows).scalars().all()
        db.session.execute(request_topic.insert(), [{"request_id": i, "topic_id": t} for i in ids
                                                    for t in rng.sample(topics, rng.randint(1, 2))])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":  # what autovacuum does after bulk inserts on a live database:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))  # statistics, and the visibility map for index-only counts
    return coordinator


def pages_to_load(rng: random.Random, coordinator_id: int, topics: list[str], n: int) -> list[dict]:
    choices = [
        {}, {"view": "urgent_unassigned"}, {"view": "waiting_on_agency"}, {"view": "overdue"}, {"view": "unled"},
        {"view": "mine"}, {"sort": "age"}, {"sort": "priority"}, {"sort": "urgency"}, {"sla": "slipping"},
        {"sla": "on_track", "sort": "age"}, {"status": "triage", "urgency": "urgent"}, {"country": "EG"},
        {"topic": rng.choice(topics)}, {"q": "port"}, {"lead": str(coordinator_id)}, {"status": "active"},
        {"view": "overdue", "sort": "priority"}, {"page": 2}, {"page": 50}, {"page": 500, "sort": "age"},
    ]
    return [rng.choice(choices) for _ in range(n)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(app, coordinator_email: str, loads: int, seed: int = 15) -> None:
    rng = random.Random(seed)
    client = app.test_client()
    response = client.post("/sign-in", data={"email": coordinator_email, "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    topics = [t.slug for t in leaf_topics()]
    coordinator_id = db.session.scalar(sa.select(User.id).where(User.email == coordinator_email))
    timings, per_page = [], []
    for number, params in enumerate(pages_to_load(rng, coordinator_id, topics, loads + WARM_UP)):
        statements.clear()
        started = time.perf_counter()
        response = client.get("/coordination/queue", query_string=params)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (params, response.status_code)
        if number >= WARM_UP:
            timings.append(elapsed)
            per_page.append(len(statements))
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"queue page over {len(timings)} loads: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms; "
          f"SQL statements per page {min(per_page)}-{max(per_page)}")
    print(f"target: p95 <= {TARGET_P95_MS} ms at 100k open requests -> "
          f"{'met' if p95 <= TARGET_P95_MS else 'NOT met'} here")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100_000, help="open requests (before assignment)")
    parser.add_argument("--loads", type=int, default=30, help="timed page loads")
    parser.add_argument("--wipe", action="store_true", help="PostgreSQL: drop the database's tables first")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="queue-scale-"))
    url = os.environ.get("EXPERTNET_DATABASE_URL") or f"sqlite:///{tmp / 'queue.sqlite3'}"
    app = create_app(config(url, tmp))
    with app.app_context():
        print(f"database: {db.engine.dialect.name}; growing to {args.requests:,} open requests "
              f"(+{args.requests // 10:,} assigned, +{args.requests // 10:,} closed)")
        migrate_empty(args.wipe)
        started = time.perf_counter()
        coordinator = grow(args.requests)
        print(f"grown in {time.perf_counter() - started:.1f} s")
        measure(app, coordinator.email, args.loads)


if __name__ == "__main__":
    main()
