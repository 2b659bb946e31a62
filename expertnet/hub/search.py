"""Search over the hub's published items with the matching library: each item is a matcher "profile" whose
documents are its title, summary and body in every language it has, so the hybrid ranker (multilingual TF-IDF
blended with the cross-lingual sentence encoder) finds English guidance for an Arabic query and the reverse,
and says why (`Reason`s).

The index is built out of web requests as far as this size allows: one fitted matcher per app per process,
refitted only when the published items change (their count and newest change, one small query per search),
with the document vectors kept in the process across refits, so only a new or edited text is ever encoded.
Fitting is lazy (the first search after a change pays it); for the hub's expected size (well under 1,000
items, a fit of ~50 ms plus the encoding of new texts) this is acceptable. A larger hub would move the fit into
the job worker and persist it, as the experts' index does (`MATCHER_INDEX_PATH`).

Which taxonomy topics a query is about (for the coordinators' gaps view, where the text itself is not kept) is
asked of a second small matcher whose "profiles" are the topics, described by their labels, synonyms and
descriptions in every language.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from expertnet import matching
from expertnet.experts.matcher_bridge import configured_encoder, matcher_topics
from expertnet.extensions import db
from expertnet.hub.models import HubItem, ItemStatus
from expertnet.taxonomy.models import Topic

BODY_CHARS = 4000  # of the body, enough for its gist; the title and summary carry most of the meaning
# A result at least this close is a good one (the experts' matcher's own threshold): with the taxonomy loaded the
# right item of tests/hub/test_search.py's fixed set scores 0.4-0.6 in any language, an unrelated one 0.1-0.18.
STRONG_MATCH = 0.2
TOPIC_GUESS_FLOOR = 0.25  # a topic this close to a query is what the query is about
_vectors = matching.VectorCache()  # texts encoded once per process, for every app and both indexes
_vectors_lock = threading.Lock()


@dataclass
class Hit:
    item: HubItem
    score: float
    reasons: list[matching.Reason]


@dataclass
class Found:
    hits: list[Hit]
    weak: bool  # no strong match: a gap worth recording
    language: str


def detect_language(text: str) -> str:
    """The query's language, roughly: Arabic or Cyrillic script, French or Spanish by their small words."""
    if re.search(r"[\u0600-\u06FF]", text):
        return "ar"
    if re.search(r"[\u0400-\u04FF]", text):
        return "ru"
    words = set(re.findall(r"[a-zà-ÿñ]+", text.lower()))
    french = len(words & {"le", "la", "les", "des", "du", "et", "pour", "une", "est", "sur", "dans", "aux"})
    spanish = len(words & {"el", "los", "las", "del", "y", "para", "una", "por", "con", "en", "sobre"})
    if max(french, spanish) >= 2 or re.search(r"[éèêàç]", text) or re.search(r"[ñ¿¡]", text):
        return "fr" if french >= spanish and not re.search(r"[ñ¿¡]", text) else "es"
    return "en"


def _profile(item: HubItem) -> matching.ExpertProfile:
    documents = []
    for text in item.texts:
        documents += [matching.Document("headline", text.title, text.language),
                      matching.Document("statement", text.summary, text.language)]
        if text.body.strip():
            documents.append(matching.Document("biography", text.body[:BODY_CHARS], text.language))
    return matching.ExpertProfile(expert_id=item.id, documents=documents,
                                  topics={t.slug: "expert" for t in item.topics},
                                  languages=frozenset(item.languages), regions=frozenset(item.regions or []))


def _topic_profile(topic: matching.Topic, topic_id: int) -> matching.ExpertProfile:
    texts = [*topic.labels.values(), *topic.description.values()]
    texts += [synonym for synonyms in topic.synonyms.values() for synonym in synonyms]
    return matching.ExpertProfile(expert_id=topic_id, documents=[matching.Document("headline", t) for t in texts if t],
                                  topics={topic.slug: "expert"})


