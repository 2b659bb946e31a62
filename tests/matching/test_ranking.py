"""Inverted-index scores against the straightforward computation; top-k against full sorting."""
import numpy as np
import pytest

from expertnet.matching import Document, ExpertMatcher, ExpertProfile, MatchQuery, RankFilters
from expertnet.matching.index import QueryVector

WORDS = [f"w{i}x" for i in range(300)]


def random_profiles(seed, n=120):
    rng = np.random.default_rng(seed)
    p = 1 / np.arange(1, len(WORDS) + 1)
    p /= p.sum()
    kinds = ["headline", "statement", "biography", "experience", "publication"]
    return [ExpertProfile(i, [Document(kinds[d % 5], " ".join(rng.choice(WORDS, size=rng.integers(3, 40), p=p)))
                              for d in range(rng.integers(0, 6))]) for i in range(n)]


def reference_scores(matcher, text):
    """Dense, obvious computation of blend = a*centroid + (1-a)*max weighted document cosine."""
    idx, w = matcher._query_vector(MatchQuery(text))
    q = np.zeros(matcher.vocabulary_.n_features)
    q[idx] = w
    segment = matcher.segments_[0]
    docs = segment.docs.toarray().astype(np.float64)
    summed = np.zeros((len(segment), docs.shape[1]))
    for expert, (a, b) in enumerate(zip(segment.doc_starts[:-1], segment.doc_starts[1:])):
        summed[expert] = segment.field_weight[a:b] @ docs[a:b]
    norms = np.linalg.norm(summed, axis=1)
    centroid = (summed / np.where(norms > 0, norms, 1.0)[:, None]) @ q
    documents = docs @ q * segment.field_weight / segment.max_weight
    best = np.array([documents[a:b].max() if b > a else 0.0 for a, b in zip(segment.doc_starts[:-1], segment.doc_starts[1:])])
    share = matcher._centroid_share
    return dict(zip(segment.attributes.expert_ids.tolist(), share * centroid + (1 - share) * best))


@pytest.mark.parametrize("aggregation", ["centroid", "max", "blend"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_index_scores_equal_straightforward_sparse_computation(aggregation, seed):
    matcher = ExpertMatcher(aggregation=aggregation).fit(random_profiles(seed))
    rng = np.random.default_rng(seed + 100)
    for _ in range(5):
        text = " ".join(rng.choice(WORDS[:150], size=12))
        expected = reference_scores(matcher, text)
        got = {e.expert_id: e.score for e in matcher.rank(MatchQuery(text), k=None, filters=RankFilters()).experts}
        assert set(got) == set(expected)
        for expert_id, score in got.items():
            assert score == pytest.approx(expected[expert_id], abs=1e-6)


@pytest.mark.parametrize("seed", [3, 4])
def test_top_k_matches_full_sorting(seed):
    matcher = ExpertMatcher().fit(random_profiles(seed, n=300))
    rng = np.random.default_rng(seed)
    for _ in range(5):
        text = " ".join(rng.choice(WORDS, size=20))
        full = [(e.expert_id, e.score) for e in matcher.rank(text, k=None).experts if e.score > 0]
        for k in (1, 5, 20, 100):
            top = [(e.expert_id, e.score) for e in matcher.rank(text, k=k).experts]
            assert [i for i, _ in top] == [i for i, _ in full[:k]]
            assert [s for _, s in top] == pytest.approx([s for _, s in full[:k]])


def test_ties_are_broken_by_expert_id():
    profiles = [ExpertProfile(i, [Document("statement", "customs precursor")]) for i in (9, 3, 7)]
    assert [e.expert_id for e in ExpertMatcher().fit(profiles).rank("customs").experts] == [3, 7, 9]


def test_scores_are_absolute_and_a_weak_best_match_is_flagged(matcher):
    strong = matcher.rank(MatchQuery("customs targeting HS codes risk profiling"))
    assert not strong.weak and strong.experts[0].score > 0.3
    best_weak = matcher.rank(MatchQuery("chemical")).experts[0].score
    assert best_weak < strong.experts[0].score
    matcher.set_params(strong_match_threshold=best_weak + 0.01)
    assert matcher.rank(MatchQuery("chemical")).weak and not matcher.rank(MatchQuery("customs targeting HS codes")).weak


def test_query_vector_buffer_is_clean_after_use(matcher):
    matcher.rank("customs precursor")
    with QueryVector(np.zeros(0, np.int64), np.zeros(0), matcher.vocabulary_.n_features) as vector:
        assert not vector.dense.any()


@pytest.mark.parametrize("seed", [5, 6])
@pytest.mark.parametrize("aggregation", ["centroid", "max", "blend"])
def test_top_k_matches_full_sorting_with_bonus_and_every_aggregation(seed, aggregation):
    matcher = ExpertMatcher(aggregation=aggregation).fit(random_profiles(seed, n=400))
    rng = np.random.default_rng(seed)
    for _ in range(8):
        text = " ".join(rng.choice(WORDS, size=rng.integers(3, 30)))
        query = MatchQuery(text, languages=frozenset({"en"}))
        full = [(e.expert_id, e.score) for e in matcher.rank(query, k=None).experts if e.score > 0]
        for k in (1, 3, 10, 50):
            top = [(e.expert_id, e.score) for e in matcher.rank(query, k=k).experts]
            assert [i for i, _ in top] == [i for i, _ in full[:k]]
            assert [s for _, s in top] == pytest.approx([s for _, s in full[:k]])
