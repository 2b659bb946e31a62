"""Readable reasons: which terms and topics made a score, as shares a coordinator can read."""
from __future__ import annotations

from itertools import repeat

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


# The levels at which experts hold topics, as the profile pages name them.
LEVEL_NAMES = {
    "awareness": {"en": "awareness", "ar": "إلمام", "fr": "notions", "es": "nociones"},
    "practitioner": {"en": "practitioner", "ar": "ممارس", "fr": "praticien", "es": "profesional"},
    "expert": {"en": "expert", "ar": "خبير", "fr": "expert", "es": "experto"},
}


def held_topic_label(topic_label: str, level: str, display_language: str) -> str:
    """A ticked topic the expert holds, with their level: 'Physical protection (expert)'."""
    names = LEVEL_NAMES.get(level, {})
    return f"{topic_label} ({names.get(display_language) or names.get('en') or level})"


# "knows ammonium nitrate": an expert who knows a substance the request is tagged with.
KNOWS = {"en": "knows {}", "ar": "يعرف {}", "fr": "connaît {}", "es": "conoce {}"}


def knows_label(substance: str, display_language: str) -> str:
    return KNOWS.get(display_language, KNOWS["en"]).format(substance)


def readable_word(surface: str) -> str:
    """Abbreviations are shown as written in the field ('IED', not 'ied')."""
    return surface.upper() if surface in abbreviations.EXPANSIONS else surface


class FeatureLabels:
    """Turns feature indices into (kind, label) for a display language."""

    def __init__(self, feature_stem: np.ndarray, bigram_keys: np.ndarray, n_stems: int,
                 surfaces: list[str], concept_offset: int, topics: list[Topic | None], slugs: list[str],
                 surfaces_by_language: dict[str, dict[int, str]] | None = None):
        self.feature_stem = feature_stem
        self.bigram_keys = bigram_keys
        self.n_stems = n_stems
        self.surfaces = surfaces  # each stem's most written form (features.display_surfaces) ...
        self.surfaces_by_language = surfaces_by_language or {}  # ... and, where it differs, a language's own
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
        own = self.surfaces_by_language.get(display_language, {})
        if feature < self.n_unigrams:
            stem = int(self.feature_stem[feature])
            return "term", readable_word(own.get(stem) or self.surfaces[stem])
        first, second = divmod(int(self.bigram_keys[feature - self.n_unigrams]), self.n_stems)
        return "term", f"{readable_word(own.get(first) or self.surfaces[first])} {readable_word(own.get(second) or self.surfaces[second])}"


def reasons_from_contributions(features: np.ndarray, contributions: np.ndarray, labels: FeatureLabels,
                               display_language: str, total: float) -> list[Reason]:
    """Reasons largest first, as shares of `total`; features sharing a label are added together."""
    if total <= 0:
        return []
    order = np.argsort(-contributions, kind="stable")
    order = order[contributions[order] > 0]
    keys = [labels.label(feature, display_language) for feature in features[order].tolist()]
    reasons = [Reason(text, kind, share) for (kind, text), share in zip(keys, (contributions[order] / total).tolist())]
    return reasons if len(set(keys)) == len(keys) else _grouped(reasons)


def reasons_for_rows(contributions: np.ndarray, features: np.ndarray, labels: FeatureLabels,
                     display_language: str) -> list[list[Reason]]:
    """reasons_from_contributions for each row of a dense (owners x features) block, each row's
    shares of its own total; the features' labels are looked up once for the whole block."""
    keys = [labels.label(feature, display_language) for feature in features.tolist()]
    texts, kinds = [text for _, text in keys], [kind for kind, _ in keys]
    distinct_labels = len(set(keys)) == len(keys)
    totals = contributions.sum(axis=1)
    order = np.argsort(-contributions, axis=1, kind="stable")  # largest first, feature order on ties
    shares = np.take_along_axis(contributions, order, axis=1)
    shares /= np.where(totals > 0, totals, 1.0)[:, None]
    counts = np.count_nonzero(contributions > 0, axis=1)
    # Every row's positive entries, flattened, turned into Reasons in one pass and cut per row:
    # a ranking explains ~400 of them, so per-object Python overhead matters (tuple.__new__ is what
    # NamedTuple._make calls, without the Python-level wrapper).
    positive = np.arange(order.shape[1]) < counts[:, None]
    flat = order[positive].tolist()
    reasons = list(map(tuple.__new__, repeat(Reason), zip(map(texts.__getitem__, flat), map(kinds.__getitem__, flat),
                                                          shares[positive].tolist())))
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    rows = [reasons[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    return rows if distinct_labels else [_grouped(row) for row in rows]


def _grouped(reasons: list[Reason]) -> list[Reason]:
    """Reasons with the same label and kind (two features, one display word) added together."""
    grouped: dict[tuple[str, str], float] = {}
    for text, kind, share in reasons:
        grouped[text, kind] = grouped.get((text, kind), 0.0) + share
    return [Reason(text, kind, share) for (text, kind), share in sorted(grouped.items(), key=lambda item: -item[1])]


def combine_by_owner(owner: np.ndarray, features: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum values of equal (owner, feature) pairs; output sorted by owner then feature."""
    order = np.lexsort((features, owner))
    owner, features, values = owner[order], features[order], values[order]
    if len(owner) == 0:
        return owner, features, values
    new = np.concatenate([[True], (owner[1:] != owner[:-1]) | (features[1:] != features[:-1])])
    starts = np.flatnonzero(new)
    return owner[starts], features[starts], np.add.reduceat(values, starts)
