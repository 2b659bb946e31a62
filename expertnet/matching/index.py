"""The inverted index: per-segment sparse matrices and the scoring that reads only query postings.

An expert's text score is  S = a*C + (1-a)*M  where, with s_d = cosine(query, document d) and w_d
the document's field weight,
  C = cosine(query, centroid) = sum_d w_d s_d / Z,  Z = |sum_d w_d unit(d)|   ('centroid')
  M = max_d (w_d / w_max) s_d                                                ('max').
Exact scores are computed from the document rows of an expert, so they are only ever computed for
the few experts that can reach the top k. Which experts those are comes from the term-major
centroid matrix (the inverted index) with MaxScore-style pruning (see rank in estimator.py):
  * each posting (t, e) holds the centroid weight c[e,t] and a bound m[e,t] >= max_d w_d/w_max d[t]
    over the expert's documents (a 16-norm over documents, within 13% of the max), so
    M <= sum_t q_t m[e,t] (a max of sums is at most the sum of maxima);
  * every feature has bounds  maxC[t] = max_e c[e,t]  and  maxM[t] = max_e m[e,t],  so the query
    terms not read cannot add more than  sum_t q_t (a maxC[t] + (1-a) maxM[t])  to anybody's score
    -- an expert the read terms never touched is skipped when that is below the k-th best exact
    score already known;
  * a touched expert is bounded by  C <= C_read + sum_unread q_t maxC[t]  and
    M <= min(M_read + sum_unread q_t maxM[t],  C * Z / w_max)  (all weights are non-negative, so
    every w_d s_d <= C Z);
candidates are scored exactly in order of their bound until no bound can beat the k-th best
(ranking.exact_top_k). The result equals the full computation exactly.
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
            buffer = self._local.buffer = np.zeros(self.n_features, dtype=np.float64)
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

    docs: sp.csr_matrix            # n_docs x F, unit rows, float32 data, int32 indices
    doc_starts: np.ndarray         # int64, n_experts + 1
    field_weight: np.ndarray       # float64 field weight of each document
    max_weight: float              # the largest field weight of the configuration
    terms: sp.csr_matrix           # F x n_experts, complex64: real = unit centroid weight, imag = bound of
                                   # the expert's largest w_d/w_max * document weight (the inverted index)
    norm: np.ndarray               # float64 Z of each expert (0 for empty profiles)
    max_c: np.ndarray              # float32 per feature: largest centroid weight
    max_m: np.ndarray              # float32 per feature: largest w_d/w_max * document weight
    attributes: Attributes

    def __len__(self) -> int:
        return len(self.doc_starts) - 1

    @property
    def ratio(self) -> np.ndarray:
        """Z / w_max: the bound M <= C * ratio."""
        return self.norm / self.max_weight

    def partial_scores(self, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """For every expert, sum over the listed features of weight * terms[feature, expert] (complex128:
        real = partial C, imag = partial bound of M).

        One row slice of the term-major matrix and one sparse mat-vec, both in compiled code, so
        the cost is the number of postings of those features."""
        if len(features) == 0 or len(self) == 0:
            return np.zeros(len(self), dtype=np.complex128)
        postings = self.terms[features]
        return postings.T @ weights.astype(np.complex128)

    def document_scores(self, docs: np.ndarray, query: QueryVector) -> np.ndarray:
        """Cosine s_d of each listed document with the query (float64)."""
        if len(docs) == 0:
            return np.zeros(0)
        return self.docs[docs] @ query.dense[: self.docs.shape[1]]  # row gather + mat-vec, compiled

    def text_scores(self, rows: np.ndarray, query: QueryVector, share: float) -> np.ndarray:
        """Exact S = share*C + (1-share)*M of the listed experts, from their document rows."""
        result = np.zeros(len(rows))
        counts = self.doc_starts[rows + 1] - self.doc_starts[rows]
        has = (counts > 0) & (self.norm[rows] > 0)
        if not has.any():
            return result
        rows, counts = rows[has], counts[has]
        docs = ranges(self.doc_starts[rows], self.doc_starts[rows + 1])
        weighted = self.document_scores(docs, query) * self.field_weight[docs]
        group_starts = np.cumsum(counts) - counts
        centroid = np.add.reduceat(weighted, group_starts) / self.norm[rows]
        best = np.maximum.reduceat(weighted, group_starts) / self.max_weight
        result[has] = share * centroid + (1.0 - share) * best
        return result

    def best_documents(self, rows: np.ndarray, query: QueryVector) -> np.ndarray:
        """The best-scoring document of each listed expert (first on ties; -1 without documents)."""
        counts = self.doc_starts[rows + 1] - self.doc_starts[rows]
        docs = ranges(self.doc_starts[rows], self.doc_starts[rows + 1])
        best = np.full(len(rows), -1, dtype=np.int64)
        if len(docs) == 0:
            return best
        scores = self.document_scores(docs, query) * self.field_weight[docs]
        group = np.repeat(np.arange(len(rows)), counts)
        order = np.lexsort((np.arange(len(docs)), -scores, group))
        first = np.ones(len(order), dtype=bool)
        first[1:] = group[order][1:] != group[order][:-1]
        best[group[order][first]] = docs[order][first]
        return best

    def centroid_rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(owner = index into rows, feature, centroid weight) of the listed experts, from their documents."""
        from .explain import combine_by_owner
        counts = self.doc_starts[rows + 1] - self.doc_starts[rows]
        docs = ranges(self.doc_starts[rows], self.doc_starts[rows + 1])
        doc_owner = np.repeat(np.arange(len(rows)), counts)
        starts, ends = self.docs.indptr[docs].astype(np.int64), self.docs.indptr[docs + 1].astype(np.int64)
        positions = ranges(starts, ends)
        owner = np.repeat(doc_owner, ends - starts)
        scale = np.divide(1.0, self.norm[rows], out=np.zeros(len(rows)), where=self.norm[rows] > 0)
        values = self.docs.data[positions] * np.repeat(self.field_weight[docs] * scale[doc_owner], ends - starts)
        return combine_by_owner(owner, self.docs.indices[positions].astype(np.int64), values)


