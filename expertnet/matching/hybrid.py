"""The dense half of ExpertMatcher (a mixin): document vectors at fit/update, the request's vector once per
ranking, the blended score and the one 'meaning' reason.

    score = TF-IDF score (+ language/region bonus) + w * max(cos(request, expert) - floor, 0) / (1 - floor)

w is `dense_weight` where the request and the expert's text share a language and `cross_dense_weight`
where they do not (languages detected by dense.text_language, or given on the Document). The cosine is
against the expert's centroid (field-weighted mean of the document vectors), their best document or the
mean over documents (`dense_aggregation`). With `encoder=None` nothing here runs: TF-IDF only.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import dense
from .index import rows_by_segment
from .models import ExpertProfile, Reason

# Defaults: the point evaluation.tune chose on a seeded half of the requests of the hand-written set
# benchmarks/data/matching_eval/*.json (matching_quality.GRID, 324 points: dense_weight 0-0.5, cross_dense_weight
# 0.2-1.0, dense_floor 0.1-0.3, three aggregations), with the request's own signals at their shipped sizes;
# `.venv/bin/python benchmarks/matching_quality.py` prints the choice, 2026-12-07. Over all 60 requests it scores
# NDCG@10 within 0.005 of the grid's best, whose floor of 0.1 lets experts in on faint meaning alone (every
# expert sharing a theme). 'centroid' ties the best of 'mean' and 'max' and is the cheapest (one row per
# expert). Since the set chose them, the benchmark also reports the hybrid 2-fold cross-fitted.
DEFAULT_DENSE_WEIGHT = 0.3
DEFAULT_CROSS_DENSE_WEIGHT = 0.6
DEFAULT_DENSE_AGGREGATION = "centroid"
DEFAULT_DENSE_FLOOR = 0.2

# Candidates from the centroid graph (see HybridMixin._dense_parts): at least ANN_CANDIDATES experts, and
# ANN_CANDIDATES_PER_RESULT per expert asked for; filters leaving at most EXACT_ELIGIBLE experts score them all
# exactly. Measured with benchmarks/matching_speed.py and tests/matching/test_ann.py (2026-12-07).
ANN_CANDIDATES = 200
ANN_CANDIDATES_PER_RESULT = 10
EXACT_ELIGIBLE = 5_000
BOUND_SLACK = 1e-6  # float32 sums: an expert within this (relative) of the k-th score is scored exactly
RESCORE_BLOCK = 256  # experts left open by the bound are scored exactly this many at a time, best bound first
_SAME_AND_OTHER = np.array([0, 1], dtype=np.uint8)  # language codes: the request's (0), another (1)


class DenseQuery(NamedTuple):
    vector: np.ndarray   # (dim,) float32 unit
    language: int        # index into dense.LANGUAGES


class HybridMixin:
    """Methods ExpertMatcher gains for the encoder; they read its parameters encoder, dense_weight,
    cross_dense_weight, dense_floor, dense_aggregation and vector_cache."""

    encoder: dense.TextEncoder | None
    dense_weight: float
    cross_dense_weight: float
    dense_aggregation: str
    dense_floor: float
    vector_cache: dense.VectorCache | None
    vector_cache_: dense.VectorCache
    segments_: list  # of index.Segment, set by ExpertMatcher
    _offsets: np.ndarray

    def _check_dense_params(self) -> None:
        if self.dense_aggregation not in dense.AGGREGATIONS:
            raise ValueError(f"dense_aggregation must be one of {dense.AGGREGATIONS}, got {self.dense_aggregation!r}")
        if self.dense_weight < 0 or self.cross_dense_weight < 0:
            raise ValueError("dense_weight and cross_dense_weight must be >= 0")
        if not 0 <= self.dense_floor < 1:
            raise ValueError("dense_floor must be within [0, 1)")
        if self.encoder is not None and not (getattr(self.encoder, "name", "") and getattr(self.encoder, "dim", 0)):
            raise ValueError("encoder must have a name and a dim (see dense.TextEncoder)")

    def _start_cache(self) -> None:
        """The fitted cache: the one passed in (a previous matcher's vector_cache_), else a new one."""
        self.vector_cache_ = self.vector_cache if self.vector_cache is not None else dense.VectorCache()

    def _dense_block(self, profiles: list[ExpertProfile],
                     documents: list[tuple[str, float, dict | None]]) -> dense.DenseBlock | None:
        """Vectors of the documents encoding.profile_documents made of `profiles` (same order); the
        declared-topics documents (those with concept counts) get zero rows."""
        if self.encoder is None:
            return None
        given = iter([d.language for p in profiles for d in p.documents if d.text and d.text.strip()])
        texts = [None if concepts is not None else text for text, _, concepts in documents]
        languages = [None if text is None else next(given) for text in texts]
        return dense.build_block(texts, languages, self.encoder, self.vector_cache_)

    def _keep_vectors(self) -> None:
        """After a fit or a load: the cache holds exactly the index's documents, as rows of its block."""
        if self.encoder is None:
            return
        self.vector_cache_.keep_only(self.segments_[0].dense)

    def _dense_query(self, text: str) -> DenseQuery | None:
        if self.encoder is None or not text.strip():
            return None
        return DenseQuery(dense.query_vector(self.encoder, text), dense.language_code(None, text))

    def _dense_parts(self, query: DenseQuery | None, text: np.ndarray | None = None, bonus: np.ndarray | None = None,
                     eligible: np.ndarray | None = None, k: int | np.integer | None = None) -> np.ndarray | None:
        """The dense part of the score of every position that can be among the k best (segments concatenated;
        0 for the others), None without a request vector. Given only `query`: every position, brute force.

        With the TF-IDF scores `text`, the request's factors `bonus` and the `eligible` mask, large segments
        ask their centroid graph (ann.py) for the ANN_CANDIDATES experts closest in meaning and score those
        exactly; an expert it did not return has a cosine of at most the lowest returned one, which bounds its
        blended score. Experts whose bound reaches the k-th best known score are scored exactly too, so the
        top k is the brute-force one whenever the graph returned the true nearest centroids; they are scored
        by decreasing bound, and scoring stops once the next bound is below the k-th best score known by then
        (threshold algorithm: a few hundred of the thousands the first bound leaves open). Brute force instead
        when filters leave few experts, k is None, or the aggregation is not 'centroid' (the graph holds
        centroids)."""
        if query is None:
            return None
        if text is None or eligible is None or k is None or self.dense_aggregation != "centroid" or \
                all(s.dense.ann is None for s in self.segments_):
            return self._all_dense(query)
        parts = np.zeros(len(text), dtype=np.float32)
        if int(np.count_nonzero(eligible)) <= EXACT_ELIGIBLE:
            self._score_positions(parts, np.flatnonzero(eligible), query)
            return parts
        bound = np.zeros(len(text), dtype=np.float32)  # the most an unscored expert's dense part can be
        scored = np.zeros(len(text), dtype=bool)
        for index, segment in enumerate(self.segments_):
            first, last, block = int(self._offsets[index]), int(self._offsets[index + 1]), segment.dense
            if block.ann is None:
                parts[first:last] = self._segment_dense(segment, slice(None), query)
                scored[first:last] = True
                continue
            rows = block.ann.search(query.vector, max(ANN_CANDIDATES, ANN_CANDIDATES_PER_RESULT * k))
            cosines = block.centroids[rows] @ query.vector
            parts[first + rows] = dense.blended_cosines(cosines, block.expert_languages[rows], query.language,
                                                        self.dense_weight, self.cross_dense_weight, self.dense_floor)
            scored[first + rows] = True
            if len(rows) < block.ann.size:  # else the graph returned every vector (the rest have none: 0)
                # The bound is one of two values (the request's language or another): blended once, then chosen.
                same, cross = dense.blended_cosines(np.full(2, cosines.min()), _SAME_AND_OTHER, 0, self.dense_weight,
                                                    self.cross_dense_weight, self.dense_floor)
                np.copyto(bound[first:last], np.where(block.expert_languages == query.language, same, cross))
        open_rows = eligible & ~scored & (bound > 0)
        if not open_rows.any():
            return parts
        known = (text + parts).astype(np.float64)
        upper = (text + bound).astype(np.float64)
        if bonus is not None:
            known *= bonus
            upper *= bonus
        known *= eligible  # the ineligible count as 0, as do experts with no score: the k-th is over the others
        top = _top(known, k)
        kth = float(top[0]) if len(top) >= k else 0.0
        open_rows &= upper >= kth * (1 - BOUND_SLACK)
        positions = np.flatnonzero(open_rows)
        # Threshold algorithm: score the open experts by decreasing bound, a block at a time; each block's exact
        # scores can only raise the k-th best known score, and once the next bound is below it nobody left can
        # enter the top k (their score stays text-only here, below the k-th: _select never picks them).
        positions = positions[np.argsort(-upper[positions], kind="stable")]
        for start in range(0, len(positions), RESCORE_BLOCK):
            block_positions = positions[start:start + RESCORE_BLOCK]
            if upper[block_positions[0]] < kth * (1 - BOUND_SLACK):
                break
            self._score_positions(parts, block_positions, query)
            exact = (text[block_positions] + parts[block_positions]).astype(np.float64)
            if bonus is not None:
                exact *= bonus[block_positions]
            top = _top(np.concatenate([top, exact[exact > 0]]), k)
            kth = float(top[0]) if len(top) >= k else 0.0
        return parts

    def _all_dense(self, query: DenseQuery) -> np.ndarray:
        parts = [dense.expert_scores(s.dense, s.doc_starts, query.vector, query.language, self.dense_weight,
                                     self.cross_dense_weight, self.dense_floor, self.dense_aggregation)
                 for s in self.segments_]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _segment_dense(self, segment, rows, query: DenseQuery) -> np.ndarray:
        return dense.centroid_scores(segment.dense, rows, query.vector, query.language, self.dense_weight,
                                     self.cross_dense_weight, self.dense_floor)

    def _score_positions(self, parts: np.ndarray, positions: np.ndarray, query: DenseQuery) -> None:
        """parts[positions] = their exact dense part (centroid aggregation)."""
        for index, mine, rows in rows_by_segment(self._offsets, positions):
            parts[positions[mine]] = self._segment_dense(self.segments_[index], rows, query)

    def _meaning(self, positions: np.ndarray, unraised: np.ndarray, parts: np.ndarray | None,
                 query: DenseQuery | None) -> dict[int, tuple[str, float]]:
        """position -> (the expert's document closest in meaning, shortened; the dense part's share of the
        score before the request's own signals raise it), for the positions the dense part contributed to."""
        if parts is None or query is None:
            return {}
        found = {}
        for position, score, doc in zip(positions.tolist(), unraised.tolist(), self._closest_documents(positions, query)):
            part = float(parts[position])
            if score > 0 and part > 0 and doc is not None:
                found[position] = (doc, min(1.0, part / score))
        return found

    def _closest_documents(self, positions: np.ndarray, query: DenseQuery) -> list[str | None]:
        """The shortened text of each position's document closest in meaning to the request."""
        labels: list[str | None] = [None] * len(positions)
        for index, mine, rows in rows_by_segment(self._offsets, positions):
            segment = self.segments_[index]
            best = dense.best_documents(segment.dense, segment.doc_starts, rows, query.vector, query.language,
                                        self.dense_weight, self.cross_dense_weight, self.dense_floor)
            for slot, doc in zip(mine.tolist(), best.tolist()):
                if doc >= 0:
                    labels[slot] = segment.dense.label(doc)
        return labels


def _top(scores: np.ndarray, k: int | np.integer) -> np.ndarray:
    """The k largest of `scores` (all of them when fewer), the k-th largest first (np.partition's order)."""
    k = int(k)
    if len(scores) <= k:
        return np.sort(scores)
    return np.partition(scores, len(scores) - k)[len(scores) - k:]


def with_meaning(text_reasons: list[Reason], document: str, share: float) -> list[Reason]:
    """The 'meaning' reason added to a text's reasons, whose shares (of the TF-IDF score) become shares of the
    score the dense part is added to."""
    return [Reason(r.label, r.kind, r.share * (1.0 - share)) for r in text_reasons] + [Reason(document, "meaning", share)]
