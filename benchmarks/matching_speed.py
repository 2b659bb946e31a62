"""Speed of the expert matcher against the naive approach, on a synthetic network.

    .venv/bin/python benchmarks/matching_speed.py           # 1k, 10k and 100k experts (~10 min)
    .venv/bin/python benchmarks/matching_speed.py --quick   # 1k and 10k only

Naive: TfidfVectorizer over one text per expert, cosine_similarity against the whole matrix,
argsort. Ours: ExpertMatcher.rank end to end -- request text in, filtered (default RankFilters:
vetted, capacity, availability, plus one excluded organisation) and explained top 20 out.
Figures, not assertions.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics.pairwise import cosine_similarity  # noqa: E402

from expertnet.matching import ExpertMatcher, MatchQuery, RankFilters  # noqa: E402
from synthetic import Network, profile_text  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class PeakMemory:
    """Samples resident memory every few milliseconds while a block runs."""

    def __enter__(self):
        self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())


def latencies(run, requests) -> np.ndarray:
    times = []
    for request in requests:
        start = time.perf_counter()
        run(request)
        times.append(time.perf_counter() - start)
    return np.array(times) * 1000


def naive_ranker(texts):
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform(texts)

    def rank(request: str):
        scores = cosine_similarity(vectorizer.transform([request]), matrix).ravel()
        return np.argsort(-scores)[:20]
    return vectorizer, matrix, rank


def measure(n_experts: int, n_requests: int, n_naive_requests: int) -> dict:
    network = Network(seed=n_experts)
    started = time.perf_counter()
    profiles = [network.profile(i) for i in range(n_experts)]
    requests = [network.request() for _ in range(n_requests)]
    texts = [profile_text(p) for p in profiles]
    print(f"  [{n_experts:,}] generated in {time.perf_counter() - started:.1f}s; "
          f"{sum(len(p.documents) for p in profiles):,} documents", flush=True)
    out = {}
    gc.collect()
    base = rss_bytes()
    with PeakMemory() as memory:
        start = time.perf_counter()
        matcher = ExpertMatcher().fit(profiles)
        out["fit"] = time.perf_counter() - start
    out["peak"], out["rise"] = memory.peak, memory.peak - base
    filters = RankFilters(exclude_organisation_ids=frozenset({1}))
    matcher.rank(MatchQuery(requests[0]), k=20, filters=filters)  # warm caches as a server would be
    out["ours"] = latencies(lambda r: matcher.rank(MatchQuery(r), k=20, filters=filters), requests)
    update_times = []
    for i in range(5):
        replacement = network.profile(i)  # a changed profile for an existing expert
        start = time.perf_counter()
        matcher.update(replacement)
        update_times.append(time.perf_counter() - start)
    out["update"] = float(np.median(update_times)) * 1000
    del matcher
    gc.collect()
    start = time.perf_counter()
    vectorizer, matrix, naive = naive_ranker(texts)
    out["naive_fit"] = time.perf_counter() - start
    out["naive"] = latencies(naive, requests[:n_naive_requests])
    return out


def report(n: int, r: dict) -> None:
    ours, naive = r["ours"], r["naive"]
    print(f"{n:>8,} experts | fit ours {r['fit']:6.1f}s  naive TfidfVectorizer.fit_transform {r['naive_fit']:6.1f}s "
          f"(ratio {r['fit'] / r['naive_fit']:.2f}) | peak RSS {r['peak'] / 2**20:,.0f} MiB (+{r['rise'] / 2**20:,.0f} MiB for fit)")
    print(f"{'':>8} latency ms  ours median {np.median(ours):6.2f} p95 {np.percentile(ours, 95):6.2f} "
          f"(n={len(ours)}) | naive median {np.median(naive):7.2f} p95 {np.percentile(naive, 95):7.2f} (n={len(naive)}) "
          f"| speed-up median {np.median(naive) / np.median(ours):5.1f}x  p95 {np.percentile(naive, 95) / np.percentile(ours, 95):5.1f}x "
          f"| one-profile update {r['update']:.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k and 10k experts only")
    args = parser.parse_args()
    sizes = [(1_000, 300, 100), (10_000, 300, 60)] + ([] if args.quick else [(100_000, 300, 25)])
    print(f"matching speed: {os.cpu_count()} cores; requests 60-150 tokens; profiles 150-400 tokens in 3-7 documents")
    for n, n_requests, n_naive in sizes:
        report(n, measure(n, n_requests, n_naive))


if __name__ == "__main__":
    main()