def published_stamp() -> tuple:
    count, latest = db.session.execute(sa.select(sa.func.count(HubItem.id), sa.func.max(HubItem.updated_at))
                                       .where(HubItem.status == ItemStatus.PUBLISHED)).one()
    return int(count), str(latest)


@dataclass
class HubIndex:
    stamp: tuple | None = None
    matcher: matching.ExpertMatcher | None = None
    topics: matching.ExpertMatcher | None = None
    topic_slugs: dict[int, str] = field(default_factory=dict)
    item_ids: set[int] = field(default_factory=set)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def _matcher(self, taxonomy: list[matching.Topic]) -> matching.ExpertMatcher:
        return matching.ExpertMatcher(taxonomy=taxonomy, encoder=configured_encoder(), vector_cache=_vectors,
                                      strong_match_threshold=STRONG_MATCH)

    def refresh(self) -> None:
        stamp = published_stamp()
        if stamp == self.stamp:
            return
        taxonomy = matcher_topics()
        items = db.session.scalars(sa.select(HubItem).where(HubItem.status == ItemStatus.PUBLISHED).options(
            selectinload(HubItem.texts), selectinload(HubItem.topics))).all()
        profiles = [_profile(item) for item in items if item.texts]
        self.item_ids = {p.expert_id for p in profiles}
        with _vectors_lock:
            self.matcher = self._matcher(taxonomy).fit(profiles) if profiles else None
            if self.topics is None:
                ids = dict(db.session.execute(sa.select(Topic.slug, Topic.id).where(Topic.parent_id.is_not(None))).all())
                topic_profiles = [_topic_profile(t, ids[t.slug]) for t in taxonomy if t.slug in ids]
                self.topic_slugs = {ids[t.slug]: t.slug for t in taxonomy if t.slug in ids}
                self.topics = self._matcher(taxonomy).fit(topic_profiles) if topic_profiles else None
        self.stamp = stamp


def hub_index() -> HubIndex:
    index = current_app.extensions.setdefault("hub_index", HubIndex())
    with index.lock:
        index.refresh()
    return index


def search(text: str, allowed_ids: set[int], *, k: int = 20, locale: str = "en",
           topics: tuple[str, ...] = ()) -> Found:
    """The published items among `allowed_ids` (what the reader may see and the facets keep) closest to `text`,
    best first; nothing outside `allowed_ids` is ranked, so no score or count reveals it."""
    language = detect_language(text)
    index = hub_index()
    if index.matcher is None or not allowed_ids or not text.strip():
        return Found([], True, language)
    with index.lock:
        filters = matching.RankFilters(exclude_ids=frozenset(index.item_ids - allowed_ids),
                                       vetted_only=False, require_capacity=False, require_available=False)
        try:
            result = index.matcher.rank(matching.MatchQuery(text=text, topics=topics), k=k, filters=filters,
                                        display_language=locale)
        except matching.EmptyQueryError:
            return Found([], True, language)
    ranked = [r for r in result.experts if r.expert_id in allowed_ids]
    rows = {row.id: row for row in db.session.scalars(sa.select(HubItem).where(
        HubItem.id.in_([r.expert_id for r in ranked])).options(selectinload(HubItem.texts)))}
    hits = [Hit(rows[r.expert_id], r.score, r.reasons) for r in ranked if r.expert_id in rows]
    return Found(hits, result.weak or not hits, language)


def topics_of(text: str, n: int = 2) -> list[str]:
    """The taxonomy topics `text` is about (at most n, only close ones), in any language."""
    index = hub_index()
    if index.topics is None or not text.strip():
        return []
    with index.lock:
        try:
            result = index.topics.rank(matching.MatchQuery(text=text), k=n, filters=matching.RankFilters(
                vetted_only=False, require_capacity=False, require_available=False))
        except matching.EmptyQueryError:
            return []
    return [index.topic_slugs[r.expert_id] for r in result.experts
            if r.score >= TOPIC_GUESS_FLOOR and r.expert_id in index.topic_slugs]
