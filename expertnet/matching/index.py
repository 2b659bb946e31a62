"""The inverted index: per-segment sparse matrices and the scoring that reads only query postings.

An expert's text score is  S = a*C + (1-a)*M  where, with s_d = cosine(query, document d) and w_d
the document's field weight,
  C = cosine(query, centroid) = sum_d w_d s_d / Z,  Z = |sum_d w_d unit(d)|   ('centroid')
  M = max_d (w_d / w_max) s_d                                                ('max').
Both come from the same document scores w_d s_d, and those come from a term-major copy of the
document matrix (the inverted index): compiled row indexing and mat-vec read only the
postings of the request's terms (postings_matvec). Exact, in float32; a request of ~100 distinct
terms at 100k experts reads about two hundred thousand postings.

The mat-vec writes each document's score into a slot of a (width x experts) grid (see SlotLayout),
so C and M of every expert are two vectorised numpy reductions (sum and max) instead of a second
sparse pass; the few documents beyond an expert's width go to overflow slots after the grid.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from .dense import DenseBlock, stack_blocks
from .filters import Attributes


def ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, e) for each pair, vectorised."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(total, dtype=np.int64)


class QueryVector(NamedTuple):
    """A request's sparse unit vector: sorted feature indices and their weights."""

    idx: np.ndarray
    weights: np.ndarray

    def columns(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in idx, whether the request has it) of each feature."""
        if len(self.idx) == 0:
            return np.zeros(len(features), np.int64), np.zeros(len(features), bool)
        column = np.minimum(np.searchsorted(self.idx, features), len(self.idx) - 1)
        return column, self.idx[column] == features


def postings_matvec(terms: sp.csr_matrix, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """weights @ terms[features] (float32): the postings of the request's features only.

    Public scipy operations: the rows are taken with compiled CSR row indexing (a copy of the request's
    postings, about 0.2 ms at 100k experts) and multiplied through the transpose's compiled mat-vec.
    (Before issue 15 this called the private `scipy.sparse._sparsetools.csc_matvec` on the rows in place;
    benchmarks/matching_speed.py measured the difference in the whole ranking: see the issue's note.)
    `features` must be sorted and distinct."""
    if len(features) == 0:
        return np.zeros(terms.shape[1], dtype=np.float32)
    return np.asarray(terms[features].T @ np.asarray(weights, dtype=np.float32), dtype=np.float32)


MAX_SLOT_WIDTH = 32  # documents per expert kept in the grid; more go to overflow slots


@dataclass(frozen=True)
class SlotLayout:
    """Where each document's score goes: grid slot j*n_experts + e for expert e's j-th document
    (j < width), then overflow slots (grouped by expert) after the grid.

    Slot-major, so the grid's reductions add whole contiguous rows (vectorised) rather than
    reducing many tiny rows. The width covers 95% of the experts, so the grid is small and
    overflow rare. A function of doc_starts alone, so a loaded index recomputes it."""

    width: int
    n_slots: int
    slot_of_doc: np.ndarray       # int64 per document
    overflow_experts: np.ndarray  # rows of the experts with overflow documents
    overflow_starts: np.ndarray   # start of each such expert's overflow slots (relative to the overflow block)

    @classmethod
    def of(cls, doc_starts: np.ndarray) -> "SlotLayout":
        counts = np.diff(doc_starts)
        width = int(np.clip(np.ceil(np.percentile(counts, 95)), 1, MAX_SLOT_WIDTH)) if len(counts) else 1
        doc_expert = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        within = np.arange(len(doc_expert), dtype=np.int64) - doc_starts[doc_expert]
        slot = within * len(counts) + doc_expert
        overflow = within >= width
        slot[overflow] = len(counts) * width + np.arange(int(overflow.sum()))
        experts, starts = np.unique(doc_expert[overflow], return_index=True)
        return cls(width, len(counts) * width + int(overflow.sum()), slot, experts, starts)


@dataclass
class Segment:
    """A block of experts with its matrices; documents of one expert are contiguous rows."""

    docs: sp.csr_matrix            # n_docs x F, unit rows, float32 data, int32 indices
    doc_starts: np.ndarray         # int64, n_experts + 1
    field_weight: np.ndarray       # float64 field weight of each document
    max_weight: float              # the largest field weight of the configuration
    terms: sp.csr_matrix           # F x n_slots, float32: w_d * documents, term-major (the inverted index)
    norm: np.ndarray               # float64 Z of each expert (0 for empty profiles)
    attributes: Attributes
    layout: SlotLayout             # derived from doc_starts (SlotLayout.of) by whoever builds or loads the segment
    dense: DenseBlock | None = None  # the documents' sentence vectors (with an encoder; see dense.py)

    def __post_init__(self) -> None:
        self._inverse_norm = np.divide(1.0, self.norm, out=np.zeros(len(self)), where=self.norm > 0).astype(np.float32)

    def __len__(self) -> int:
        return len(self.doc_starts) - 1

    def slot_scores(self, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """w_d * s_d of every document, in its slot, from the postings of the query's features only."""
        return postings_matvec(self.terms, features, weights)

    def text_scores(self, slots: np.ndarray, share: float) -> np.ndarray:
        """S = share*C + (1-share)*M of every expert (float32) from its documents' slot scores."""
        n, width = len(self), self.layout.width
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        grid = slots[:n * width].reshape(width, n)
        sums, best = grid.sum(axis=0), grid.max(axis=0)
        if len(self.layout.overflow_experts):
            extra, rows, starts = slots[n * width:], self.layout.overflow_experts, self.layout.overflow_starts
            sums[rows] += np.add.reduceat(extra, starts)
            best[rows] = np.maximum(best[rows], np.maximum.reduceat(extra, starts))
        sums *= self._inverse_norm
        sums *= np.float32(share)
        best *= np.float32((1 - share) / self.max_weight)
        sums += best
        return sums

    def document_scores(self, docs: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """w_d * s_d of the listed documents, read from the slot scores."""
        return slots[self.layout.slot_of_doc[docs]]

    def query_columns(self, docs: np.ndarray, query: QueryVector) -> np.ndarray:
        """Dense (documents x query features) unit weights of the listed documents on the request's features."""
        starts, ends = self.docs.indptr[docs].astype(np.int64), self.docs.indptr[docs + 1].astype(np.int64)
        entries = ranges(starts, ends)
        column, hit = query.columns(self.docs.indices[entries])
        row = np.repeat(np.arange(len(docs)), ends - starts)
        dense = np.zeros((len(docs), len(query.idx)))
        dense[row[hit], column[hit]] = self.docs.data[entries[hit]]
        return dense

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


def rows_by_segment(offsets: np.ndarray, positions: np.ndarray):
    """(segment index, indices into positions, rows within that segment) for each segment holding some positions."""
    segment_of = np.searchsorted(offsets, positions, side="right") - 1
    for index in range(len(offsets) - 1):
        mine = np.flatnonzero(segment_of == index)
        if len(mine):
            yield index, mine, positions[mine] - offsets[index]


def best_documents(scores: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Position in `scores` of the first best document of each group of `counts` consecutive
    documents (groups without documents are skipped)."""
    firsts = (np.cumsum(counts) - counts)[counts > 0]
    if len(firsts) == 0:
        return np.zeros(0, dtype=np.int64)
    best = np.flatnonzero(scores == np.repeat(np.maximum.reduceat(scores, firsts), counts[counts > 0]))
    return best[np.searchsorted(best, firsts)]


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
                  max_weight: float, attributes: Attributes, dense: DenseBlock | None = None) -> Segment:
    """Norms and the term-major copy from unit document rows and their field weights (and the experts'
    dense centroids when the documents have vectors)."""
    docs = compact_csr(docs)
    doc_starts = np.asarray(doc_starts, dtype=np.int64)
    field_weight = np.asarray(field_weight, dtype=np.float64)
    layout = SlotLayout.of(doc_starts)
    return Segment(
        docs=docs, doc_starts=doc_starts, field_weight=field_weight, max_weight=float(max_weight),
        terms=term_major(docs, field_weight, layout), norm=expert_norms(docs, doc_starts, field_weight),
        attributes=attributes, layout=layout,
        dense=None if dense is None else dense.summarise(doc_starts, field_weight),
    )


def term_major(docs: sp.csr_matrix, field_weight: np.ndarray, layout: SlotLayout) -> sp.csr_matrix:
    """The documents transposed (features x slots), each value times its document's field weight."""
    terms = compact_csr(docs.T.tocsr())
    index_type = np.int32 if layout.n_slots < 2**31 and terms.nnz < 2**31 else np.int64
    weight = field_weight.astype(np.float32)
    slot_of_doc = layout.slot_of_doc.astype(index_type)
    slots = np.empty(terms.nnz, dtype=index_type)
    for start in range(0, terms.nnz, POSTING_BLOCK):  # a block at a time: no nnz-sized temporaries
        block = terms.indices[start:start + POSTING_BLOCK]
        terms.data[start:start + POSTING_BLOCK] *= weight[block]
        slots[start:start + POSTING_BLOCK] = slot_of_doc[block]
    # Slots are not in document order, so indices are no longer sorted within rows; nothing needs them sorted.
    return sp.csr_matrix((terms.data, slots, terms.indptr.astype(index_type, copy=False)),
                         shape=(docs.shape[1], layout.n_slots), copy=False)


POSTING_BLOCK = 1 << 22


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


def stack_dense(segments: list[Segment], keep: list[np.ndarray]) -> DenseBlock | None:
    """The dense blocks of the kept experts of several segments, in stack_segments' order (None without)."""
    if any(s.dense is None for s in segments):
        return None
    return stack_blocks([s.dense.take(ranges(s.doc_starts[rows], s.doc_starts[rows + 1]))  # type: ignore[union-attr]
                         for s, rows in zip(segments, keep)])
