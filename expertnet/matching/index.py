"""The inverted index: per-segment sparse matrices and the scoring that reads only query postings.

An expert's text score is  S = a*C + (1-a)*M  where, with s_d = cosine(query, document d) and w_d
the document's field weight,
  C = cosine(query, centroid) = sum_d w_d s_d / Z,  Z = |sum_d w_d unit(d)|   ('centroid')
  M = max_d (w_d / w_max) s_d                                                ('max').
Both come from the same document scores, and those come from a term-major copy of the document
matrix (the inverted index): one row slice of the query's features and one sparse mat-vec, in
compiled code, read only the postings of the request's terms. C of every expert is one more
mat-vec over the documents; M only for the experts whose bound can reach the top k (see
ExpertMatcher._select). Exact; a request of ~100 distinct terms at 100k experts reads a few hundred
thousand postings.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .filters import Attributes


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
    terms: sp.csr_matrix           # F x n_docs, float32: w_d * documents, term-major (the inverted index)
    norm: np.ndarray               # float64 Z of each expert (0 for empty profiles)
    attributes: Attributes

    def __len__(self) -> int:
        return len(self.doc_starts) - 1

    def weighted_document_scores(self, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """w_d * s_d of every document of the segment, from the postings of the query's features only."""
        if len(features) == 0 or self.terms.shape[1] == 0:
            return np.zeros(self.terms.shape[1])
        return self.terms[features].T @ weights  # one row slice + one mat-vec, compiled (w_d is in the data)

    def centroid_scores(self, weighted: np.ndarray) -> np.ndarray:
        """C = sum_d w_d s_d / Z of every expert (one sparse mat-vec over the documents)."""
        cached = self.__dict__.get("_sum_cache")
        if cached is None:
            owner = np.repeat(np.arange(len(self)), np.diff(self.doc_starts))
            inverse = np.divide(1.0, self.norm, out=np.zeros(len(self)), where=self.norm > 0)
            cached = self.__dict__["_sum_cache"] = sp.csr_matrix(
                (inverse[owner], np.arange(len(owner), dtype=np.int32 if len(owner) < 2**31 else np.int64), self.doc_starts),
                shape=(len(self), len(owner)))
        return cached @ weighted

    def max_scores(self, rows: np.ndarray, weighted: np.ndarray) -> np.ndarray:
        """M = max_d w_d s_d / w_max of the listed experts (0 without documents)."""
        counts = self.doc_starts[rows + 1] - self.doc_starts[rows]
        result = np.zeros(len(rows))
        has = counts > 0
        if not has.any():
            return result
        rows, counts = rows[has], counts[has]
        docs = ranges(self.doc_starts[rows], self.doc_starts[rows + 1])
        result[has] = np.maximum.reduceat(weighted[docs], np.cumsum(counts) - counts) / self.max_weight
        return result

    def document_scores(self, docs: np.ndarray, query: QueryVector) -> np.ndarray:
        """Cosine s_d of each listed document with the query (float64)."""
        if len(docs) == 0:
            return np.zeros(0)
        return self.docs[docs] @ query.dense[: self.docs.shape[1]]  # row gather + mat-vec, compiled

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


CHUNK_EXPERTS = 20_000  # experts whose centroid norms are computed together (bounds the temporaries)


def expert_norms(docs: sp.csr_matrix, doc_starts: np.ndarray, field_weight: np.ndarray) -> np.ndarray:
    """Z = |sum_d w_d unit(d)| of each expert, a block of experts at a time."""
    n_experts = len(doc_starts) - 1
    norm = np.zeros(n_experts)
    for first in range(0, n_experts, CHUNK_EXPERTS):
        last = min(first + CHUNK_EXPERTS, n_experts)
        d0, d1 = int(doc_starts[first]), int(doc_starts[last])
        local = (doc_starts[first:last + 1] - d0).astype(np.int64)
        summed = sp.csr_matrix((field_weight[d0:d1], np.arange(d1 - d0), local), shape=(last - first, d1 - d0)) @ docs[d0:d1].astype(np.float64)
        filled = np.flatnonzero(np.diff(summed.indptr))
        if len(filled):
            norm[first + filled] = np.sqrt(np.add.reduceat(summed.data ** 2, summed.indptr[filled]))
    return norm


def build_segment(docs: sp.csr_matrix, doc_starts: np.ndarray, field_weight: np.ndarray,
                  max_weight: float, attributes: Attributes) -> Segment:
    """Norms and the term-major copy from unit document rows and their field weights."""
    docs = compact_csr(docs)
    doc_starts = np.asarray(doc_starts, dtype=np.int64)
    field_weight = np.asarray(field_weight, dtype=np.float64)
    return Segment(
        docs=docs, doc_starts=doc_starts, field_weight=field_weight, max_weight=float(max_weight),
        terms=term_major(docs, field_weight), norm=expert_norms(docs, doc_starts, field_weight), attributes=attributes,
    )


def term_major(docs: sp.csr_matrix, field_weight: np.ndarray) -> sp.csr_matrix:
    """The documents transposed (features x documents), each value times its document's field weight."""
    terms = compact_csr(docs.T.tocsr())
    terms.data *= field_weight[terms.indices].astype(np.float32)
    return terms


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
