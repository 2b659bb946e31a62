"""Inverted-index scores against the straightforward computation; top-k against full sorting."""
import numpy as np
import pytest
import scipy.sparse as sp

from expertnet.matching import Document, ExpertMatcher, ExpertProfile, MatchQuery, RankFilters
from expertnet.matching.index import postings_matvec

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


@pytest.mark.parametrize("aggregation", ["centroid", "max", "blend"])
def test_experts_with_more_documents_than_the_score_grid_are_scored_exactly(aggregation):
    """Most experts have two documents, so the grid is two wide; the others' documents overflow."""
    rng = np.random.default_rng(11)
    profiles = random_profiles(11, n=200)
    for i in range(0, 200, 25):  # every 25th expert gets 3-40 documents (past MAX_SLOT_WIDTH too)
        profiles[i] = ExpertProfile(i, [Document("publication", " ".join(rng.choice(WORDS[:60], size=8)))
                                        for _ in range(rng.integers(3, 41))])
    for i in range(200):
        if i % 25 and len(profiles[i].documents) != 2:
            profiles[i] = ExpertProfile(i, [Document("statement", " ".join(rng.choice(WORDS, size=10))) for _ in range(2)])
    matcher = ExpertMatcher(aggregation=aggregation).fit(profiles)
    layout = matcher.segments_[0].layout
    assert layout.width == 2 and len(layout.overflow_experts) == 8
    for _ in range(5):
        text = " ".join(rng.choice(WORDS[:60], size=12))
        expected = reference_scores(matcher, text)
        got = {e.expert_id: e.score for e in matcher.rank(MatchQuery(text), k=None, filters=RankFilters()).experts}
        assert got == pytest.approx(expected, abs=1e-6)
        top = matcher.rank(MatchQuery(text), k=5, filters=RankFilters()).experts
        assert [e.expert_id for e in top] == sorted(expected, key=lambda i: (-expected[i], i))[:5]


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


@pytest.mark.parametrize("seed", range(4))
def test_postings_matvec_equals_the_obvious_slice_and_product(seed):
    """The copy-free mat-vec reads exactly the postings of the requested rows (first, last, empty rows too)."""
    rng = np.random.default_rng(seed)
    terms = sp.random(60, 500, density=0.05, format="csr", dtype=np.float32, random_state=seed)
    terms = sp.csr_matrix(sp.diags((np.arange(60) != 7).astype(np.float32)) @ terms)  # row 7 empty
    terms.eliminate_zeros()
    assert terms[7].nnz == 0
    terms = sp.csr_matrix((terms.data, terms.indices.astype(np.int32), terms.indptr.astype(np.int32)), shape=terms.shape)
    for features in (np.arange(60), np.array([0]), np.array([59]), np.array([0, 7, 59]),
                     np.sort(rng.choice(60, size=17, replace=False)), np.zeros(0, np.int64)):
        weights = rng.random(len(features))
        expected = terms[features].T @ weights if len(features) else np.zeros(500)
        assert postings_matvec(terms, features, weights) == pytest.approx(expected, rel=1e-5, abs=1e-6)
