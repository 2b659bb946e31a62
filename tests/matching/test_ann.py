"""Issue 14 (speed): the dense part's candidates come from a graph over the experts' centroids (ann.py), scored
exactly and bounded (hybrid._dense_parts): the top k equals brute force's, the graph is saved and memory-mapped
with the index, and selective filters or small collections skip it."""
import hashlib

import numpy as np
import pytest

from expertnet.matching import ExpertMatcher, MatchQuery, RankFilters, VectorCache, ann, hybrid
from expertnet.matching.dense import TextEncoder, unit_rows
from expertnet.matching.errors import IndexFormatError
from expertnet.matching.persistence import ANN_FILE

from .test_ranking import WORDS, random_profiles

N_EXPERTS = 3_000


class TopicEncoder(TextEncoder):
    """Unit vectors near one of a few 'topic' directions, fixed per text (seeded by its hash): cosines spread
    as a real encoder's do, many experts close to each request."""

    name, dim = "test-topic-vectors", 64

    def __init__(self):
        self.directions = np.random.default_rng(0).standard_normal((12, self.dim)).astype(np.float32)

    def encode_documents(self, texts):
        seeds = [int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") for t in texts]
        noise = np.stack([np.random.default_rng(s).standard_normal(self.dim) for s in seeds]) if seeds else \
            np.zeros((0, self.dim))
        return unit_rows((self.directions[[s % 12 for s in seeds]] + 0.8 * noise).astype(np.float32))


@pytest.fixture(scope="module")
def network():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ann, "MIN_EXPERTS", 1_000)  # a graph for this small network (5,000 experts by default)
        matcher = ExpertMatcher(encoder=TopicEncoder(), vector_cache=VectorCache()).fit(
            random_profiles(7, n=N_EXPERTS))
    assert matcher.segments_[0].dense.ann is not None
    rng = np.random.default_rng(3)
    requests = [" ".join(rng.choice(WORDS, size=12)) for _ in range(40)]
    return matcher, requests


@pytest.fixture
def graph_used(monkeypatch):
    """Every ranking consults the graph unless filters leave at most EXACT_ELIGIBLE experts; counts searches."""
    monkeypatch.setattr(hybrid, "EXACT_ELIGIBLE", 100)
    calls = []
    search = ann.CentroidIndex.search
    monkeypatch.setattr(ann.CentroidIndex, "search", lambda self, *a: calls.append(1) or search(self, *a))
    return calls


def same_ranking(ranked, expected) -> bool:
    """Same experts in the same order with the same reasons; scores and shares equal up to float32 rounding
    (a product over some centroid rows may round the last bit differently from one over all of them)."""
    return [(e.expert_id, [(r.label, r.kind) for r in e.reasons]) for e in ranked] == \
        [(e.expert_id, [(r.label, r.kind) for r in e.reasons]) for e in expected] and \
        [e.score for e in ranked] == pytest.approx([e.score for e in expected], rel=1e-6) and \
        [r.share for e in ranked for r in e.reasons] == pytest.approx([r.share for e in expected for r in e.reasons], rel=1e-5)


def brute_force(matcher, query, k, filters=None):
    graph = matcher.segments_[0].dense.ann
    matcher.segments_[0].dense.ann = None
    try:
        return matcher.rank(query, k=k, filters=filters)
    finally:
        matcher.segments_[0].dense.ann = graph


def test_graph_candidates_give_the_brute_force_top_k(network, graph_used):
    matcher, requests = network
    found = same = 0
    for text in requests:
        fast, exact = matcher.rank(MatchQuery(text), k=10), brute_force(matcher, MatchQuery(text), 10)
        ids, exact_ids = [e.expert_id for e in fast.experts], [e.expert_id for e in exact.experts]
        found += len(set(ids) & set(exact_ids))
        same += same_ranking(fast.experts, exact.experts)  # scores and reasons too
    assert len(graph_used) == len(requests)
    assert found / (10 * len(requests)) >= 0.99
    # A threaded graph build links nodes in no fixed order, so which experts it misses varies from build to build;
    # each missed expert changes one request's ranking, so the bound above (at most 4 of 400 missed) allows up to
    # 4 of 40 rankings to differ. Measured: 39-40 alike on a quiet machine, 36 while the PostgreSQL pass ran beside.
    assert same >= 0.9 * len(requests)


def test_selective_filters_score_the_eligible_experts_exactly_without_the_graph(network, graph_used):
    matcher, requests = network
    few = RankFilters(exclude_ids=frozenset(range(50, N_EXPERTS)), vetted_only=False, require_capacity=False,
                      require_available=False)
    for text in requests[:10]:
        result = matcher.rank(MatchQuery(text), k=10, filters=few)
        assert same_ranking(result.experts, brute_force(matcher, MatchQuery(text), 10, few).experts)
        assert {e.expert_id for e in result.experts} <= set(range(50))
    assert graph_used == []


def test_every_expert_asked_for_is_brute_force(network, graph_used):
    matcher, requests = network
    assert same_ranking(matcher.rank(MatchQuery(requests[0]), k=None).experts,
                        brute_force(matcher, MatchQuery(requests[0]), None).experts)
    assert graph_used == []


def test_small_collections_have_no_graph():
    matcher = ExpertMatcher(encoder=TopicEncoder()).fit(random_profiles(8, n=200))
    assert matcher.segments_[0].dense.ann is None
    assert matcher.rank(MatchQuery(" ".join(WORDS[:6])), k=5).experts


def test_the_graph_is_saved_and_memory_mapped(network, graph_used, tmp_path):
    matcher, requests = network
    matcher.save(tmp_path)
    assert (tmp_path / matcher.version_ / ANN_FILE).exists()
    loaded = ExpertMatcher.load(tmp_path, mmap=True, encoder=TopicEncoder())
    block = loaded.segments_[0].dense
    assert block.ann is not None and block.ann.size == matcher.segments_[0].dense.ann.size
    assert isinstance(block.centroids, np.memmap) and isinstance(block.vectors, np.memmap)  # not recomputed
    for text in requests[:10]:
        assert loaded.rank(MatchQuery(text), k=10).experts == matcher.rank(MatchQuery(text), k=10).experts
    assert len(graph_used) == 20
    in_memory = ExpertMatcher.load(tmp_path, mmap=False, encoder=TopicEncoder())
    assert in_memory.rank(MatchQuery(requests[0]), k=10).experts == matcher.rank(MatchQuery(requests[0]), k=10).experts


def test_a_damaged_graph_is_an_index_format_error(network, tmp_path):
    matcher, _ = network
    matcher.save(tmp_path)
    (tmp_path / matcher.version_ / ANN_FILE).write_bytes(b"not a graph")
    with pytest.raises(IndexFormatError):
        ExpertMatcher.load(tmp_path, encoder=TopicEncoder())
