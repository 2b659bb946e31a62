"""From texts to sparse TF-IDF rows: term table, vocabulary (unigrams, bigrams, concepts), weights.

Fitting analyses every text once into stem ids (Python, with a cache keyed by surface word), and
does the rest -- bigrams, document frequencies, counting -- as vectorised numpy over the whole
batch. Transforming later texts uses the same code with a frozen table, so a profile text gives
the same row at fit time, at update time and as a request.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import text as textlib
from .concepts import ConceptLexicon

CONCEPT_PREFIX = "\u00a7"  # feature names of concepts: '§explosives-precursor-controls'


class TermTable:
    """Stem strings <-> ids, plus a surface-word cache so each distinct word is stemmed once."""

    def __init__(self, stems: list[str] | None = None):
        self.stems: list[str] = list(stems or [])
        self.ids: dict[str, int] = {s: i for i, s in enumerate(self.stems)}
        self.surfaces: list[str] = []          # surface words seen while growing
        self.surface_stem: list[int] = []      # surface id -> stem id
        self._surface_ids: dict[tuple[str, str], int] = {}

    def stem_id(self, stem: str, grow: bool) -> int:
        found = self.ids.get(stem)
        if found is None and grow:
            found = self.ids[stem] = len(self.stems)
            self.stems.append(stem)
        return -1 if found is None else found

    def surface_id(self, word: str, language: str) -> int:
        """Growing lookup used while fitting: the id of (language, word)'s cache entry."""
        key = (language, word)
        found = self._surface_ids.get(key)
        if found is None:
            found = self._surface_ids[key] = len(self.surfaces)
            self.surfaces.append(word)
            self.surface_stem.append(self.stem_id(textlib.stem(word, language), grow=True))
        return found

    def encode(self, text: str) -> list[int]:
        """Stem ids of a text against a frozen table (unknown stems are -1)."""
        words = textlib.words_of(text)
        language = textlib.detect_latin_language(words)
        return [self.stem_id(textlib.stem(w, language), grow=False) for w in textlib.content_words(words)]

    def encode_growing(self, text: str) -> list[int]:
        """Surface ids of a text, adding unseen words and stems."""
        words = textlib.words_of(text)
        language = textlib.detect_latin_language(words)
        return [self.surface_id(w, language) for w in textlib.content_words(words)]


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


def batch_from_lists(id_lists: list[list[int]], concept_lists: list[list[tuple[int, float]]]) -> EncodedBatch:
    lengths = np.fromiter((len(x) for x in id_lists), dtype=np.int64, count=len(id_lists))
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    flat = np.fromiter((i for ids in id_lists for i in ids), dtype=np.int64, count=int(starts[-1]))
    rows = [(r, c, n) for r, hits in enumerate(concept_lists) for c, n in hits]
    hits = np.array(rows, dtype=np.float64).reshape(-1, 3)
    return EncodedBatch(flat, starts, hits[:, 0].astype(np.int64), hits[:, 1].astype(np.int64), hits[:, 2])


def concept_hits(lexicon: ConceptLexicon, stem_ids: list[int], declared: dict[int, float] | None) -> list[tuple[int, float]]:
    hits = [(c, 1.0) for c in lexicon.find(stem_ids)]
    if declared:
        hits.extend(declared.items())
    return hits


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
    """Distinct keys and in how many distinct rows each occurs."""
    pairs = np.unique(np.stack([keys, rows]), axis=1) if len(keys) else np.zeros((2, 0), np.int64)
    return np.unique(pairs[0], return_counts=True)


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


def count_matrix(batch: EncodedBatch, vocab: Vocabulary) -> sp.csr_matrix:
    """Raw term counts, one row per document of the batch."""
    docs = doc_index_of_tokens(batch.starts)
    unigram = vocab.unigram_feature[np.clip(batch.stem_ids, 0, None)] if len(batch.stem_ids) else np.zeros(0, np.int64)
    known = (batch.stem_ids >= 0) & (unigram >= 0)
    rows = [docs[known]]
    cols = [unigram[known]]
    weights = [np.ones(int(known.sum()))]
    if len(vocab.bigram_keys):
        bigram_docs, keys = bigram_keys(batch, vocab.n_stems)
        position = np.searchsorted(vocab.bigram_keys, keys)
        position = np.minimum(position, len(vocab.bigram_keys) - 1)
        hit = vocab.bigram_keys[position] == keys
        rows.append(bigram_docs[hit])
        cols.append(vocab.n_unigrams + position[hit])
        weights.append(np.ones(int(hit.sum())))
    rows.append(batch.concept_rows)
    cols.append(vocab.concept_offset + batch.concept_ids)
    weights.append(batch.concept_counts)
    shape = (batch.n_docs, vocab.n_features)
    matrix = sp.coo_matrix((np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))), shape=shape)
    return matrix.tocsr()  # sums duplicates


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
