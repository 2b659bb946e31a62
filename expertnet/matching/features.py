"""From texts to sparse TF-IDF rows: term table, vocabulary (unigrams, bigrams, concepts), weights.

Fitting analyses every text once into stem ids (Python, with a cache keyed by surface word), and
does the rest -- bigrams, document frequencies, counting -- as vectorised numpy over the whole
batch. Transforming later texts uses the same code with a frozen table, so a profile text gives
the same row at fit time, at update time and as a request.
"""
from __future__ import annotations

from dataclasses import dataclass
from array import array
from collections.abc import Callable, Iterable
from itertools import chain

import numpy as np
import scipy.sparse as sp

from . import text as textlib
from .concepts import ConceptLexicon

CONCEPT_PREFIX = "\u00a7"  # feature names of concepts: '§explosives-precursor-controls'


class TermTable:
    """Stem strings <-> ids, with per-language caches so each distinct raw token is analysed once."""

    QUERY_CACHE_LIMIT = 200_000

    def __init__(self, stems: list[str] | None = None):
        self.stems: list[str] = list(stems or [])
        self.ids: dict[str, int] = {s: i for i, s in enumerate(self.stems)}
        self.surfaces: list[str] = []          # surface words seen while growing
        self.surface_stem: list[int] = []      # surface id -> stem id
        self._surface_ids: dict[tuple[str, str], int] = {}
        self._growing_cache: dict[str, dict[str, tuple[int, ...]]] = {}
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

    def encode_growing(self, text: str) -> Iterable[int]:
        """Surface ids of a text, adding unseen words and stems (used while fitting).

        Python work per token is one dict look-up done in C (map); each distinct word of the
        corpus is normalised, stemmed and given an id once."""
        words = textlib.raw_words(text)
        distinct = set(words)
        language = textlib.detect_latin_language(distinct)
        cache = self._growing_cache.setdefault(language, {})
        missing = distinct.difference(cache)
        if missing:
            for word in dict.fromkeys(words):  # first-appearance order keeps ids reproducible
                if word in missing:
                    cache[word] = tuple(self._surface_id(form, language) for form in textlib.content_forms(word))
        return chain.from_iterable(map(cache.__getitem__, words))

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


def encode_texts(texts: list[str], encode: Callable[[str], Iterable[int]], lexicon: ConceptLexicon,
                 declared: list[dict[int, float] | None], to_stems: np.ndarray | None = None) -> tuple[EncodedBatch, np.ndarray]:
    """Encode texts into one batch; `encode` gives ids per text, `to_stems` maps them to stem ids if they
    are surface ids. Also returns the raw ids (surface ids while fitting, for display words)."""
    flat = array("q")  # 8 bytes per token, not a Python int object each: fitting 100k profiles saves ~1 GB
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        before = len(flat)
        flat.extend(encode(text))
        lengths[i] = len(flat) - before
    raw = np.frombuffer(flat, dtype=np.int64).copy() if len(flat) else np.zeros(0, np.int64)
    stem_ids = to_stems[raw] if to_stems is not None and len(raw) else raw
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    rows, concepts = find_concepts(lexicon, stem_ids, starts)
    counts = [np.ones(len(rows))]
    rows, concepts = [rows], [concepts]
    for row, hits in enumerate(declared):
        if hits:
            rows.append(np.full(len(hits), row, dtype=np.int64))
            concepts.append(np.fromiter(hits.keys(), np.int64, len(hits)))
            counts.append(np.fromiter(hits.values(), np.float64, len(hits)))
    batch = EncodedBatch(stem_ids, starts, np.concatenate(rows), np.concatenate(concepts), np.concatenate(counts))
    return batch, raw


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


def doc_index_of_tokens(starts: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(starts) - 1, dtype=np.int64), np.diff(starts))


def bigram_keys(batch: EncodedBatch, n_stems: int) -> tuple[np.ndarray, np.ndarray]:
    """(doc index, key = first*n_stems + second) of adjacent known stems inside one document."""
    ids = batch.stem_ids
    if len(ids) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    docs = doc_index_of_tokens(batch.starts)
    same_doc = docs[:-1] == docs[1:]
    known = (ids[:-1] >= 0) & (ids[1:] >= 0) & same_doc
    return docs[:-1][known], ids[:-1][known] * n_stems + ids[1:][known]


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


