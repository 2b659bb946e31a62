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

    def label(self, feature: int, display_language: str) -> tuple[str, str]:
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
    """Group contributions by label, largest first, as shares of `total`."""
    if total <= 0:
        return []
    grouped: dict[tuple[str, str], float] = {}
    for feature, value in zip(features.tolist(), contributions.tolist()):
        if value > 0:
            key = labels.label(feature, display_language)
            grouped[key] = grouped.get(key, 0.0) + value
    ordered = sorted(grouped.items(), key=lambda item: (-item[1], item[0]))
    return [Reason(label=label, kind=kind, share=value / total) for (kind, label), value in ordered]


def row_contributions(matrix, row: int, query_idx: np.ndarray, query_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(features, weight x query weight) of one CSR row restricted to the query's features."""
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    features = matrix.indices[start:end].astype(np.int64)
    position = np.searchsorted(query_idx, features).clip(max=max(len(query_idx) - 1, 0))
    hit = (query_idx[position] == features) if len(query_idx) else np.zeros(len(features), bool)
    values = matrix.data[start:end][hit].astype(np.float64) * query_w[position[hit]]
    return features[hit], values
