"""How much the request's own signals (ticked topics, asked-for languages, the request's place) help, and
the sizes ExpertMatcher's defaults come from (issue 14, item 3), on the hand-written evaluation set.

    .venv/bin/python benchmarks/matching_signals.py            # ~1 min on one core

The set (benchmarks/data/matching_eval/{a,b}.json: 200 experts, 60 requests graded 0-3 by reading) is
ranked as one network, the way the bridge does it: each expert covers their country and regions, each
request asks for its languages and sits in its country and that country's regions (geography.regions_of).
1. The grid of topic_bonus x language_bonus x region_bonus is tuned with evaluation.tune() on a
   train split, scored once on a held-out split (seeds 0..4: a range, since 60 requests are few), and
   cross-fitted (each request scored with the sizes chosen on the other half).
2. Each signal's effect: NDCG@10 with the chosen sizes minus the same with that one signal off, over the
   requests that carry the signal, with a paired bootstrap interval.
Figures, not assertions.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from expertnet.geography import regions_of  # noqa: E402
from expertnet.matching import Document, ExpertMatcher, ExpertProfile, MatchQuery, Topic  # noqa: E402
from expertnet.matching.estimator import DEFAULT_SIGNALS  # noqa: E402
from expertnet.matching.evaluation import (  # noqa: E402
    JudgedQuery, cross_fitted, evaluate, paired_bootstrap, per_query, split, summarise, tune, with_params)

SET = ROOT / "benchmarks" / "data" / "matching_eval"
GRID = {"topic_bonus": [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0],
        "language_bonus": [0.0, 0.1, 0.25, 0.5, 1.0],
        "region_bonus": [0.0, 0.05, 0.1, 0.2, 0.3]}
SIGNALS = {"topic_bonus": lambda q: bool(q.query.topics), "language_bonus": lambda q: bool(q.query.languages),
           "region_bonus": lambda q: bool(q.query.region)}


def expert_id(key: str) -> int:
    """'a001' -> 1, 'b001' -> 1001."""
    return (0 if key[0] == "a" else 1000) + int(key[1:])


def load() -> tuple[list[Topic], list[ExpertProfile], list[JudgedQuery]]:
    topics = [Topic.from_dict(t) for t in json.loads((ROOT / "expertnet" / "taxonomy" / "topics.json").read_text("utf-8"))]
    profiles, judged = [], []
    for part in ("a", "b"):
        data = json.loads((SET / f"{part}.json").read_text("utf-8"))
        for e in data["experts"]:
            places = [*e.get("regions", []), *([e["country"]] if e.get("country") else [])]
            profiles.append(ExpertProfile(expert_id(e["key"]), [Document(d["kind"], d["text"]) for d in e["documents"]],
                                          topics=dict(e.get("topics") or {}), languages=frozenset(e.get("languages", [])),
                                          regions=frozenset(places)))
        for r in data["requests"]:
            query = MatchQuery(r["text"], topics=tuple(r.get("topics") or ()), languages=frozenset(r.get("languages") or ()),
                               region=r.get("country") or None, regions=regions_of(r.get("country")))
            judged.append(JudgedQuery(query, {expert_id(k): g for k, g in r["judgments"].items()}, language=r["language"]))
    return topics, profiles, judged


def main() -> None:
    topics, profiles, judged = load()
    base = ExpertMatcher(taxonomy=topics).fit(profiles)
    none = with_params(base, {name: 0.0 for name in GRID})
    print(f"{len(profiles)} experts, {len(judged)} requests; shipped defaults {DEFAULT_SIGNALS}")
    report = {"no signals": evaluate(none, judged, by=lambda q: q.language),
              "shipped defaults": evaluate(base, judged, by=lambda q: q.language)}

    print("\n1. tuning (evaluation.tune: grid chosen on train, scored once on held-out, 30% held out)")
    chosen_counts: dict[tuple, int] = {}
    for seed in range(5):
        train, held_out = split(judged, 0.3, seed=seed)
        result = tune(none, GRID, train, held_out)
        key = tuple(result.best_params[name] for name in GRID)
        chosen_counts[key] = chosen_counts.get(key, 0) + 1
        print(f"   seed {seed}: chose {result.best_params}; train NDCG@10 {result.train_before:.3f} -> "
              f"{result.train_after:.3f}; held-out {result.held_out_before:.3f} -> {result.held_out_after:.3f}")
    rows_none = per_query(none, judged)
    rows_cross = cross_fitted(none, GRID, judged, folds=2, seed=0)
    diff = paired_bootstrap(rows_cross[:, 0], rows_none[:, 0])
    print(f"   cross-fitted (2 folds): NDCG@10 {summarise(rows_cross).ndcg:.3f} vs no signals "
          f"{summarise(rows_none).ndcg:.3f}: {diff[0]:+.3f} [{diff[1]:+.3f}, {diff[2]:+.3f}]")
    whole = tune(none, GRID, judged, judged)  # every request: where the sizes to ship come from
    print(f"   on all {len(judged)} requests the grid's best is {whole.best_params} (NDCG@10 {whole.train_after:.3f})")
    scored = {tuple(p[name] for name in GRID): value for p, value in whole.per_candidate}
    shipped = tuple(DEFAULT_SIGNALS[name] for name in GRID)
    print(f"   at the shipped sizes {DEFAULT_SIGNALS}: {scored.get(shipped, float('nan')):.4f}; each size varied alone:")
    for position, name in enumerate(GRID):
        curve = [(value, scored[shipped[:position] + (value,) + shipped[position + 1:]]) for value in GRID[name]
                 if shipped[:position] + (value,) + shipped[position + 1:] in scored]
        print(f"     {name:15s} " + "  ".join(f"{value:g}: {ndcg:.4f}" for value, ndcg in curve))

    print("\n2. each signal's effect at the shipped sizes (NDCG@10 with it minus without it, on requests that carry it)")
    rows_base = per_query(base, judged)
    for name, carries in SIGNALS.items():
        without = with_params(base, {name: 0.0})
        mine = np.array([carries(q) for q in judged])
        rows_without = per_query(without, judged)
        effect = paired_bootstrap(rows_base[mine, 0], rows_without[mine, 0])
        print(f"   {name:15s} {int(mine.sum()):2d} requests: {summarise(rows_without[mine]).ndcg:.3f} -> "
              f"{summarise(rows_base[mine]).ndcg:.3f}  {effect[0]:+.3f} [{effect[1]:+.3f}, {effect[2]:+.3f}]")

    print("\n3. NDCG@10 / MRR by request language")
    for name, scores in report.items():
        print(f"   {name:17s} " + "  ".join(f"{key} {s.ndcg:.3f}/{s.mrr:.3f} (n={s.n})" for key, s in scores.items()))


if __name__ == "__main__":
    main()
