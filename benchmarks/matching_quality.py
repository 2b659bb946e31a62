"""Ranking quality on the labelled set in benchmarks/data/quality_set.json.

    .venv/bin/python benchmarks/matching_quality.py

Reports NDCG@10 (gain 2^grade - 1), MRR (first expert with grade >= 2) and recall@10 (grade >= 2)
for: a plain TF-IDF baseline (TfidfVectorizer over one text per expert, cosine), the shipped
ExpertMatcher configuration, and the same matcher with every profile collapsed into one document.
Figures, not assertions.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics.pairwise import cosine_similarity  # noqa: E402

from expertnet.matching import Document, ExpertMatcher, ExpertProfile, MatchQuery, RankFilters, Topic  # noqa: E402

HERE = Path(__file__).resolve().parent
NO_FILTERS = RankFilters(vetted_only=False, require_capacity=False, require_available=False)


def load():
    data = json.loads((HERE / "data" / "quality_set.json").read_text(encoding="utf-8"))
    topics = [Topic.from_dict(t) for t in json.loads((HERE.parent / "expertnet" / "taxonomy" / "topics.json").read_text(encoding="utf-8"))]
    return data, topics


def profiles(data, collapsed=False):
    out = []
    for e in data["experts"]:
        docs = [Document(d["kind"], d["text"]) for d in e["documents"]]
        if collapsed:
            docs = [Document("statement", "\n".join(d.text for d in docs))]
        out.append(ExpertProfile(e["expert_id"], docs, topics=e["topics"], languages=frozenset(e["languages"])))
    return out


def ndcg(ranked, judgments, k=10):
    gains = [2 ** judgments.get(str(i), 0) - 1 for i in ranked[:k]]
    dcg = sum(g / np.log2(r + 2) for r, g in enumerate(gains))
    ideal = sorted((2 ** g - 1 for g in judgments.values()), reverse=True)[:k]
    return dcg / sum(g / np.log2(r + 2) for r, g in enumerate(ideal))


def mrr(ranked, judgments):
    return next((1 / (r + 1) for r, i in enumerate(ranked) if judgments.get(str(i), 0) >= 2), 0.0)


def recall(ranked, judgments, k=10):
    relevant = {i for i, g in judgments.items() if g >= 2}
    return len(relevant & {str(i) for i in ranked[:k]}) / len(relevant)


def evaluate(rank_fn, requests):
    rows = {"all": [], "en": [], "ar": []}
    for item in requests:
        ranked = rank_fn(item["text"])
        scores = (ndcg(ranked, item["judgments"]), mrr(ranked, item["judgments"]), recall(ranked, item["judgments"]))
        rows["all"].append(scores)
        rows[item["language"]].append(scores)
    return {k: np.mean(v, axis=0) for k, v in rows.items() if v}


def baseline(data):
    ids = [e["expert_id"] for e in data["experts"]]
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform("\n".join(d["text"] for d in e["documents"]) for e in data["experts"])

    def rank(text):
        scores = cosine_similarity(vectorizer.transform([text]), matrix).ravel()
        return [ids[i] for i in np.argsort(-scores, kind="stable")[:10] if scores[i] > 0]
    return rank


def matcher_ranker(matcher):
    return lambda text: [e.expert_id for e in matcher.rank(MatchQuery(text), k=10, filters=NO_FILTERS).experts]


def main():
    data, topics = load()
    requests = data["requests"]
    systems = {
        "plain TF-IDF baseline": baseline(data),
        "shipped ExpertMatcher": matcher_ranker(ExpertMatcher(taxonomy=topics).fit(profiles(data))),
        "single-document profiles": matcher_ranker(ExpertMatcher(taxonomy=topics).fit(profiles(data, collapsed=True))),
        "shipped, no taxonomy": matcher_ranker(ExpertMatcher().fit(profiles(data))),
    }
    n_en = sum(r["language"] == "en" for r in requests)
    print(f"matching quality: {len(data['experts'])} experts, {len(requests)} requests ({n_en} English, {len(requests) - n_en} Arabic), graded 0-3")
    print(f"{'system':<28} {'subset':<5} {'NDCG@10':>8} {'MRR':>7} {'R@10':>7}")
    for name, rank in systems.items():
        for subset, (n, m, r) in evaluate(rank, requests).items():
            print(f"{name:<28} {subset:<5} {n:8.3f} {m:7.3f} {r:7.3f}")


if __name__ == "__main__":
    main()