def document_frequency(rows: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys (>= 0) and in how many distinct rows each occurs."""
    valid = keys >= 0
    rows, keys = rows[valid], keys[valid]
    if len(keys) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    span = int(keys.max()) + 1
    pairs = distinct_sorted(rows.astype(np.int64) * span + keys)
    return run_lengths(np.sort(pairs % span))


def distinct_sorted(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def run_lengths(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of a sorted array and how often each occurs."""
    if len(sorted_values) == 0:
        return sorted_values, np.zeros(0, np.int64)
    starts = np.flatnonzero(np.concatenate([[True], sorted_values[1:] != sorted_values[:-1]]))
    return sorted_values[starts], np.diff(np.append(starts, len(sorted_values)))


def fit_vocabulary(batch: EncodedBatch, n_stems: int, n_concepts: int, use_bigrams: bool,
                   bigram_min_df: int, concept_weight: float) -> Vocabulary:
    n_docs = batch.n_docs
    docs = doc_index_of_tokens(batch.starts)
    stems, stem_df = document_frequency(docs, batch.stem_ids)
    unigram_feature = np.full(n_stems, -1, dtype=np.int64)
    unigram_feature[stems] = np.arange(len(stems))
    bigram_df = np.zeros(0, np.int64)
    keys = np.zeros(0, np.int64)
    if use_bigrams:
        keys, bigram_df = document_frequency(*bigram_keys(batch, n_stems))
        frequent = bigram_df >= bigram_min_df
        keys, bigram_df = keys[frequent], bigram_df[frequent]
    concept_df = np.zeros(n_concepts, np.int64)
    if len(batch.concept_ids):
        found, counts = document_frequency(batch.concept_rows, batch.concept_ids)
        concept_df[found] = counts
    df = np.concatenate([stem_df, bigram_df, concept_df]).astype(np.float64)
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0  # scikit-learn's smoothed IDF
    boost = np.ones_like(idf)
    boost[len(stem_df) + len(keys):] = concept_weight
    return Vocabulary(n_stems, unigram_feature, keys, len(stems), n_concepts, idf, boost)


def feature_occurrences(batch: EncodedBatch, vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document, feature, count) for every unigram, bigram and concept occurrence of the batch."""
    docs = doc_index_of_tokens(batch.starts)
    unigram = vocab.unigram_feature[np.clip(batch.stem_ids, 0, None)] if len(batch.stem_ids) else np.zeros(0, np.int64)
    known = (batch.stem_ids >= 0) & (unigram >= 0)
    rows, cols = [docs[known]], [unigram[known]]
    weights = [np.ones(int(known.sum()))]
    if len(vocab.bigram_keys):
        bigram_docs, keys = bigram_keys(batch, vocab.n_stems)
        position = np.minimum(np.searchsorted(vocab.bigram_keys, keys), len(vocab.bigram_keys) - 1)
        hit = vocab.bigram_keys[position] == keys
        rows.append(bigram_docs[hit])
        cols.append(vocab.n_unigrams + position[hit])
        weights.append(np.ones(int(hit.sum())))
    rows.append(batch.concept_rows)
    cols.append(vocab.concept_offset + batch.concept_ids)
    weights.append(batch.concept_counts)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(weights)


def count_matrix(batch: EncodedBatch, vocab: Vocabulary) -> sp.csr_matrix:
    """Raw term counts, one row per document of the batch."""
    rows, cols, weights = feature_occurrences(batch, vocab)
    shape = (batch.n_docs, vocab.n_features)
    return sp.coo_matrix((weights, (rows, cols)), shape=shape).tocsr()  # sums duplicates


def single_vector(batch: EncodedBatch, vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """(sorted features, unit weights) of a one-document batch; the same numbers as tfidf_rows, without scipy."""
    _, cols, weights = feature_occurrences(batch, vocab)
    features, inverse = np.unique(cols, return_inverse=True)
    counts = np.bincount(inverse, weights, minlength=len(features))
    values = (1.0 + np.log(counts)) * vocab.idf[features] * vocab.boost[features]
    norm = np.sqrt(np.dot(values, values))
    if norm == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    return features.astype(np.int64), (values / norm).astype(np.float32).astype(np.float64)


def tfidf_rows(counts: sp.csr_matrix, vocab: Vocabulary) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sublinear TF x IDF x boost, each row scaled to unit length; also the norms before scaling."""
    weighted = counts.copy().astype(np.float64)
    weighted.data = (1.0 + np.log(weighted.data)) * (vocab.idf * vocab.boost)[weighted.indices]
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    unit = sp.diags(scale) @ weighted
    unit = sp.csr_matrix(unit, dtype=np.float32)
    unit.sort_indices()
    return unit, norms


def display_surfaces(table: TermTable, surface_ids: np.ndarray) -> list[str]:
    """For each stem the surface word that occurred most often (ties: first seen)."""
    best = list(table.stems)
    if not table.surfaces:
        return best
    counts = np.bincount(surface_ids, minlength=len(table.surfaces)) if len(surface_ids) else np.zeros(len(table.surfaces), np.int64)
    surface_stem = np.asarray(table.surface_stem, dtype=np.int64)
    order = np.lexsort((np.arange(len(counts)), -counts, surface_stem))
    first = np.ones(len(order), dtype=bool)
    first[1:] = surface_stem[order][1:] != surface_stem[order][:-1]
    for sid in order[first]:
        best[surface_stem[sid]] = table.surfaces[sid]
    return best
