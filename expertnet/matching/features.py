"""From texts to sparse TF-IDF rows: term table, vocabulary (unigrams, bigrams, concepts), weights.

Fitting analyses every text once into stem ids (Python, with a cache keyed by surface word), and
does the rest -- bigrams, document frequencies, counting -- as vectorised numpy over the whole
batch. Transforming later texts uses the same code with a frozen table, so a profile text gives
the same row at fit time, at update time and as a request.
"""
from __future__ import annotations

import functools

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from . import abbreviations
from . import text as textlib
from .concepts import ConceptLexicon
from .parallel import parallel_map

CONCEPT_PREFIX = "\u00a7"  # feature names of concepts: '§explosives-precursor-controls'


EXPAND_BLOCK_DOCS = 50_000
TOKEN_BLOCK = 1 << 22


class TermTable:
    """Stem strings <-> ids, with per-language caches so each distinct raw token is analysed once."""

    QUERY_CACHE_LIMIT = 200_000

    def __init__(self, stems: list[str] | None = None):
        self.stems: list[str] = list(stems or [])
        self.ids: dict[str, int] = {s: i for i, s in enumerate(self.stems)}
        self.surfaces: list[str] = []          # surface words seen while growing
        self.surface_stem: list[int] = []      # surface id -> stem id
        self._surface_ids: dict[tuple[str, str], int] = {}
        self._growing_cache: dict[str, dict[str, int]] = {}   # language -> word -> word id
        self._word_surfaces: list[tuple[int, ...]] = []        # word id -> surface ids
        self.word_keys: list[tuple[str, str]] = []              # word id -> (text language, word as written)
        self._frozen_cache: dict[str, dict[str, tuple[int, ...]]] = {}

    def stem_id(self, stem: str, grow: bool) -> int:
        found = self.ids.get(stem)
        if found is None and grow:
            found = self.ids[stem] = len(self.stems)
            self.stems.append(stem)
        return -1 if found is None else found

    def _surface_id(self, word: str, language: str) -> int:
        key = (language, word)
        found = self._surface_ids.get(key)
        if found is None:
            found = self._surface_ids[key] = len(self.surfaces)
            self.surfaces.append(word)
            self.surface_stem.append(self.stem_id(textlib.stem(word, language), grow=True))
        return found

    def encode_growing_many(self, texts: list[str], n_jobs: int = 1) -> tuple[array, np.ndarray]:
        """(word ids of all texts in order, number per text), adding unseen words, surfaces and stems
        (used while fitting); see expand_words.

        Texts are numbered in n_jobs contiguous chunks, in joblib worker processes (see number_words
        and parallel.parallel_map); each chunk's words then get their table ids in
        first-appearance order, so the ids are the same whatever n_jobs is."""
        chunks = [texts[i * len(texts) // n_jobs:(i + 1) * len(texts) // n_jobs] for i in range(n_jobs)]
        flat, all_lengths = None, []
        for chunk_flat, lengths, words in parallel_map(number_words, chunks, n_jobs):
            ids = np.fromiter((self._word_id(language, word) for language, word in words), np.int32, len(words))
            local = np.frombuffer(chunk_flat, dtype=np.int32) if len(chunk_flat) else np.zeros(0, np.int32)
            for start in range(0, len(local), TOKEN_BLOCK):  # in place, a block at a time: no token-sized copy
                local[start:start + TOKEN_BLOCK] = ids[local[start:start + TOKEN_BLOCK]]
            del local
            if flat is None:
                flat = chunk_flat
            else:
                flat.extend(chunk_flat)
            all_lengths.append(lengths)
        assert flat is not None  # n_jobs >= 1 chunks, so the loop ran
        return flat, np.concatenate(all_lengths)

    def _word_id(self, language: str, word: str) -> int:
        cache = self._growing_cache.setdefault(language, {})
        found = cache.get(word)
        if found is None:
            found = cache[word] = len(self._word_surfaces)
            folded = word if word.isascii() else textlib.normalise_arabic(word)  # written_words keep Arabic letters
            self._word_surfaces.append(tuple(self._surface_id(form, language) for form in textlib.content_forms(folded)))
            self.word_keys.append((language, word))
        return found

    def expand_words(self, word_ids: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(surface ids, their document starts) of texts given as word ids along `starts`: a word
        gives no surface (stop word), one, or several (an abbreviation and its expansion)."""
        sizes = np.fromiter(map(len, self._word_surfaces), np.int64, len(self._word_surfaces))
        flat = np.fromiter(chain.from_iterable(self._word_surfaces), np.int32, int(sizes.sum()))
        first = np.cumsum(sizes) - sizes
        parts, out_starts = [], np.zeros(len(starts), dtype=np.int64)
        for d0 in range(0, len(starts) - 1, EXPAND_BLOCK_DOCS):  # a block at a time: small temporaries
            d1 = min(d0 + EXPAND_BLOCK_DOCS, len(starts) - 1)
            t0 = starts[d0]
            words = word_ids[t0:starts[d1]]
            counts = sizes[words]
            ends = np.cumsum(counts)
            within = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - counts, counts)
            parts.append(flat[np.repeat(first[words], counts) + within])
            ends = np.concatenate([[0], ends])
            out_starts[d0 + 1:d1 + 1] = out_starts[d0] + ends[starts[d0 + 1:d1 + 1] - t0]
        surfaces = np.concatenate(parts) if parts else np.zeros(0, np.int32)
        return surfaces, out_starts

    def encode(self, text: str) -> Iterable[int]:
        """Stem ids of a text against the frozen table (unknown stems are -1)."""
        words = textlib.raw_words(text)
        distinct = set(words)
        language = textlib.detect_latin_language(distinct)
        cache = self._frozen_cache.setdefault(language, {})
        missing = distinct.difference(cache)
        if len(cache) + len(missing) > self.QUERY_CACHE_LIMIT:
            cache.clear()
            missing = distinct
        for word in missing:
            cache[word] = tuple(self.ids.get(textlib.stem(form, language), -1) for form in textlib.content_forms(word))
        return chain.from_iterable(map(cache.__getitem__, words))


def number_words(texts: list[str]) -> tuple[array, np.ndarray, list[tuple[str, str]]]:
    """(local word ids of all texts in order, number of words per text, the (language, word) of each
    local id in first-appearance order; words as written, see text.written_words). Only splitting and
    dict look-ups: the per-token Python work
    of fitting, done in C calls (a new word raises KeyError in the look-up loop; the text is redone)."""
    flat = array("i")  # 4 bytes per token, not a Python int object each
    extend = flat.extend
    lengths = np.zeros(len(texts), dtype=np.int64)
    words_of_id: list[tuple[str, str]] = []
    caches: dict[str, dict[str, int]] = {}
    ascii_words, markers, latin_language = textlib._ASCII_WORDS, textlib._ANY_MARKER, textlib.language_of_markers
    for i, text in enumerate(texts):
        words = text.translate(ascii_words).split() if text.isascii() else textlib.written_words(text)
        found = markers.intersection(words)
        language = latin_language(found) if found else "en"
        cache = caches.get(language)
        if cache is None:
            cache = caches[language] = {}
        before = len(flat)
        try:
            extend(map(cache.__getitem__, words))
        except KeyError:
            del flat[before:]
            for word in dict.fromkeys(words):  # first-appearance order keeps ids reproducible
                if word not in cache:
                    cache[word] = len(words_of_id)
                    words_of_id.append((language, word))
            extend(map(cache.__getitem__, words))
        lengths[i] = len(flat) - before
    return flat, lengths, words_of_id


@dataclass
class EncodedBatch:
    """A batch of texts as concatenated stem ids plus concept hits (doc index, concept, count)."""

    stem_ids: np.ndarray   # int64, -1 for stems outside the table
    starts: np.ndarray     # int64, len n_docs + 1
    concept_rows: np.ndarray
    concept_ids: np.ndarray
    concept_counts: np.ndarray

    @property
    def n_docs(self) -> int:
        return len(self.starts) - 1


class StemLookup(Protocol):
    """Surface ids -> stem ids by indexing: an array, or a view of a table that grows while texts are encoded."""

    def __getitem__(self, surface_ids: np.ndarray, /) -> np.ndarray: ...


def encode_texts(texts: list[str], encode: Callable[[str], Iterable[int]], lexicon: ConceptLexicon,
                 declared: list[dict[int, float] | None], to_stems: StemLookup | None = None,
                 expand: Callable | None = None) -> tuple[EncodedBatch, np.ndarray]:
    """Encode texts into one batch; `encode` gives ids per text, `expand` (if given) turns those word ids
    into surface ids, `to_stems` maps surface ids to stem ids. Also returns, while fitting (`expand`
    given), how often each word id occurs (for display words, see display_surfaces); else the raw ids."""
    if hasattr(encode, "many"):
        flat, lengths = encode.many(texts)
    else:
        flat = array("i")  # 4 bytes per token, not a Python int object each: fitting 100k profiles saves ~1 GB
        lengths = np.zeros(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            before = len(flat)
            flat.extend(encode(text))
            lengths[i] = len(flat) - before
    raw = np.frombuffer(flat, dtype=np.int32) if len(flat) else np.zeros(0, np.int32)
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    if expand is not None:
        word_counts = np.bincount(raw) if len(raw) else np.zeros(0, np.int64)
        raw, starts = expand(raw, starts)
        del flat
    stem_ids = to_stems[raw].astype(np.int32) if to_stems is not None and len(raw) else raw
    rows, concepts = find_concepts(lexicon, stem_ids, starts)
    counts = [np.ones(len(rows))]
    row_parts, concept_parts = [rows], [concepts]
    for row, hits in enumerate(declared):
        if hits:
            row_parts.append(np.full(len(hits), row, dtype=np.int64))
            concept_parts.append(np.fromiter(hits.keys(), np.int64, len(hits)))
            counts.append(np.fromiter(hits.values(), np.float64, len(hits)))
    batch = EncodedBatch(stem_ids, starts, np.concatenate(row_parts), np.concatenate(concept_parts), np.concatenate(counts))
    return batch, (word_counts if expand is not None else raw)


def find_concepts(lexicon: ConceptLexicon, stem_ids: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(document, concept) of each phrase occurrence; only positions holding a phrase's first stem are examined."""
    candidates = np.flatnonzero(np.isin(stem_ids, lexicon.first_stems()))
    docs = np.searchsorted(starts, candidates, side="right") - 1
    ends = starts[docs + 1]
    found_docs: list[int] = []
    found: list[int] = []
    ids = stem_ids.tolist() if len(candidates) else []
    for position, doc, end in zip(candidates.tolist(), docs.tolist(), ends.tolist()):
        for concept in lexicon.concepts_at(ids, position, end):
            found_docs.append(doc)
            found.append(concept)
    return np.asarray(found_docs, dtype=np.int64), np.asarray(found, dtype=np.int64)


@dataclass
class Vocabulary:
    """Feature space: [unigram stems | bigrams | concepts], with IDF and field-independent boosts."""

    n_stems: int
    unigram_feature: np.ndarray   # stem id -> feature index or -1
    bigram_keys: np.ndarray       # sorted int64 keys; feature = n_unigrams + position
    n_unigrams: int
    n_concepts: int
    idf: np.ndarray               # float64 per feature
    boost: np.ndarray             # float64 per feature (concept_weight on concepts)

    @property
    def n_features(self) -> int:
        return self.n_unigrams + len(self.bigram_keys) + self.n_concepts

    @property
    def concept_offset(self) -> int:
        return self.n_unigrams + len(self.bigram_keys)

    def unigram_stems(self) -> np.ndarray:
        """Stem id of each unigram feature."""
        return np.flatnonzero(self.unigram_feature >= 0)


def per_document_counts(starts: np.ndarray, columns: np.ndarray, n_columns: int) -> sp.csr_matrix:
    """CSR of how often each distinct column occurs in each document (float32); `columns` is grouped by
    document along `starts` and is consumed (sorted in place). Compiled code: a sort within each row."""
    index_type = np.int64 if columns.dtype == np.int64 or n_columns >= 2**31 or len(columns) >= 2**31 else np.int32
    matrix = sp.csr_matrix((np.ones(len(columns), dtype=np.float32), columns.astype(index_type, copy=False),
                            np.asarray(starts).astype(index_type)), shape=(len(starts) - 1, n_columns), copy=False)
    matrix.sum_duplicates()
    return matrix


def _keep(starts: np.ndarray, values: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(new starts, values) with only the kept entries of each document."""
    kept_before = np.concatenate([[0], np.cumsum(keep)])
    return kept_before[starts], values[keep]


def unigram_counts(batch: EncodedBatch, n_stems: int) -> sp.csr_matrix:
    """Documents x stems counts of the known stems."""
    starts, ids = batch.starts, batch.stem_ids
    if len(ids) and ids.min() < 0:
        starts, ids = _keep(starts, ids, ids >= 0)
    else:
        ids = ids.copy()
    return per_document_counts(starts, ids, n_stems)


def bigram_counts(batch: EncodedBatch, n_stems: int) -> sp.csr_matrix:
    """Documents x (first * n_stems + second) counts of adjacent known stems inside one document."""
    ids, starts = batch.stem_ids, batch.starts
    if len(ids) < 2:
        return per_document_counts(np.zeros(batch.n_docs + 1, np.int64), np.zeros(0, np.int64), n_stems * n_stems)
    keys = ids[:-1].astype(np.int64) * n_stems + ids[1:]
    valid = (ids[:-1] >= 0) & (ids[1:] >= 0)
    inner = starts[1:-1]
    valid[inner[(inner > 0) & (inner < len(ids))] - 1] = False  # a pair across two documents
    # Pair i starts at token i: the pairs of document j are those starting in [starts[j], starts[j+1]).
    pair_starts = np.minimum(starts, len(ids) - 1)
    pair_starts, keys = _keep(pair_starts, keys, valid)
    return per_document_counts(pair_starts, keys, n_stems * n_stems)


def concept_counts(batch: EncodedBatch, n_concepts: int) -> sp.csr_matrix:
    return sp.csr_matrix(sp.coo_matrix((batch.concept_counts.astype(np.float32), (batch.concept_rows, batch.concept_ids)),
                                       shape=(batch.n_docs, n_concepts)))  # sums duplicates


def feature_counts(unigrams: sp.csr_matrix, bigrams: sp.csr_matrix | None, concepts: sp.csr_matrix,
                   vocab: Vocabulary) -> sp.csr_matrix:
    """The documents x features count matrix (columns sorted within rows) from its three blocks."""
    blocks = []
    features = vocab.unigram_feature[unigrams.indices]
    known = features >= 0
    indptr, features = _keep(unigrams.indptr, features, known)
    blocks.append(sp.csr_matrix((unigrams.data[known], features.astype(np.int32), indptr),
                                shape=(unigrams.shape[0], vocab.n_unigrams)))
    if bigrams is not None and len(vocab.bigram_keys):
        # Look up each distinct bigram once, in sorted order (cache-friendly), then spread back.
        distinct, inverse = np.unique(bigrams.indices, return_inverse=True)
        found = np.minimum(np.searchsorted(vocab.bigram_keys, distinct), len(vocab.bigram_keys) - 1)
        position, hit = found[inverse], (vocab.bigram_keys[found] == distinct)[inverse]
        del distinct, inverse, found
        indptr, position = _keep(bigrams.indptr, position, hit)
        blocks.append(sp.csr_matrix((bigrams.data[hit], position.astype(np.int32), indptr),
                                    shape=(bigrams.shape[0], len(vocab.bigram_keys))))
    blocks.append(concepts)
    return sp.hstack(blocks, format="csr", dtype=np.float32)


FIT_BLOCK_DOCS = 50_000  # documents counted together while fitting (bounds token-sized temporaries)


class FrequentKeys:
    """Sums (distinct keys, counts) blocks and keeps the keys whose total reaches a minimum.

    Keys are spread over partitions by value as they arrive, so the final summing sorts one
    partition at a time: its temporaries are a fraction of the distinct keys (at 100k experts
    there are ~14M distinct bigrams, most seen once, so merging whole arrays would dominate both
    the time and the peak memory of fitting)."""

    PARTS = 16

    def __init__(self):
        self._parts: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(self.PARTS)]

    def add(self, keys: np.ndarray, counts: np.ndarray) -> None:
        part = (keys % self.PARTS).astype(np.uint8)
        order = np.argsort(part, kind="stable")  # a radix sort; keys stay sorted within each part
        bounds = np.searchsorted(part[order], np.arange(self.PARTS + 1)).tolist()
        keys, counts = keys[order], counts[order].astype(np.int32)
        for index, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:])):
            self._parts[index].append((keys[lo:hi].copy(), counts[lo:hi].copy()))

    def result(self, min_count: int) -> tuple[np.ndarray, np.ndarray]:
        """(sorted keys, total counts) of the keys counted at least min_count times."""
        found_keys, found_counts = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for index, blocks in enumerate(self._parts):
            self._parts[index] = []
            keys = np.concatenate([k for k, _ in blocks] or [np.zeros(0, np.int64)])
            counts = np.concatenate([c for _, c in blocks] or [np.zeros(0, np.int32)])
            del blocks
            order = np.argsort(keys, kind="stable")  # merges the blocks' sorted runs
            keys, counts = keys[order], counts[order]
            if len(keys):
                starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
                keys, counts = keys[starts], np.add.reduceat(counts, starts)
            keep = counts >= min_count
            found_keys.append(keys[keep])
            found_counts.append(counts[keep].astype(np.int64))
        keys, counts = np.concatenate(found_keys), np.concatenate(found_counts)
        order = np.argsort(keys)
        return keys[order], counts[order]


def batch_slice(batch: EncodedBatch, first: int, last: int) -> EncodedBatch:
    """Documents first..last-1 of a batch (token ids are a view)."""
    lo, hi = int(batch.starts[first]), int(batch.starts[last])
    mine = (batch.concept_rows >= first) & (batch.concept_rows < last)
    return EncodedBatch(batch.stem_ids[lo:hi], batch.starts[first:last + 1] - lo, batch.concept_rows[mine] - first,
                        batch.concept_ids[mine], batch.concept_counts[mine])


def block_frequencies(part: EncodedBatch, n_stems: int, use_bigrams: bool) -> tuple[np.ndarray, int, np.ndarray, np.ndarray, int]:
    """fit_units' first pass over a block of documents: document frequencies of stems and bigram keys, and entry counts."""
    unigrams = unigram_counts(part, n_stems)
    found = (np.bincount(unigrams.indices, minlength=n_stems), unigrams.nnz)
    if not use_bigrams:
        return (*found, np.zeros(0, np.int64), np.zeros(0, np.int64), 0)
    bigrams = bigram_counts(part, n_stems)
    return (*found, *np.unique(bigrams.indices, return_counts=True), bigrams.nnz)


def block_rows(task: tuple[EncodedBatch, sp.csr_matrix], n_stems: int, use_bigrams: bool,
               vocab: Vocabulary) -> sp.csr_matrix:
    """fit_units' second pass: the unit TF-IDF rows of a block of documents (counted again: cheaper than
    keeping every block's counts) and its concept counts."""
    part, concepts = task
    bigrams = bigram_counts(part, n_stems) if use_bigrams else None
    return tfidf_rows(feature_counts(unigram_counts(part, n_stems), bigrams, concepts, vocab), vocab)[0]


def fit_units(batch: EncodedBatch, n_stems: int, n_concepts: int, use_bigrams: bool,
              bigram_min_df: int, concept_weight: float, n_jobs: int = 1) -> tuple[Vocabulary, sp.csr_matrix]:
    """The vocabulary learnt from a batch, and the batch's unit TF-IDF rows.

    Two passes over blocks of documents (spread over n_jobs processes, see parallel.parallel_map):
    the first counts each document's distinct stems and bigrams for their document frequencies, the
    second counts them again, maps them to features and weights them, so no array ever has one
    entry per token of the whole corpus besides the ids."""
    n_docs = batch.n_docs
    blocks = [(first, min(first + FIT_BLOCK_DOCS, n_docs)) for first in range(0, n_docs, FIT_BLOCK_DOCS)] or [(0, 0)]

    stem_df = np.zeros(n_stems, dtype=np.int64)
    capacity = 0  # entries of every block (an upper bound of the rows' size)
    bigram_documents = FrequentKeys()  # distinct bigram keys, in how many documents
    for block_df, unigram_nnz, keys, counts, bigram_nnz in parallel_map(
            functools.partial(block_frequencies, n_stems=n_stems, use_bigrams=use_bigrams),
            [batch_slice(batch, *block) for block in blocks], n_jobs):
        stem_df += block_df
        bigram_documents.add(keys, counts)
        capacity += unigram_nnz + bigram_nnz
    stems = np.flatnonzero(stem_df)
    unigram_feature = np.full(n_stems, -1, dtype=np.int64)
    unigram_feature[stems] = np.arange(len(stems))
    keys, bigram_df = bigram_documents.result(bigram_min_df)
    del bigram_documents
    concepts = concept_counts(batch, n_concepts)
    concept_df = np.bincount(concepts.indices, minlength=n_concepts)
    df = np.concatenate([stem_df[stems], bigram_df, concept_df]).astype(np.float64)
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0  # scikit-learn's smoothed IDF
    boost = np.ones_like(idf)
    boost[len(stems) + len(keys):] = concept_weight
    vocab = Vocabulary(n_stems, unigram_feature, keys, len(stems), n_concepts, idf, boost)

    # Rows are written straight into arrays sized by an upper bound (every counted stem and bigram),
    # so the matrix never exists twice as it would with vstack.
    capacity += concepts.nnz
    data = np.empty(capacity, dtype=np.float32)
    indices = np.empty(capacity, dtype=np.int32 if vocab.n_features < 2**31 else np.int64)
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    cursor = 0
    for (first, last), unit in zip(blocks, parallel_map(
            functools.partial(block_rows, n_stems=n_stems, use_bigrams=use_bigrams, vocab=vocab),
            [(batch_slice(batch, *block), concepts[block[0]:block[1]]) for block in blocks], n_jobs)):
        data[cursor:cursor + unit.nnz] = unit.data
        indices[cursor:cursor + unit.nnz] = unit.indices
        indptr[first + 1:last + 1] = cursor + unit.indptr[1:]
        cursor += unit.nnz
        del unit
    return vocab, sp.csr_matrix((data[:cursor], indices[:cursor], indptr), shape=(n_docs, vocab.n_features), copy=False)


def count_matrix(batch: EncodedBatch, vocab: Vocabulary) -> sp.csr_matrix:
    """Raw term counts, one row per document of the batch."""
    bigrams = bigram_counts(batch, vocab.n_stems) if len(vocab.bigram_keys) else None
    return feature_counts(unigram_counts(batch, vocab.n_stems), bigrams, concept_counts(batch, vocab.n_concepts), vocab)


def query_vector(stem_ids: list[int], concept_counts: dict[int, float], vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """(sorted features, unit weights) of one request: its stem ids in order (-1 unknown) and its
    concept counts. The same numbers as tfidf_rows gives a document, in a few numpy calls."""
    ids = np.asarray(stem_ids, dtype=np.int64)
    unigrams = vocab.unigram_feature[ids[ids >= 0]]
    parts = [unigrams[unigrams >= 0]]
    if len(vocab.bigram_keys) and len(ids) > 1:
        adjacent = (ids[:-1] >= 0) & (ids[1:] >= 0)
        keys = ids[:-1][adjacent] * vocab.n_stems + ids[1:][adjacent]
        position = np.minimum(np.searchsorted(vocab.bigram_keys, keys), len(vocab.bigram_keys) - 1)
        parts.append(vocab.n_unigrams + position[vocab.bigram_keys[position] == keys])
    features, counts = np.unique(np.concatenate(parts), return_counts=True)
    concepts = sorted(concept_counts)
    features = np.concatenate([features, vocab.concept_offset + np.asarray(concepts, dtype=np.int64)])
    counts = np.concatenate([counts, [concept_counts[c] for c in concepts]])
    values = (1.0 + np.log(counts)) * vocab.idf[features] * vocab.boost[features]
    norm = np.sqrt(np.dot(values, values))
    if norm == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    return features, (values / norm).astype(np.float32).astype(np.float64)


def tfidf_rows(counts: sp.csr_matrix, vocab: Vocabulary) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sublinear TF x IDF x boost, each row scaled to unit length (float32, in place over `counts`);
    also the norms before scaling."""
    unit = sp.csr_matrix(counts, dtype=np.float32)
    unit.sort_indices()
    weight = (vocab.idf * vocab.boost).astype(np.float32)
    np.log(unit.data, out=unit.data)
    unit.data += 1.0
    unit.data *= weight[unit.indices]
    norms = np.zeros(unit.shape[0])
    filled = np.flatnonzero(np.diff(unit.indptr))
    for start in range(0, len(filled), ROW_BLOCK):  # a block of rows at a time: no nnz-sized float64 temporary
        rows = filled[start:start + ROW_BLOCK]
        lo, hi = unit.indptr[rows[0]], unit.indptr[rows[-1] + 1]
        norms[rows] = np.sqrt(np.add.reduceat(unit.data[lo:hi].astype(np.float64) ** 2, unit.indptr[rows] - lo))
        scale = (1.0 / norms[rows]).astype(np.float32)
        unit.data[lo:hi] *= np.repeat(scale, np.diff(unit.indptr)[rows])
    return unit, norms


ROW_BLOCK = 100_000


def display_surfaces(table: TermTable, word_counts: np.ndarray) -> tuple[list[str], dict[str, dict[int, str]]]:
    """How to show each stem: the word as people wrote it most often (accents and Arabic letters kept,
    'sécurité', 'المشبوهة'), and never with an Arabic conjunction or preposition attached ('والمناطق')
    when the bare word ('المناطق', 'مناطق') was written anywhere: that form counts for the bare word
    (the stemmer leaves some such forms a stem of their own). Ties go to the first seen.

    Returns (the best form of each stem over every language, {language: {stem id: its best form in
    that language}} where that differs): a reader sees their own language's word when the stem has one
    ('contrôle' for a French reader, 'control' for an English one). A stem no text wrote shows as itself."""
    forms: dict[int, dict[tuple[str, str], int]] = {}  # stem -> (language, written form) -> count
    spellings: dict[str, dict[str, int]] = {}  # Arabic: folded word -> written form -> count
    surfaces, surface_stem, expansions = table.surfaces, table.surface_stem, abbreviations.EXPANSIONS
    for word_id, count in enumerate(word_counts.tolist()):
        own = table._word_surfaces[word_id]
        if not count or not own:
            continue
        language, word = table.word_keys[word_id]
        canonical = surfaces[own[0]]
        if canonical in expansions:
            word = canonical
        elif textlib.is_arabic(word):
            language = "ar"
            written = spellings.setdefault(textlib.normalise_arabic(word), {})
            written[word] = written.get(word, 0) + count
        key = (language, word)
        per_stem = forms.setdefault(surface_stem[own[0]], {})
        per_stem[key] = per_stem.get(key, 0) + count
    spelling = {folded: _most_frequent(written) for folded, written in spellings.items()}
    best = list(table.stems)
    by_language: dict[str, dict[int, str]] = {}
    for stem_id, seen in forms.items():
        shown: dict[str, dict[str, int]] = {}  # language -> display form -> count
        for (language, word), count in seen.items():
            if language == "ar":
                word = _without_clitic(word, spelling)
            mine = shown.setdefault(language, {})
            mine[word] = mine.get(word, 0) + count
        overall: dict[str, int] = {}
        for mine in shown.values():
            for word, count in mine.items():
                overall[word] = overall.get(word, 0) + count
        best[stem_id] = _most_frequent(overall)
        for language, mine in shown.items():
            if (own_best := _most_frequent(mine)) != best[stem_id]:
                by_language.setdefault(language, {})[stem_id] = own_best
    return best, by_language


def _most_frequent(counts: dict[str, int]) -> str:
    return max(counts, key=counts.__getitem__)  # dicts keep insertion order: max keeps the first seen of a tie


# Arabic function words written onto the next word: 'and', 'so', 'with/by', 'like', 'to/for' and their pairs.
ARABIC_CLITICS = ("وب", "وك", "ول", "فب", "فك", "فل", "و", "ف", "ب", "ك", "ل")


def _without_clitic(word: str, spelling: dict[str, str]) -> str:
    """An Arabic word without the function word written onto it: as the bare word was most often written
    when it was seen ('والمناطق' -> 'المناطق', else 'مناطق'; 'للمناطق' -> 'المناطق'); else, before the
    article, as written without it ('والفنيين' -> 'الفنيين'); else the word: a bare 'وحمض' stays, since
    without the bare word seen 'و' may be the word's own letter ('وزارة', 'وقود')."""
    for prefix in ARABIC_CLITICS:
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            rest = textlib.normalise_arabic(word[len(prefix):])
            candidates = [rest]
            if prefix.endswith("ل") and rest.startswith("ل"):
                candidates.append("ا" + rest)  # 'للمناطق' is ل + 'المناطق'
            candidates += [c[2:] for c in candidates if c.startswith("ال")]
            for candidate in candidates:
                if candidate in spelling:
                    return spelling[candidate]
    for prefix, article in ARTICLE_CLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_AFTER_ARTICLE:
            return article + word[len(prefix):]
    return word


# A conjunction or preposition before the article, and the article left: 'و' + 'ال...', 'ل' + 'ل...' (for 'ال').
# Not 'كال' or 'فال', which begin words as often ('كالسيوم', calcium).
ARTICLE_CLITICS = (("وال", "ال"), ("بال", "ال"), ("ولل", "ال"), ("لل", "ال"))
MIN_AFTER_ARTICLE = 3  # 'والد' (father), 'والي' (governor) keep their letters: too short to be و + ال + a word
