"""Judging a ranker against graded judgments, and tuning its parameters on them without fooling itself.

    judged = [JudgedQuery(MatchQuery("..."), {17: 3, 42: 1}, language="ar"), ...]
    evaluate(matcher, judged, by=lambda q: q.language)    # {"all": Scores(...), "ar": Scores(...), ...}
    result = tune(matcher, {"language_preference": [0.0, 0.1]}, train, held_out)

Grades are 0-3 (absent = 0). NDCG uses the gain 2^grade - 1; MRR and recall count an expert with
grade >= 2 as relevant. Used by benchmarks/matching_quality.py and by `flask matching evaluate/tune`.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid

from .models import MatchQuery, RankFilters

RELEVANT_GRADE = 2
# Parameters read while fitting: changing one means fitting the profiles again. Every other
# parameter is read at rank time, so a candidate shares the fitted index.
FIT_PARAMS = frozenset({"taxonomy", "field_weights", "ngram_range", "concept_weight", "bigram_min_df", "encoder",
                        "n_jobs"})
# Judging ranks every expert the judgments could name, whatever their capacity or availability today.
JUDGING_FILTERS = RankFilters(vetted_only=False, require_capacity=False, require_available=False)


@dataclass(frozen=True)
class JudgedQuery:
    query: MatchQuery
    judgments: Mapping[int, int]  # expert id -> grade 0..3
    language: str = "en"
    group: str = ""  # what a report splits by besides language: a month, a part of a set...
    filters: RankFilters = JUDGING_FILTERS


@dataclass(frozen=True)
class Scores:
    ndcg: float
    mrr: float
    recall: float
    n: int


@dataclass(frozen=True)
class TuneResult:
    best_params: dict
    train_before: float
    train_after: float
    held_out_before: float
    held_out_after: float
    tried: int
    per_candidate: list[tuple[dict, float]] = field(default_factory=list)

    @property
    def improved(self) -> bool:
        return self.held_out_after > self.held_out_before


def ndcg_at_k(ranked_ids: Sequence[int], judgments: Mapping[int, int], k: int = 10) -> float:
    ideal = sorted((2 ** g - 1 for g in judgments.values() if g > 0), reverse=True)[:k]
    if not ideal:
        return 0.0
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    gained = [2 ** judgments.get(i, 0) - 1 for i in list(ranked_ids)[:k]]
    return float(np.dot(gained, discounts[:len(gained)]) / np.dot(ideal, discounts[:len(ideal)]))


def mrr(ranked_ids: Sequence[int], judgments: Mapping[int, int]) -> float:
    return next((1.0 / rank for rank, i in enumerate(ranked_ids, 1) if judgments.get(i, 0) >= RELEVANT_GRADE), 0.0)


def recall_at_k(ranked_ids: Sequence[int], judgments: Mapping[int, int], k: int = 10) -> float:
    relevant = {i for i, g in judgments.items() if g >= RELEVANT_GRADE}
    if not relevant:
        return 0.0
    return len(relevant.intersection(list(ranked_ids)[:k])) / len(relevant)


def ranked_ids(matcher, judged: JudgedQuery, k: int = 10) -> list[int]:
    return [expert.expert_id for expert in matcher.rank(judged.query, k=k, filters=judged.filters).experts]


def per_query(matcher, judged: Iterable[JudgedQuery], k: int = 10) -> np.ndarray:
    """(n_queries, 3) array of NDCG@k, MRR, recall@k: the unit paired comparisons are made of."""
    rows = []
    for item in judged:
        ranked = ranked_ids(matcher, item, k)
        rows.append((ndcg_at_k(ranked, item.judgments, k), mrr(ranked, item.judgments), recall_at_k(ranked, item.judgments, k)))
    return np.array(rows, dtype=float).reshape(-1, 3)


def summarise(rows: np.ndarray) -> Scores:
    if len(rows) == 0:
        return Scores(0.0, 0.0, 0.0, 0)
    ndcg, reciprocal, recall = rows.mean(axis=0).tolist()
    return Scores(ndcg, reciprocal, recall, len(rows))


def evaluate(matcher, judged: Sequence[JudgedQuery], k: int = 10,
             by: Callable[[JudgedQuery], str] | None = None) -> dict[str, Scores]:
    """Mean scores over all queries ("all") and per value of `by` (e.g. the request's language)."""
    rows = per_query(matcher, judged, k)
    report = {"all": summarise(rows)}
    if by is not None:
        keys = np.array([by(item) for item in judged], dtype=object)
        for key in sorted(set(keys.tolist())):
            report[key] = summarise(rows[keys == key])
    return report


def mean_ndcg(matcher, judged: Sequence[JudgedQuery], k: int = 10) -> float:
    return summarise(per_query(matcher, judged, k)).ndcg


def with_params(matcher, params: dict, profiles=None):
    """A copy of a fitted matcher with `params` set; fitted again on `profiles` when a fit parameter changes."""
    if FIT_PARAMS.intersection(params):
        if profiles is None:
            raise ValueError(f"tuning {sorted(FIT_PARAMS.intersection(params))} needs the profiles to fit again")
        return clone(matcher).set_params(**params).fit(profiles)
    candidate = copy.copy(matcher)  # shares the fitted arrays; only plain parameters differ
    return candidate.set_params(**params)


def grid_scores(matcher, grid: Mapping[str, Sequence], judged: Sequence[JudgedQuery], profiles=None,
                k: int = 10) -> list[tuple[dict, float]]:
    """(parameters, mean NDCG@k on `judged`) for every point of the grid. Each combination of fit parameters
    is fitted once and shared by the rank-time points tried on it (fit combinations outer, in grid order)."""
    fit_grid = {name: list(values) for name, values in grid.items() if name in FIT_PARAMS}
    rank_grid = {name: list(values) for name, values in grid.items() if name not in FIT_PARAMS}
    scored: list[tuple[dict, float]] = []
    for fit_params in ParameterGrid(fit_grid):
        fitted = with_params(matcher, fit_params, profiles) if fit_params else matcher
        scored += [({**fit_params, **params}, mean_ndcg(with_params(fitted, params), judged, k))
                   for params in ParameterGrid(rank_grid)]
    if not scored:
        raise ValueError("the grid is empty")
    return scored


def best_params(matcher, grid: Mapping[str, Sequence], judged: Sequence[JudgedQuery], profiles=None, k: int = 10) -> dict:
    return max(grid_scores(matcher, grid, judged, profiles, k), key=lambda item: item[1])[0]  # first of equals


def tune(matcher, grid: Mapping[str, Sequence], train: Sequence[JudgedQuery], held_out: Sequence[JudgedQuery],
         profiles=None, k: int = 10) -> TuneResult:
    """The grid point with the best mean NDCG@k on `train`, scored once on `held_out` against the
    matcher as it is. The held-out set never chooses anything, so its before/after is an honest
    estimate; callers keep the new parameters only when `improved`."""
    candidates = grid_scores(matcher, grid, train, profiles, k)
    chosen, chosen_train = max(candidates, key=lambda item: item[1])
    return TuneResult(best_params=chosen, train_before=mean_ndcg(matcher, train, k), train_after=chosen_train,
                      held_out_before=mean_ndcg(matcher, held_out, k),
                      held_out_after=mean_ndcg(with_params(matcher, chosen, profiles), held_out, k),
                      tried=len(candidates), per_candidate=candidates)


def split(judged: Sequence[JudgedQuery], held_out_share: float, seed: int = 0) -> tuple[list, list]:
    """(train, held_out) by query, shuffled with `seed`; each side keeps at least one query."""
    if not 0.0 < held_out_share < 1.0:
        raise ValueError("held_out_share must be between 0 and 1")
    if len(judged) < 2:
        raise ValueError("at least two judged queries are needed to hold some out")
    order = np.random.default_rng(seed).permutation(len(judged))
    n_held = min(len(judged) - 1, max(1, round(len(judged) * held_out_share)))
    held = set(order[:n_held].tolist())
    return ([q for i, q in enumerate(judged) if i not in held], [q for i, q in enumerate(judged) if i in held])


def cross_fitted(matcher, grid: Mapping[str, Sequence], judged: Sequence[JudgedQuery], folds: int = 2, seed: int = 0,
                 profiles=None, k: int = 10) -> np.ndarray:
    """Per-query rows (as per_query) where each query is scored with parameters tuned on the other
    folds only: how a tuned configuration does on requests it was not tuned on."""
    order = np.random.default_rng(seed).permutation(len(judged))
    rows = np.zeros((len(judged), 3))
    for fold in range(folds):
        test_positions = order[fold::folds]
        test_set = set(test_positions.tolist())
        train = [q for i, q in enumerate(judged) if i not in test_set]
        chosen = best_params(matcher, grid, train, profiles, k)
        rows[test_positions] = per_query(with_params(matcher, chosen, profiles), [judged[i] for i in test_positions], k)
    return rows


def paired_bootstrap(a: np.ndarray, b: np.ndarray, n_resamples: int = 5000, seed: int = 0,
                     confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean of a - b over queries and its bootstrap interval (queries resampled together)."""
    differences = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if len(differences) == 0:
        return 0.0, 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = differences[rng.integers(0, len(differences), size=(n_resamples, len(differences)))].mean(axis=1)
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(differences.mean()), float(low), float(high)
