"""Taxonomy concepts: topic labels and synonyms in every language, found in analysed text.

A phrase is matched as an exact run of stems (stop words already removed), so 'contrôle des
précurseurs' and 'السلائف' both yield the same concept feature as 'precursor controls'. That
shared feature is what carries a request across languages.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from .models import Topic

MAX_PHRASE_STEMS = 8  # longer 'synonyms' are descriptions, not phrases


def topic_phrases(topic: Topic) -> list[tuple[str, str]]:
    """(language, phrase) for every name of a topic: slug words, labels and synonyms."""
    phrases = [("en", topic.slug.replace("-", " "))]
    phrases.extend(topic.labels.items())
    for language, synonyms in topic.synonyms.items():
        phrases.extend((language, s) for s in synonyms)
    return phrases


class ConceptLexicon:
    """Maps runs of stem ids to concept indices (one concept per taxonomy topic)."""

    def __init__(self, slugs: list[str], phrases: dict[tuple[int, ...], tuple[int, ...]]):
        self.slugs = slugs
        self.phrases = phrases
        self._lengths_by_first: dict[int, list[int]] = {}
        for phrase in phrases:
            self._lengths_by_first.setdefault(phrase[0], []).append(len(phrase))
        for lengths in self._lengths_by_first.values():
            lengths[:] = sorted(set(lengths), reverse=True)
        self._index = {slug: i for i, slug in enumerate(slugs)}
        self._first: np.ndarray | None = None

    @classmethod
    def build(cls, topics: Iterable[Topic], stem_ids_of: Callable[[str, str | None], list[int]]) -> "ConceptLexicon":
        """`stem_ids_of(text, language)` analyses a phrase into stem ids (growing the term table).

        Each phrase is stemmed both as its own language and as detected from its words, since a
        short French label in running text may be read with the default English stemmer.
        """
        slugs: list[str] = []
        phrases: dict[tuple[int, ...], set[int]] = {}
        for concept, topic in enumerate(topics):
            slugs.append(topic.slug)
            for language, text in topic_phrases(topic):
                for variant in (language, None):
                    ids = tuple(stem_ids_of(text, variant))
                    if ids and len(ids) <= MAX_PHRASE_STEMS and min(ids) >= 0:
                        phrases.setdefault(ids, set()).add(concept)
        return cls(slugs, {k: tuple(sorted(v)) for k, v in phrases.items()})

    def first_stems(self) -> np.ndarray:
        if self._first is None:
            self._first = np.asarray(sorted(self._lengths_by_first), dtype=np.int64)
        return self._first

    def concepts_at(self, stem_ids: list[int], start: int, end: int) -> list[int]:
        """Concepts of phrases starting at `start` and ending before `end` (the document's end)."""
        found: list[int] = []
        for length in self._lengths_by_first.get(stem_ids[start], ()):
            if start + length <= end:
                found.extend(self.phrases.get(tuple(stem_ids[start:start + length]), ()))
        return found

    def find(self, stem_ids: list[int]) -> list[int]:
        """Concept indices of every phrase occurrence (overlaps allowed) in one text."""
        found: list[int] = []
        lengths_by_first = self._lengths_by_first
        for start, first in enumerate(stem_ids):
            lengths = lengths_by_first.get(first)
            if lengths is None:
                continue
            for length in lengths:
                concepts = self.phrases.get(tuple(stem_ids[start:start + length]))
                if concepts:
                    found.extend(concepts)
        return found

    def index_of(self, slug: str) -> int | None:
        return self._index.get(slug)

    def to_state(self) -> dict:
        return {"slugs": self.slugs, "phrases": [[list(k), list(v)] for k, v in self.phrases.items()]}

    @classmethod
    def from_state(cls, state: dict) -> "ConceptLexicon":
        return cls(list(state["slugs"]), {tuple(k): tuple(v) for k, v in state["phrases"]})
