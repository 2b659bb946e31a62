"""Structured expert attributes as arrays, and the hard filters that run over them.

Every filter is a vectorised mask over all experts; each expert removed is counted once, under
the first filter (in FILTER_ORDER) that removed it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .models import TOPIC_LEVELS, ExpertProfile, RankFilters

FILTER_ORDER = ("excluded_id", "same_organisation", "conflict_of_interest", "unvetted",
                "at_capacity", "unavailable", "language")
NO_ORGANISATION = -1


class LanguageBits:
    """Language code -> bit in a uint64 mask (codes beyond 63 share the last bit)."""

    def __init__(self, codes: list[str] | None = None):
        self.codes: list[str] = list(codes or [])

    def bit(self, code: str, grow: bool = True) -> int | None:
        code = code.strip().lower()
        if code not in self.codes:
            if not grow:
                return None
            self.codes.append(code)
        return min(self.codes.index(code), 63)

    def mask(self, codes, grow: bool = True) -> int:
        value = 0
        for code in sorted(codes):  # bits are handed out in a fixed order, so fitting is reproducible across processes
            bit = self.bit(code, grow)
            if bit is not None:
                value |= 1 << bit
        return value


def inverted(values_per_row: list, dtype) -> dict:
    """value -> sorted array of the rows holding it (for regions and declared conflicts)."""
    rows: dict = {}
    for row, values in enumerate(values_per_row):
        for value in values:
            rows.setdefault(value, []).append(row)
    return {value: np.asarray(r, dtype=dtype) for value, r in rows.items()}


@dataclass
class Attributes:
    """Per-expert structured attributes of one segment, aligned with its rows."""

    expert_ids: np.ndarray          # int64
    organisation: np.ndarray        # int64, NO_ORGANISATION when none
    capacity: np.ndarray            # int64
    available: np.ndarray           # bool
    vetted: np.ndarray              # bool
    languages: np.ndarray           # uint64 bit masks
    regions: dict[str, np.ndarray]  # region code -> rows
    conflicts: dict[int, np.ndarray]  # organisation id -> rows declaring a conflict with it
    topics: dict[str, np.ndarray] = field(default_factory=dict)  # topic_key(slug, level) -> rows holding it so
    substances: dict[str, np.ndarray] = field(default_factory=dict)  # substance concept slug -> rows tagged with it

    @classmethod
    def from_profiles(cls, profiles: list[ExpertProfile], bits: LanguageBits) -> "Attributes":
        org = [NO_ORGANISATION if p.organisation_id is None else int(p.organisation_id) for p in profiles]
        return cls(
            expert_ids=np.asarray([int(p.expert_id) for p in profiles], dtype=np.int64),
            organisation=np.asarray(org, dtype=np.int64),
            capacity=np.asarray([int(p.capacity_left) for p in profiles], dtype=np.int64),
            available=np.asarray([bool(p.available) for p in profiles], dtype=bool),
            vetted=np.asarray([bool(p.vetted) for p in profiles], dtype=bool),
            languages=np.asarray([bits.mask(p.languages) for p in profiles], dtype=np.uint64),
            regions=inverted([[str(r).strip().upper() for r in p.regions] for p in profiles], np.int64),
            conflicts=inverted([[int(o) for o in p.excluded_organisation_ids] for p in profiles], np.int64),
            topics=inverted([[topic_key(slug, level) for slug, level in p.topics.items()] for p in profiles], np.int64),
            substances=inverted([sorted(p.substances) for p in profiles], np.int64),
        )

    def topic_levels(self, slugs) -> np.ndarray:
        """Per row, the sum over `slugs` of the level (1 awareness .. 3 expert) at which the expert holds each."""
        levels = np.zeros(len(self))
        for slug in slugs:
            for name, level in TOPIC_LEVELS.items():
                rows = self.topics.get(topic_key(slug, name))
                if rows is not None:
                    levels[rows] += level
        return levels

    def level_of(self, row: int, slug: str) -> str | None:
        """The level at which the expert in `row` holds a topic (None: not at all)."""
        for name in TOPIC_LEVELS:
            rows = self.topics.get(topic_key(slug, name))
            if rows is not None and _holds(rows, row):
                return name
        return None

    def __len__(self) -> int:
        return len(self.expert_ids)

    def covers(self, row: int, places) -> str | None:
        """The first of `places` (region codes, upper case) the expert in `row` covers."""
        for place in places:
            rows = self.regions.get(place)
            if rows is not None and _holds(rows, row):
                return place
        return None

    def rows_with(self, table: dict, keys) -> np.ndarray:
        mask = np.zeros(len(self), dtype=bool)
        for key in keys:
            rows = table.get(key)
            if rows is not None:
                mask[rows] = True
        return mask

    def removal_masks(self, filters: RankFilters, bits: LanguageBits) -> dict[str, np.ndarray]:
        """Filter name -> mask of rows that filter would remove (only active filters)."""
        masks: dict[str, np.ndarray] = {}
        if filters.exclude_ids:
            masks["excluded_id"] = np.isin(self.expert_ids, np.fromiter(filters.exclude_ids, np.int64))
        if filters.exclude_organisation_ids:
            orgs = np.fromiter((int(o) for o in filters.exclude_organisation_ids), np.int64)
            masks["same_organisation"] = np.isin(self.organisation, orgs)
            masks["conflict_of_interest"] = self.rows_with(self.conflicts, orgs.tolist())
        if filters.vetted_only:
            masks["unvetted"] = ~self.vetted
        if filters.require_capacity:
            masks["at_capacity"] = self.capacity <= 0
        if filters.require_available:
            masks["unavailable"] = ~self.available
        if filters.required_languages:
            wanted = [bits.bit(code, grow=False) for code in filters.required_languages]
            known = [bit for bit in wanted if bit is not None]
            if len(known) < len(wanted):  # nobody in the index speaks one of them
                masks["language"] = np.ones(len(self), dtype=bool)
            else:
                need = np.uint64(sum(1 << b for b in set(known)))
                masks["language"] = (self.languages & need) != need
        return masks


def apply_filters(alive: np.ndarray, masks: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, int], np.ndarray]:
    """(eligible mask, counts per filter, first_removals) with each expert counted under its first filter."""
    reason = first_removals(alive, masks)
    counts = np.bincount(reason[reason >= 0], minlength=len(FILTER_ORDER))
    return alive & (reason < 0), {name: int(count) for name, count in zip(FILTER_ORDER, counts)}, reason


def first_removals(alive: np.ndarray, masks: dict[str, np.ndarray]) -> np.ndarray:
    """Per row, the index in FILTER_ORDER of the first filter that removes it (-1: kept or not alive)."""
    reason = np.full(len(alive), -1, dtype=np.int8)
    for position, name in enumerate(FILTER_ORDER):
        mask = masks.get(name)
        if mask is not None:
            reason[alive & mask & (reason < 0)] = position
    return reason


def concat_attributes(parts: list[Attributes]) -> Attributes:
    """One Attributes for several segments laid end to end."""
    offsets = np.cumsum([0] + [len(p) for p in parts])

    def merged(field: str) -> dict:
        out: dict = {}
        for offset, part in zip(offsets, parts):
            for key, rows in getattr(part, field).items():
                out.setdefault(key, []).append(rows + offset)
        return {k: np.concatenate(v) for k, v in out.items()}

    def joined(field: str) -> np.ndarray:
        return np.concatenate([getattr(p, field) for p in parts])

    return Attributes(
        joined("expert_ids"), joined("organisation"), joined("capacity"), joined("available"), joined("vetted"),
        joined("languages"), regions=merged("regions"), conflicts=merged("conflicts"), topics=merged("topics"),
        substances=merged("substances"),
    )


def topic_key(slug: str, level: str) -> str:
    """How a held topic is keyed in Attributes.topics (and in a saved index)."""
    return f"{slug}:{level}"


def _holds(rows: np.ndarray, row: int) -> bool:
    at = int(np.searchsorted(rows, row))  # inverted() and the segment operations keep rows sorted
    return at < len(rows) and int(rows[at]) == row
