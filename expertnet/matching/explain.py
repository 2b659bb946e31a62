"""Readable reasons: which terms and topics made a score, as shares a coordinator can read."""
from __future__ import annotations

import numpy as np

from . import abbreviations
from .models import Reason, Topic

LANGUAGE_NAMES = {
    "en": {"en": "English", "ar": "الإنجليزية", "fr": "anglais", "es": "inglés"},
    "ar": {"en": "Arabic", "ar": "العربية", "fr": "arabe", "es": "árabe"},
    "fr": {"en": "French", "ar": "الفرنسية", "fr": "français", "es": "francés"},
    "es": {"en": "Spanish", "ar": "الإسبانية", "fr": "espagnol", "es": "español"},
    "ru": {"en": "Russian", "ar": "الروسية", "fr": "russe", "es": "ruso"},
    "zh": {"en": "Chinese", "ar": "الصينية", "fr": "chinois", "es": "chino"},
}


def language_name(code: str, display_language: str) -> str:
    names = LANGUAGE_NAMES.get(code, {})
    return names.get(display_language) or names.get("en") or code


def readable_word(surface: str) -> str:
    """Abbreviations are shown as written in the field ('IED', not 'ied')."""
    return surface.upper() if surface in abbreviations.EXPANSIONS else surface


class FeatureLabels:
    """Turns feature indices into (kind, label) for a display language."""

    def __init__(self, feature_stem: np.ndarray, bigram_keys: np.ndarray, n_stems: int,
                 surfaces: list[str], concept_offset: int, topics: list[Topic | None], slugs: list[str]):
        self.feature_stem = feature_stem
        self.bigram_keys = bigram_keys
        self.n_stems = n_stems
        self.surfaces = surfaces
        self.n_unigrams = len(feature_stem)
        self.concept_offset = concept_offset
        self.topics = topics
        self.slugs = slugs
        self._cache: dict[tuple[int, str], tuple[str, str]] = {}

    def label(self, feature: int, display_language: str) -> tuple[str, str]:
        key = (feature, display_language)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            found = self._cache[key] = self._label(feature, display_language)
        return found

    def _label(self, feature: int, display_language: str) -> tuple[str, str]:
        if feature >= self.concept_offset:
            concept = feature - self.concept_offset
            topic = self.topics[concept]
            return "topic", topic.label(display_language) if topic else self.slugs[concept]
        if feature < self.n_unigrams:
            return "term", readable_word(self.surfaces[self.feature_stem[feature]])
        first, second = divmod(int(self.bigram_keys[feature - self.n_unigrams]), self.n_stems)
        return "term", f"{readable_word(self.surfaces[first])} {readable_word(self.surfaces[second])}"


def reasons_from_contributions(features: np.ndarray, contributions: np.ndarray, labels: FeatureLabels,
                               display_language: str, total: float) -> list[Reason]:
    """Reasons largest first, as shares of `total`; features sharing a label are added together."""
    if total <= 0:
        return []
    order = np.argsort(-contributions, kind="stable")
    values = contributions[order]
    order = order[values > 0]
    values = (values[values > 0] / total).tolist()
    label = labels.label
    keys = [label(feature, display_language) for feature in features[order].tolist()]
    if len(set(keys)) == len(keys):
        return [Reason(text, kind, share) for (kind, text), share in zip(keys, values)]
    grouped: dict[tuple[str, str], float] = {}
    for key, share in zip(keys, values):
        grouped[key] = grouped.get(key, 0.0) + share
    items = sorted(grouped.items(), key=lambda item: -item[1])
    return [Reason(text, kind, share) for (kind, text), share in items]


def reasons_for_many(owner: np.ndarray, features: np.ndarray, contributions: np.ndarray, n: int,
                     labels: FeatureLabels, display_language: str) -> list[list[Reason]]:
    """reasons_from_contributions for n owners at once (each owner's shares of its own total).

    One sort and one pass in Python over all (owner, feature) pairs, instead of a few numpy calls
    per owner: explaining the top 20 costs what a single expert did."""
    out: list[list[Reason]] = [[] for _ in range(n)]
    if len(owner) == 0:
        return out
    totals = np.bincount(owner, contributions, minlength=n)
    order = np.lexsort((-contributions, owner))  # by owner, then largest first (stable: feature order on ties)
    owner, features, contributions = owner[order], features[order], contributions[order]
    keep = (contributions > 0) & (totals[owner] > 0)
    owner, features = owner[keep], features[keep]
    shares = (contributions[keep] / totals[owner]).tolist()
    bounds = np.searchsorted(owner, np.arange(n + 1)).tolist()
    label = labels.label
    keys = [label(feature, display_language) for feature in features.tolist()]
    for i in range(n):
        mine, values = keys[bounds[i]:bounds[i + 1]], shares[bounds[i]:bounds[i + 1]]
        if len(set(mine)) == len(mine):
            out[i] = [Reason(text, kind, share) for (kind, text), share in zip(mine, values)]
            continue
        grouped: dict[tuple[str, str], float] = {}
        for key, share in zip(mine, values):
            grouped[key] = grouped.get(key, 0.0) + share
        out[i] = [Reason(text, kind, share) for (kind, text), share in sorted(grouped.items(), key=lambda item: -item[1])]
    return out


def combine_by_owner(owner: np.ndarray, features: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum values of equal (owner, feature) pairs; output sorted by owner then feature."""
    order = np.lexsort((features, owner))
    owner, features, values = owner[order], features[order], values[order]
    if len(owner) == 0:
        return owner, features, values
    new = np.concatenate([[True], (owner[1:] != owner[:-1]) | (features[1:] != features[:-1])])
    starts = np.flatnonzero(new)
    return owner[starts], features[starts], np.add.reduceat(values, starts)


def matrix_contributions(matrix, rows: np.ndarray, query) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(owner = index into rows, feature, weight x query weight) of CSR rows, restricted to query features."""
    from .index import ranges
    starts, ends = matrix.indptr[rows].astype(np.int64), matrix.indptr[rows + 1].astype(np.int64)
    positions = ranges(starts, ends)
    owner = np.repeat(np.arange(len(rows)), ends - starts)
    features = matrix.indices[positions].astype(np.int64)
    weights = query.weights_of(features)
    hit = weights > 0
    return owner[hit], features[hit], matrix.data[positions][hit].astype(np.float64) * weights[hit]
