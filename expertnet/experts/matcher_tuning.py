"""The matcher bridge's side of learning from coordinators' decisions: judged requests become the matcher's
judged queries, the in-force matcher is evaluated on them, and its weights are tuned on a train split and kept
only when a held-out split ranks better (`flask matching evaluate` / `tune`, in matching_history).

With matcher_bridge, the only module importing expertnet.matching. A request is ranked as the suggestions page
first ranks it (its texts, ticked topics, requested languages and country; a coordinator's refinements are not
replayed), with the request's own rules that never change (its organisation's experts left out) but not
today's capacity or availability: the judgments were made when those may have differed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


from expertnet.audit.services import record
from expertnet.experts.matcher_bridge import (fresh_index, mark_all_changed, matcher_profiles, request_query,
                                              tuned_parameters)
from expertnet.experts.models import MatcherTuning
from expertnet.extensions import db
from expertnet.matching import RankFilters, evaluation, text
from expertnet.matching.encoding import DEFAULT_FIELD_WEIGHTS
from expertnet.matching.evaluation import JudgedQuery, Scores, TuneResult

# The blend of the dense part, when the matcher has one (issue 14, item 1), and the soft preferences for a
# requested language or region (named as the matcher of the day names them).
BLEND_PARAMS = ("dense_weight", "cross_dense_weight")
PREFERENCE_PARAMS = ("language_preference", "region_preference", "language_bonus", "region_bonus")
BLEND_FACTORS = (0.5, 1.0, 1.5)
PREFERENCE_FACTORS = (0.0, 1.0, 3.0)
PREFERENCE_FLOOR = 0.02  # a preference switched off by a tuning can come back
# Field weights of the main document kinds: the current ones, and one kind at a time made to count more.
FIELD_WEIGHT_CHANGES = ({}, {"topic": 2.0}, {"statement": 1.6, "headline": 1.6}, {"experience": 1.5, "publication": 1.5})


def request_language(assistance_request) -> str:
    """The language a request is written in: Arabic when most of its words are, else English, French or Spanish."""
    words = text.raw_words(" ".join(filter(None, (assistance_request.title, assistance_request.summary,
                                                   assistance_request.gap_statement))))
    arabic = sum(1 for word in words if text.is_arabic(word))
    return "ar" if words and arabic * 2 >= len(words) else text.detect_latin_language(words)


def judged_query(assistance_request, judgments: dict[int, int], group: str = "") -> JudgedQuery:
    filters = RankFilters(exclude_organisation_ids=frozenset([assistance_request.organisation_id]),
                          vetted_only=False, require_capacity=False, require_available=False)
    return JudgedQuery(request_query(assistance_request), dict(judgments), request_language(assistance_request),
                       group, filters)


def evaluate(judged: Sequence[JudgedQuery], k: int = 10) -> tuple[dict[str, Scores], dict[str, Scores]]:
    """The in-force matcher's scores overall and by language, and by group (month)."""
    with fresh_index() as index:
        if index.matcher is None:
            return {}, {}
        by_language = evaluation.evaluate(index.matcher, judged, k=k, by=lambda q: q.language)
        by_group = evaluation.evaluate(index.matcher, judged, k=k, by=lambda q: q.group)
    return by_language, by_group


def _scaled(value: float, factors: Sequence[float], cap: float = float("inf"), floor: float = 0.0) -> list[float]:
    """The current value first (so a tie keeps it), then it scaled by each factor (from `floor`, up to `cap`)."""
    scaled = [round(min(max(value, floor) * factor, cap), 6) for factor in factors]
    return list(dict.fromkeys([round(value, 6), *scaled]))


def tuning_grid(matcher) -> dict[str, list]:
    """What is tuned: the parameters of those above that this matcher has, around their current values."""
    params = matcher.get_params(deep=False)
    grid: dict[str, list] = {}
    for name in BLEND_PARAMS:
        if isinstance(params.get(name), (int, float)):
            grid[name] = _scaled(float(params[name]), BLEND_FACTORS, cap=1.0)
    for name in PREFERENCE_PARAMS:
        if isinstance(params.get(name), (int, float)) and not (name.endswith("_bonus") and name.replace(
                "_bonus", "_preference") in params):
            grid[name] = _scaled(float(params[name]), PREFERENCE_FACTORS, floor=PREFERENCE_FLOOR)
    if "field_weights" in params:
        current = {**DEFAULT_FIELD_WEIGHTS, **(params["field_weights"] or {})}
        grid["field_weights"] = [{**current, **{kind: round(current[kind] * f, 3) for kind, f in change.items()}}
                                 for change in FIELD_WEIGHT_CHANGES]
    return grid


@dataclass
class Tuning:
    result: TuneResult
    grid: dict[str, list]
    train: int
    held_out: int
    in_force: dict  # the tuned parameters' values before the tuning
    stored: MatcherTuning | None = None


def tune_in_force(judged: Sequence[JudgedQuery], held_out_share: float, seed: int, k: int = 10) -> Tuning:
    """Tune the in-force matcher on a seeded split by request (ValueError when it cannot be split)."""
    train, held_out = evaluation.split(list(judged), held_out_share, seed)
    with fresh_index() as index:
        if index.matcher is None:
            raise ValueError("there are no experts to rank")
        matcher, profiles = index.matcher, matcher_profiles()
        grid = tuning_grid(matcher)
        in_force = {name: value for name, value in matcher.get_params(deep=False).items() if name in grid}
        if "field_weights" in in_force:
            in_force["field_weights"] = grid["field_weights"][0]  # the weights in force, defaults filled in
        return Tuning(evaluation.tune(matcher, grid, train, held_out, profiles, k), grid, len(train), len(held_out), in_force)


def store_tuning(tuning: Tuning, created_by: str, seed: int, held_out_share: float, k: int = 10) -> MatcherTuning:
    """Put the tuned parameters in force (on top of those already in force), audited; every process refits.
    Only for a tuning that improved the held-out score: callers check `tuning.result.improved`."""
    result = tuning.result
    if not result.improved:
        raise ValueError("a tuning that does not improve the held-out score is not stored")
    row = MatcherTuning(created_by=created_by[:200], parameters={**tuned_parameters(), **result.best_params}, k=k,
                        seed=seed, held_out_share=held_out_share, train_requests=tuning.train,
                        held_out_requests=tuning.held_out, train_before=result.train_before,
                        train_after=result.train_after, held_out_before=result.held_out_before,
                        held_out_after=result.held_out_after)
    db.session.add(row)
    db.session.flush()
    record("matching.tuned", None, row, created_by=row.created_by, parameters=row.parameters,
           held_out_before=round(result.held_out_before, 4), held_out_after=round(result.held_out_after, 4))
    mark_all_changed()
    tuning.stored = row
    return row

