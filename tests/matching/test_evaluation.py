"""Judging and tuning a ranker (expertnet.matching.evaluation) on small hand-made judgments."""
import math

import numpy as np
import pytest

from expertnet.matching import ExpertMatcher, MatchQuery
from expertnet.matching.evaluation import (JudgedQuery, cross_fitted, evaluate, mrr, ndcg_at_k, paired_bootstrap,
                                           recall_at_k, split, tune, with_params)

from .conftest import TOPICS


def test_ndcg_by_hand():
    # gains 2^g - 1: ranked (3, 0, 1) against the ideal (3, 1): (7 + 0 + 1/log2(4)) / (7 + 1/log2(3))
    expected = (7 + 1 / 2) / (7 + 1 / math.log2(3))
    assert ndcg_at_k([10, 11, 12], {10: 3, 12: 1}) == pytest.approx(expected)
    assert ndcg_at_k([12, 10], {10: 3, 12: 1}, k=1) == pytest.approx(1 / 7)
    assert ndcg_at_k([1, 2], {}) == 0.0  # nothing relevant: nothing to find


def test_mrr_and_recall_count_grade_two_and_up():
    judgments = {5: 1, 6: 2, 7: 3}
    assert mrr([5, 6, 7], judgments) == pytest.approx(1 / 2)
    assert mrr([5, 9], judgments) == 0.0
    assert recall_at_k([7, 5], judgments, k=2) == pytest.approx(1 / 2)


def test_evaluate_splits_by_language(matcher):
    judged = [JudgedQuery(MatchQuery("customs targeting HS codes"), {2: 3}, language="en"),
              JudgedQuery(MatchQuery("SCADA industrial control systems"), {7: 3}, language="fr")]
    report = evaluate(matcher, judged, by=lambda q: q.language)
    assert report["en"].ndcg == pytest.approx(1.0) and report["en"].mrr == pytest.approx(1.0)
    assert report["fr"].ndcg == 0.0  # expert 7 has written nothing: never ranked
    assert report["all"].n == 2 and report["all"].ndcg == pytest.approx(0.5)


def _tied_pair_judged():
    """Experts 1 and 2 write the same words; the requests ask for Arabic, which only expert 2 speaks."""
    from expertnet.matching import Document, ExpertProfile
    text = "security of chemical stores and stock checks"
    profiles = [ExpertProfile(1, [Document("statement", text)], languages=frozenset({"en"})),
                ExpertProfile(2, [Document("statement", text)], languages=frozenset({"ar"})),
                ExpertProfile(3, [Document("statement", "port warehouses")], languages=frozenset({"ar"}))]
    judged = [JudgedQuery(MatchQuery(words, languages=frozenset({"ar"})), {2: 3, 1: 1})
              for words in ("chemical stores", "stock checks", "security of stores", "chemical stock")]
    return profiles, judged


def test_tune_picks_what_helps_on_train_and_reports_held_out_honestly():
    profiles, judged = _tied_pair_judged()
    matcher = ExpertMatcher(language_bonus=0.0).fit(profiles)
    train, held_out = split(judged, 0.5, seed=1)
    result = tune(matcher, {"language_bonus": [0.0, 0.05]}, train, held_out)
    assert result.best_params == {"language_bonus": 0.05}
    assert result.held_out_after > result.held_out_before and result.improved
    assert matcher.language_bonus == 0.0  # the tuned matcher is a copy


def test_tune_keeps_nothing_when_no_candidate_helps():
    profiles, judged = _tied_pair_judged()
    matcher = ExpertMatcher(language_bonus=0.05).fit(profiles)
    result = tune(matcher, {"language_bonus": [0.05, 0.0]}, *split(judged, 0.5))
    assert result.best_params == {"language_bonus": 0.05} and not result.improved


def test_fit_parameters_are_refitted_and_need_profiles(profiles):
    matcher = ExpertMatcher(taxonomy=TOPICS).fit(profiles)
    with pytest.raises(ValueError, match="needs the profiles"):
        with_params(matcher, {"concept_weight": 0.5})
    refitted = with_params(matcher, {"concept_weight": 0.5}, profiles)
    assert refitted is not matcher and refitted.concept_weight == 0.5 and refitted.n_experts_ == matcher.n_experts_


def test_cross_fitting_scores_every_query_once():
    profiles, judged = _tied_pair_judged()
    matcher = ExpertMatcher(language_bonus=0.0).fit(profiles)
    rows = cross_fitted(matcher, {"language_bonus": [0.0, 0.05]}, judged, folds=2)
    assert rows.shape == (4, 3) and np.allclose(rows[:, 0], 1.0)


def test_split_keeps_both_sides_and_rejects_nonsense():
    queries = [JudgedQuery(MatchQuery(str(i)), {}) for i in range(10)]
    train, held = split(queries, 0.3, seed=4)
    assert len(held) == 3 and len(train) == 7 and not set(map(id, train)) & set(map(id, held))
    with pytest.raises(ValueError):
        split(queries, 1.0)
    with pytest.raises(ValueError):
        split(queries[:1], 0.5)


def test_paired_bootstrap_interval_contains_the_mean():
    a, b = np.array([0.9, 0.8, 0.7, 0.95]), np.array([0.5, 0.6, 0.7, 0.5])
    mean, low, high = paired_bootstrap(a, b, seed=3)
    assert mean == pytest.approx(0.2625) and low <= mean <= high and low > 0
