"""Profiles and requests to encoded batches: which documents an expert has, and their weights."""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from .concepts import ConceptLexicon
from .errors import InvalidProfileError
from .features import EncodedBatch, StemLookup, encode_texts
from .models import DOCUMENT_KINDS, TOPIC_LEVELS, Document, ExpertProfile, Topic

DEFAULT_FIELD_WEIGHTS = {"headline": 1.0, "statement": 1.5, "biography": 0.8, "topic": 1.5,
                         "experience": 1.0, "publication": 1.0}
DECLARED_TOPICS_KIND = "topic"
QUERY_TOPIC_COUNT = 2.0  # a topic the requester ticked counts like a phrase said twice


def resolve_field_weights(field_weights: dict[str, float] | None) -> dict[str, float]:
    weights = dict(DEFAULT_FIELD_WEIGHTS)
    for kind, weight in (field_weights or {}).items():
        if kind not in DOCUMENT_KINDS:
            raise ValueError(f"field_weights: unknown document kind {kind!r}; expected one of {DOCUMENT_KINDS}")
        if not weight > 0:
            raise ValueError(f"field_weights[{kind!r}] must be positive, got {weight!r}")
        weights[kind] = float(weight)
    return weights


def check_profile(profile: ExpertProfile) -> None:
    if not isinstance(profile, ExpertProfile):
        raise InvalidProfileError(f"expected ExpertProfile, got {type(profile).__name__}")
    for document in profile.documents:
        if not isinstance(document, Document) or document.kind not in DOCUMENT_KINDS:
            raise InvalidProfileError(f"expert {profile.expert_id}: bad document {document!r}; kinds are {DOCUMENT_KINDS}")
        if not isinstance(document.text, str):
            raise InvalidProfileError(f"expert {profile.expert_id}: document text must be str")
    for level in profile.topics.values():
        if level not in TOPIC_LEVELS:
            raise InvalidProfileError(f"expert {profile.expert_id}: topic level {level!r} not in {tuple(TOPIC_LEVELS)}")


def declared_topics_document(profile: ExpertProfile, topics: dict[str, Topic], lexicon: ConceptLexicon) -> tuple[str, dict[int, float]] | None:
    """The synthetic 'declared topics' document: every label of each topic, and concept counts by level."""
    if not profile.topics:
        return None
    texts, concepts = [], {}
    for slug, level in sorted(profile.topics.items()):
        topic = topics.get(slug)
        texts.append(" . ".join(topic.labels.values()) if topic else slug.replace("-", " "))
        concept = lexicon.index_of(slug)
        if concept is not None:
            concepts[concept] = float(TOPIC_LEVELS[level])
    return " . ".join(texts), concepts


def profile_documents(profile: ExpertProfile, topics: dict[str, Topic], lexicon: ConceptLexicon,
                      weights: dict[str, float]) -> list[tuple[str, float, dict[int, float] | None]]:
    """(text, field weight, declared concept counts) for each document of a profile."""
    documents: list[tuple[str, float, dict[int, float] | None]] = [
        (d.text, weights[d.kind], None) for d in profile.documents if d.text and d.text.strip()]
    declared = declared_topics_document(profile, topics, lexicon)
    if declared:
        documents.append((declared[0], weights[DECLARED_TOPICS_KIND], declared[1]))
    return documents


def encode_documents(documents: list[tuple[str, float, dict[int, float] | None]],
                     encode: Callable[[str], Iterable[int]], lexicon: ConceptLexicon,
                     to_stems: StemLookup | None = None, expand: Callable | None = None) -> tuple[EncodedBatch, np.ndarray]:
    """Stem ids and concept hits of each document; `encode` maps text to ids (see features.encode_texts)."""
    return encode_texts([d[0] for d in documents], encode, lexicon, [d[2] for d in documents], to_stems, expand)


def field_weights_of(documents: list[tuple[str, float, dict[int, float] | None]]) -> np.ndarray:
    return np.asarray([w for _, w, _ in documents], dtype=np.float64)


def query_concepts(stem_ids: list[int], topic_slugs: tuple[str, ...], lexicon: ConceptLexicon) -> dict[int, float]:
    """Concept -> count of a request: phrases found in its text, plus the topics the requester ticked."""
    counts: dict[int, float] = {}
    for concept in lexicon.find(stem_ids):
        counts[concept] = counts.get(concept, 0.0) + 1.0
    for slug in topic_slugs:
        ticked = lexicon.index_of(slug)
        if ticked is not None:
            counts[ticked] = counts.get(ticked, 0.0) + QUERY_TOPIC_COUNT
    return counts
