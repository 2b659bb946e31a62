"""The inverted index: per-segment sparse matrices and the scoring that reads only query postings.

An expert's text score is  S = a*C + (1-a)*M  where
  C = cosine(query, centroid of the expert's field-weighted unit document vectors)  ('centroid')
  M = max over documents of (field weight / max field weight) * cosine(query, document)  ('max').
C is computed for every expert from the term-major matrix, touching only the postings of the
query's features. M is computed only for candidates: because all weights are non-negative,
M <= C * Z / w_max (Z = length of the weighted document sum before normalising), so candidates are
taken in order of that upper bound until no remaining bound can beat the k-th best exact score
(MaxScore-style early termination). The result equals the full computation exactly.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .filters import Attributes

BOUND_SLACK = 1e-5  # float32 rounding must never make the upper bound smaller than the truth


def ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, e) for each pair, vectorised."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(total, dtype=np.int64)


class QueryVector:
    """A request's sparse unit vector, plus a dense per-thread copy for O(1) weight look-ups.

    Use as a context manager: the dense buffer (one per thread, reused across requests) is filled
    on entry and cleared on exit, so concurrent requests in other threads never see it.
    """

    _local = threading.local()

    def __init__(self, idx: np.ndarray, weights: np.ndarray, n_features: int):
        self.idx, self.weights, self.n_features = idx, weights, n_features
        self.dense: np.ndarray | None = None

    def __enter__(self) -> "QueryVector":
        buffer = getattr(self._local, "buffer", None)
        if buffer is None or len(buffer) < self.n_features:
            buffer = self._local.buffer = np.zeros(self.n_features, dtype=np.float32)
        buffer[self.idx] = self.weights
        self.dense = buffer
        return self

    def __exit__(self, *exc) -> None:
        self.dense[self.idx] = 0.0
        self.dense = None

    def weights_of(self, features: np.ndarray) -> np.ndarray:
        """Query weight of each feature (0 where the request lacks it)."""
        return self.dense[features]


@dataclass
class Segment:
    """A block of experts with its matrices; documents of one expert are contiguous rows."""

    docs: sp.csr_matrix            # n_docs x F, unit rows, float32
    doc_starts: np.ndarray         # int64, n_experts + 1
    field_weight: np.ndarray       # float64 field weight of each document
    max_weight: float              # the largest field weight of the configuration
    centroid: sp.csr_matrix        # n_experts x F, unit rows (zero for empty profiles)
    centroid_terms: sp.csr_matrix  # F x n_experts, the same matrix term-major
    ratio: np.ndarray              # float64, Z / max field weight: bound M <= C * ratio
    attributes: Attributes

    def __len__(self) -> int:
        return len(self.doc_starts) - 1

    def centroid_scores(self, query: QueryVector) -> np.ndarray:
        """C for every expert of the segment, from the postings of the query features only."""
        indptr = self.centroid_terms.indptr
        starts, ends = indptr[query.idx].astype(np.int64), indptr[query.idx + 1].astype(np.int64)
        positions = ranges(starts, ends)
        weights = self.centroid_terms.data[positions] * np.repeat(query.weights, ends - starts)
        return np.bincount(self.centroid_terms.indices[positions], weights, minlength=len(self))

    def document_scores(self, docs: np.ndarray, query: QueryVector) -> np.ndarray:
        """Weighted cosine of each listed document with the query."""
        indptr = self.docs.indptr
        starts, ends = indptr[docs].astype(np.int64), indptr[docs + 1].astype(np.int64)
        positions = ranges(starts, ends)
        owner = np.repeat(np.arange(len(docs)), ends - starts)
        values = self.docs.data[positions] * query.weights_of(self.docs.indices[positions])
        return np.bincount(owner, values, minlength=len(docs)) * (self.field_weight[docs] / self.max_weight)

    def max_scores(self, rows: np.ndarray, query: QueryVector) -> np.ndarray:
        """M for the listed experts (0 for experts without documents)."""
        counts = self.doc_starts[rows + 1] - self.doc_starts[rows]
        result = np.zeros(len(rows))
        has_docs = counts > 0
        if not has_docs.any():
            return result
        rows, counts = rows[has_docs], counts[has_docs]
        docs = ranges(self.doc_starts[rows], self.doc_starts[rows + 1])
        scores = self.document_scores(docs, query)
        group_starts = np.cumsum(counts) - counts
        result[has_docs] = np.maximum.reduceat(scores, group_starts)
        return result

    def best_documents(self, rows: np.ndarray, query: QueryVector) -> np.ndarray:
        """The best-scoring document of each listed expert (first on ties; -1 without documents)."""
        counts = self.doc_starts[rows + 1] - self.doc_starts[rows]
        docs = ranges(self.doc_starts[rows], self.doc_starts[rows + 1])
        best = np.full(len(rows), -1, dtype=np.int64)
        if len(docs) == 0:
            return best
        scores = self.document_scores(docs, query)
        group = np.repeat(np.arange(len(rows)), counts)
        order = np.lexsort((np.arange(len(docs)), -scores, group))
        first = np.ones(len(order), dtype=bool)
        first[1:] = group[order][1:] != group[order][:-1]
        best[group[order][first]] = docs[order][first]
        return best


def build_segment(docs: sp.csr_matrix, doc_starts: np.ndarray, field_weight: np.ndarray,
                  max_weight: float, attributes: Attributes) -> Segment:
    """Centroids, bounds and the term-major copy from unit document rows and their field weights."""
    n_experts = len(doc_starts) - 1
    owner = np.repeat(np.arange(n_experts), np.diff(doc_starts))
    weights = sp.csr_matrix((field_weight.astype(np.float64), (owner, np.arange(len(owner)))),
                            shape=(n_experts, docs.shape[0]))
    summed = (weights @ docs.astype(np.float64)).tocsr()
    norms = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    centroid = sp.csr_matrix(sp.diags(scale) @ summed, dtype=np.float32)
    centroid.sort_indices()
    return Segment(
        docs=docs, doc_starts=doc_starts.astype(np.int64),
        field_weight=np.asarray(field_weight, dtype=np.float64), max_weight=float(max_weight),
        centroid=centroid, centroid_terms=centroid.T.tocsr(),
        ratio=norms / max_weight, attributes=attributes,
    )


def stack_segments(segments: list[Segment], keep: list[np.ndarray]) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, list[np.ndarray]]:
    """Documents, doc starts and field weights of the kept experts of several segments, in order."""
    docs, starts, weights, kept_rows = [], [0], [], []
    for segment, rows in zip(segments, keep):
        doc_rows = ranges(segment.doc_starts[rows], segment.doc_starts[rows + 1])
        docs.append(segment.docs[doc_rows])
        weights.append(segment.field_weight[doc_rows])
        starts.extend((starts[-1] + np.cumsum(np.diff(segment.doc_starts)[rows])).tolist())
        kept_rows.append(rows)
    return sp.vstack(docs, format="csr"), np.asarray(starts, np.int64), np.concatenate(weights), kept_rows
