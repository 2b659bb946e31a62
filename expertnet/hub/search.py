"""Search over the hub's published items with the matching library: each item is a matcher "profile" whose
documents are its title, summary and body in every language it has, so the hybrid ranker (multilingual TF-IDF
blended with the cross-lingual sentence encoder) finds English guidance for an Arabic query and the reverse,
and says why (`Reason`s).

The index is built by the job engine, never in a web request, as the experts' index is (index_builds.py): a job
fits the items' matcher (and the small matcher of taxonomy topics below) and saves both as a new build under
HUB_INDEX_PATH, made live atomically -- after a commit that published, archived or edited a published item
(`services` marks it; the after-commit hook below enqueues), and on demand: a web worker that finds the data
newer than its build (published items' count and newest change, the taxonomy's) asks once per change. Web
workers memory-map the live build and swap to a new one when the BUILD pointer names another; with no build yet
the search says it is being prepared (`Found.preparing`) instead of waiting. The document vectors of the live
build seed the next one, so only a new or edited text is ever encoded.

Which taxonomy topics a query is about (for the coordinators' gaps view, where the text itself is not kept) is
asked of a second small matcher whose "profiles" are the topics, described by their labels, synonyms and
descriptions in every language.
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session, selectinload

from expertnet import index_builds, matching
from expertnet.experts.matcher_bridge import configured_encoder, matcher_topics, previous_vectors, taxonomy_stamp
from expertnet.extensions import db
from expertnet.hub.models import HubItem, ItemStatus
from expertnet.taxonomy.models import Topic

log = logging.getLogger(__name__)
BODY_CHARS = 4000  # of the body, enough for its gist; the title and summary carry most of the meaning
# A result at least this close is a good one (the experts' matcher's own threshold): with the taxonomy loaded the
# right item of tests/hub/test_search.py's fixed set scores 0.4-0.6 in any language, an unrelated one 0.1-0.18.
STRONG_MATCH = 0.2
TOPIC_GUESS_FLOOR = 0.25  # a topic this close to a query is what the query is about
INDEX_CHANGED = "expertnet.hub_index_changed"  # session.info: this transaction changed what search finds
PREPARING_RELOAD_SECONDS = 5  # while the first index is built, the search page asks the browser to reload


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
    preparing: bool = False  # no built index yet: the job engine is building it


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


def index_root() -> Path:
    return Path(current_app.config["HUB_INDEX_PATH"])


def data_stamp() -> list:
    """What a build reflects: the published items' count and newest change, and the taxonomy's (two small
    queries; every search compares it with its build's)."""
    count, latest = db.session.execute(sa.select(sa.func.count(HubItem.id), sa.func.max(HubItem.updated_at))
                                       .where(HubItem.status == ItemStatus.PUBLISHED)).one()
    return [int(count), str(latest), *taxonomy_stamp()]


def _matcher(taxonomy: list[matching.Topic], encoder, vectors) -> matching.ExpertMatcher:
    return matching.ExpertMatcher(taxonomy=taxonomy, encoder=encoder, vector_cache=vectors,
                                  strong_match_threshold=STRONG_MATCH)


def build_hub_index(force: bool = False) -> str | None:
    """Fit the items' and the topics' matchers and save them as a new live build under HUB_INDEX_PATH (the job's
    work). Returns the build's name; None when the live build already reflects the data (unless `force`)."""
    root, stamp = index_root(), data_stamp()
    live = index_builds.current_build(root)
    if not force and live is not None and index_builds.read_meta(root / live).get("stamp") == stamp:
        return None
    taxonomy, encoder = matcher_topics(), configured_encoder()
    items = db.session.scalars(sa.select(HubItem).where(HubItem.status == ItemStatus.PUBLISHED).order_by(HubItem.id)
                               .options(selectinload(HubItem.texts), selectinload(HubItem.topics))).all()
    profiles = [_profile(item) for item in items if item.texts]
    ids = dict(db.session.execute(sa.select(Topic.slug, Topic.id).where(Topic.parent_id.is_not(None))).all())
    topic_profiles = [_topic_profile(t, ids[t.slug]) for t in taxonomy if t.slug in ids]
    fitted = {}
    for part, rows in (("items", profiles), ("topics", topic_profiles)):
        if rows:
            vectors = previous_vectors(root / live / part if live else None, encoder)
            fitted[part] = _matcher(taxonomy, encoder, vectors).fit(rows)

    def write(directory: Path) -> dict:
        for part, matcher in fitted.items():
            matcher.save(directory / part)
        return {"stamp": stamp, "items": [p.expert_id for p in profiles], "encoder": getattr(encoder, "name", None),
                "topic_slugs": {str(ids[t.slug]): t.slug for t in taxonomy if t.slug in ids}}

    return index_builds.publish_build(root, write)


def request_build() -> bool:
    """Ask the job engine for a build (cheap; never fails the caller: the next search asks again)."""
    jobs = current_app.extensions.get("jobs")
    return bool(jobs is not None and jobs.enqueue_hub_index_build())


def mark_index_changed(session: Session | None = None) -> None:
    """Call in a transaction that changes what the search finds (an item published, archived, or edited while
    published): once it commits, a build is asked for."""
    (session or db.session).info[INDEX_CHANGED] = True


@sa.event.listens_for(Session, "after_commit")
def _build_after_commit(session: Session) -> None:
    if session.info.pop(INDEX_CHANGED, False) and has_app_context():
        request_build()


@sa.event.listens_for(Session, "after_rollback")
def _nothing_changed(session: Session) -> None:
    session.info.pop(INDEX_CHANGED, None)


@dataclass
class HubIndex:
    """This process's memory-mapped copy of the live hub build, swapped under `lock` when another is live."""

    build: str | None = None
    stamp: list | None = None  # the data the build reflects
    matcher: matching.ExpertMatcher | None = None
    topics: matching.ExpertMatcher | None = None
    topic_slugs: dict[int, str] = field(default_factory=dict)
    item_ids: set[int] = field(default_factory=set)
    requested: list | None = None  # the data stamp a build was asked for (asked once per change)
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def preparing(self) -> bool:
        """No build to search with yet (one is on its way)."""
        return self.build is None

    def load(self, root: Path, name: str) -> None:
        directory, encoder = root / name, configured_encoder()
        meta = index_builds.read_meta(directory)
        loaded = {part: matching.ExpertMatcher.load(directory / part, mmap=True, encoder=encoder)
                  for part in ("items", "topics") if (directory / part).exists()}
        # Swapped together, under the lock every reader holds.
        self.matcher, self.topics = loaded.get("items"), loaded.get("topics")
        self.topic_slugs = {int(key): slug for key, slug in meta["topic_slugs"].items()}
        self.item_ids, self.stamp, self.build = set(meta["items"]), meta["stamp"], name
        log.info("hub index: loaded build %s (%s items)", name, len(self.item_ids))

    def refresh(self) -> None:
        """The live build, loaded when it is another than ours; a build asked for when the data is newer."""
        root, stamp = index_root(), data_stamp()
        for _attempt in range(2):  # the second: after a build the job engine ran at once (immediate mode)
            name = index_builds.current_build(root)
            if name is not None and name != self.build:
                self.load(root, name)
            if self.stamp == stamp or self.requested == stamp:
                return
            self.requested = stamp
            request_build()


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
    if index.preparing:
        return Found([], False, language, preparing=True)  # not a gap: nothing was searched
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