def compact_csr(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """float32 data, int32 indices (int64 indptr only past 2**31 entries), sorted, no explicit zeros kept."""
    matrix = sp.csr_matrix(matrix)
    index_type = np.int32 if matrix.nnz < 2**31 and max(matrix.shape) < 2**31 else np.int64
    out = sp.csr_matrix((matrix.data.astype(np.float32, copy=False), matrix.indices.astype(index_type, copy=False),
                         matrix.indptr.astype(index_type, copy=False)), shape=matrix.shape, copy=False)
    if not out.has_sorted_indices:
        out.sort_indices()
    return out


CHUNK_EXPERTS = 20_000  # experts whose centroids are built together (bounds the temporaries)
POWER = 16  # (sum_d x_d**16)**(1/16) bounds max_d x_d from above, within 7**(1/16) = 1.13 for 7 documents


def _expert_block(docs: sp.csr_matrix, doc_starts: np.ndarray, field_weight: np.ndarray, max_weight: float,
                  first: int, last: int) -> tuple[sp.csr_matrix, np.ndarray]:
    """Experts first..last-1 as (doc-major complex64 rows: real = unit centroid, imag = max-document bound, norms)."""
    d0, d1 = int(doc_starts[first]), int(doc_starts[last])
    sub = docs[d0:d1].astype(np.float64)
    local = (doc_starts[first:last + 1] - d0).astype(np.int64)
    shape = (last - first, d1 - d0)
    weights = field_weight[d0:d1]
    summed = sp.csr_matrix((weights, np.arange(d1 - d0), local), shape=shape) @ sub
    sub.data **= POWER
    powered = sp.csr_matrix(((weights / max_weight) ** POWER, np.arange(d1 - d0), local), shape=shape) @ sub
    del sub
    if not (np.array_equal(summed.indptr, powered.indptr) and np.array_equal(summed.indices, powered.indices)):
        raise AssertionError("sparse products of one structure disagree")  # never: same structure, same algorithm
    row_nnz = np.diff(summed.indptr)
    filled = np.flatnonzero(row_nnz)
    norm = np.zeros(last - first)
    if len(filled):
        norm[filled] = np.sqrt(np.add.reduceat(summed.data ** 2, summed.indptr[filled]))
    scale = np.divide(1.0, norm, out=np.zeros_like(norm), where=norm > 0)
    packed = np.empty(summed.nnz, dtype=np.complex64)
    packed.real = summed.data * np.repeat(scale, row_nnz)
    packed.imag = powered.data ** (1.0 / POWER)
    return sp.csr_matrix((packed, summed.indices, summed.indptr), shape=(last - first, docs.shape[1])), norm


def build_segment(docs: sp.csr_matrix, doc_starts: np.ndarray, field_weight: np.ndarray,
                  max_weight: float, attributes: Attributes) -> Segment:
    """Norms, bounds and the term-major matrix from unit document rows and their field weights.

    Built a block of experts at a time, twice: the first pass counts each feature's postings, the
    second writes each block's term-major postings straight into place, so the only large arrays
    alive at once are the documents and the finished index."""
    docs = compact_csr(docs)
    doc_starts = np.asarray(doc_starts, dtype=np.int64)
    field_weight = np.asarray(field_weight, dtype=np.float64)
    n_experts, n_features = len(doc_starts) - 1, docs.shape[1]
    blocks = [(first, min(first + CHUNK_EXPERTS, n_experts)) for first in range(0, n_experts, CHUNK_EXPERTS)]
    ones = np.ones(docs.shape[0], dtype=np.float32)
    counts = np.zeros(n_features, dtype=np.int64)
    for first, last in blocks:
        d0, d1 = int(doc_starts[first]), int(doc_starts[last])
        local = doc_starts[first:last + 1] - d0
        structure = sp.csr_matrix((ones[d0:d1], np.arange(d1 - d0), local), shape=(last - first, d1 - d0)) @ docs[d0:d1]
        counts += np.bincount(structure.indices, minlength=n_features)
        del structure
    indptr = np.concatenate([[0], np.cumsum(counts)])
    index_type = np.int32 if indptr[-1] < 2**31 and n_experts < 2**31 else np.int64
    indices = np.empty(int(indptr[-1]), dtype=index_type)
    data = np.empty(int(indptr[-1]), dtype=np.complex64)
    cursor = indptr[:-1].copy()
    norm = np.zeros(n_experts)
    for first, last in blocks:
        block, norm[first:last] = _expert_block(docs, doc_starts, field_weight, max_weight, first, last)
        block = block.T.tocsr()  # F x block experts, sorted by expert
        lengths = np.diff(block.indptr)
        target = ranges(cursor, cursor + lengths)
        indices[target] = block.indices + first
        data[target] = block.data
        cursor += lengths
        del block, target
    terms = sp.csr_matrix((data, indices, indptr.astype(index_type)), shape=(n_features, n_experts), copy=False)
    return Segment(
        docs=docs, doc_starts=doc_starts, field_weight=field_weight, max_weight=float(max_weight),
        terms=terms, norm=norm, max_c=row_max(terms, np.real), max_m=row_max(terms, np.imag), attributes=attributes,
    )


def row_max(matrix: sp.csr_matrix, part) -> np.ndarray:
    """Per row, the largest part (np.real / np.imag) of the stored values (0 for empty rows)."""
    out = np.zeros(matrix.shape[0], dtype=np.float32)
    filled = np.flatnonzero(np.diff(matrix.indptr))
    if len(filled):
        out[filled] = np.maximum.reduceat(part(matrix.data), matrix.indptr[filled])
    return out


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
