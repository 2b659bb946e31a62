"""Speed and memory of the expert matcher against the naive approach, on a synthetic network.

    .venv/bin/python benchmarks/matching_speed.py           # 1k, 10k and 100k experts (~10 min)
    .venv/bin/python benchmarks/matching_speed.py --quick   # 1k and 10k only (~1 min)
    .venv/bin/python benchmarks/matching_speed.py --sizes 100000 --requests 300
    .venv/bin/python benchmarks/matching_speed.py --jobs 1      # fit ours in one process

Naive: TfidfVectorizer over one text per expert, cosine_similarity against the whole matrix,
argsort. Ours: ExpertMatcher.rank end to end -- request text in, filtered (default RankFilters:
vetted, capacity, availability, plus one excluded organisation) and explained top 20 out.

Ours fits with n_jobs=--jobs (default -1: every core splits texts into words); fit CPU time adds
the forked workers' time, so it shows the whole work done.

Each size runs in fresh interpreters, one for ours and one for the naive approach, so each peak
memory figure (the process's ru_maxrss) is its own. Both see the same network and the same
requests (fixed seed), each after a few warm-up requests; latency median and p95 are over every
request. 'Peak' includes the generated profiles and requests; 'after data' is the resident
memory before fitting, so the difference is what fitting and ranking added. Figures, not assertions.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

WARM_UP = 5
K = 20
UPDATES = 20
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def network_data(n_experts: int, n_requests: int):
    from synthetic import Network
    network = Network(seed=n_experts)
    profiles = [network.profile(i) for i in range(n_experts)]
    requests = [network.request() for _ in range(n_requests)]
    return network, profiles, requests


def timed(run, requests) -> list[float]:
    for request in requests[:WARM_UP]:
        run(request)
    times = []
    for request in requests:
        start = time.perf_counter()
        run(request)
        times.append((time.perf_counter() - start) * 1000)
    return times


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def worker_ours(n_experts: int, n_requests: int, jobs: int) -> dict:
    from expertnet.matching import ExpertMatcher, MatchQuery, RankFilters
    network, profiles, requests = network_data(n_experts, n_requests)
    gc.collect()
    out = {"after_data": rss_bytes()}
    start, cpu = time.perf_counter(), cpu_seconds()
    matcher = ExpertMatcher(n_jobs=jobs).fit(profiles)
    out["fit"], out["fit_cpu"] = time.perf_counter() - start, cpu_seconds() - cpu
    out["peak_fit"] = peak_bytes()
    out["peak_workers"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    filters = RankFilters(exclude_organisation_ids=frozenset({1}))
    out["latency"] = timed(lambda r: matcher.rank(MatchQuery(r), k=K, filters=filters), requests)
    update_times = []
    for i in range(UPDATES):
        replacement = replace(network.profile(i), expert_id=i * 7 % n_experts)  # new text for an existing expert
        start = time.perf_counter()
        matcher.update(replacement)
        update_times.append((time.perf_counter() - start) * 1000)
    out["update"] = float(np.median(update_times))
    out["update_max"] = float(np.max(update_times))
    out["peak"] = peak_bytes()
    return out


def worker_naive(n_experts: int, n_requests: int, jobs: int) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity
    from synthetic import profile_text
    _, profiles, requests = network_data(n_experts, n_requests)
    texts = [profile_text(p) for p in profiles]
    del profiles
    gc.collect()
    out = {"after_data": rss_bytes()}
    start, cpu = time.perf_counter(), cpu_seconds()
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform(texts)
    out["fit"], out["fit_cpu"] = time.perf_counter() - start, cpu_seconds() - cpu
    out["peak_fit"] = peak_bytes()

    def rank(request: str):
        scores = cosine_similarity(vectorizer.transform([request]), matrix).ravel()
        return np.argsort(-scores)[:K]
    out["latency"] = timed(rank, requests)
    out["peak"] = peak_bytes()
    return out


def run_worker(kind: str, n: int, n_requests: int, jobs: int) -> dict:
    command = [sys.executable, __file__, "--worker", kind, "--sizes", str(n), "--requests", str(n_requests), "--jobs", str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{kind} worker at {n:,} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def report(n: int, ours: dict, naive: dict) -> None:
    lo, ln = np.asarray(ours["latency"]), np.asarray(naive["latency"])
    om, op, nm, np95 = np.median(lo), np.percentile(lo, 95), np.median(ln), np.percentile(ln, 95)
    print(f"{n:>8,} experts | fit ours {ours['fit']:6.1f}s  naive TfidfVectorizer.fit_transform {naive['fit']:6.1f}s "
          f"(ours/naive {ours['fit'] / naive['fit']:.2f}) | fit CPU ours {ours['fit_cpu']:6.1f}s naive {naive['fit_cpu']:6.1f}s "
          f"(ours/naive {ours['fit_cpu'] / naive['fit_cpu']:.2f})")
    print(f"{'':>8} latency ms (n={len(lo)} each, same requests) | ours median {om:6.2f} p95 {op:6.2f} | "
          f"naive median {nm:7.2f} p95 {np95:7.2f} | speed-up median {nm / om:5.1f}x  p95 {np95 / op:5.1f}x")
    print(f"{'':>8} peak RSS ours {mib(ours['peak'])} (after data {mib(ours['after_data'])}, "
          f"fit+rank added {mib(ours['peak'] - ours['after_data'])}) | naive {mib(naive['peak'])} "
          f"(added {mib(naive['peak'] - naive['after_data'])}) | ours' fitting workers peak RSS {mib(ours['peak_workers'])} "
          f"(pages shared with the parent at fork count in both) | one-profile update median {ours['update']:.1f} ms "
          f"max {ours['update_max']:.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k and 10k experts only")
    parser.add_argument("--sizes", type=str, default=None, help="comma-separated network sizes")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per size (default 200)")
    parser.add_argument("--jobs", type=int, default=-1, help="ExpertMatcher n_jobs for fitting (default -1: every core)")
    parser.add_argument("--worker", choices=("ours", "naive"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000])
    if args.worker:
        work = worker_ours if args.worker == "ours" else worker_naive
        print(json.dumps(work(sizes[0], args.requests, args.jobs)))
        return
    load = os.getloadavg()[0]
    print(f"matching speed: {os.cpu_count()} cores, load {load:.1f}; {args.requests} requests of 60-150 tokens per size; "
          f"profiles 150-400 tokens in 3-7 documents; top {K}; ours fits with n_jobs={args.jobs}")
    for n in sizes:
        ours = run_worker("ours", n, args.requests, args.jobs)
        naive = run_worker("naive", n, args.requests, args.jobs)
        report(n, ours, naive)


if __name__ == "__main__":
    main()
