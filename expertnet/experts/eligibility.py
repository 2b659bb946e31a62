"""Who may be suggested for a request, as columnar arrays kept next to the matcher index (issue 15).

The per-request rules the matcher's own per-expert attributes cannot hold -- vetting and capacity against the
request's organisation, conflicts of interest with its organisation and countries, availability and blackout
periods against its dates, a required region -- are answered with numpy over one row per indexed expert, so a
request is filtered without a Python loop over the network.

Rows are appended, never changed in place: `with_rows` marks an edited expert's old row dead and appends its
new one (a new object, so a ranking in progress keeps the arrays it started with). Multi-valued fields are
(row, value) pair arrays: conflict organisations and countries, regions, blackout periods.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import numpy as np

from expertnet.experts.models import Availability, ExpertProfile, VettingStatus

NEVER = np.iinfo(np.int64).min  # blocked_through of an available expert
ALWAYS = np.iinfo(np.int64).max  # ... of one unavailable without an end date


def is_vetted(profile: ExpertProfile) -> bool:
    """Matchable: approved, account active, and not on the way out (asked to leave the network)."""
    return (profile.vetting_status == VettingStatus.APPROVED and profile.user.is_active
            and profile.deactivation_requested_at is None)


def _blocked_through(profile: ExpertProfile) -> int:
    if profile.availability != Availability.UNAVAILABLE:
        return NEVER
    return ALWAYS if profile.unavailable_until is None else profile.unavailable_until.toordinal()


@dataclass(frozen=True)
class Eligibility:
    ids: np.ndarray              # int64 expert id per row
    alive: np.ndarray            # bool: False once the expert's row was replaced or removed
    matchable: np.ndarray        # bool: vetted and capacity left (the matcher's own hard rules)
    organisation: np.ndarray     # int64, -1 for none
    blocked_through: np.ndarray  # int64 ordinal day until which an unavailable expert is blocked
    conflict_org_rows: np.ndarray
    conflict_org_ids: np.ndarray
    conflict_country_rows: np.ndarray
    conflict_countries: np.ndarray  # upper-case country codes
    region_rows: np.ndarray
    regions: np.ndarray             # upper-case countries and regions of the profile
    blackout_rows: np.ndarray
    blackout_starts: np.ndarray     # ordinal days
    blackout_ends: np.ndarray

    # ------------------------------------------------------------------ building
    @classmethod
    def of(cls, profiles, first_row: int = 0) -> "Eligibility":
        """From ExpertProfile rows (user, blackouts and conflict organisations loaded); rows numbered from
        `first_row` (an append's pairs point past the rows it extends)."""
        profiles = list(profiles)
        pairs: dict[str, list] = {"org": [], "country": [], "region": [], "blackout": []}
        for row, p in enumerate(profiles, start=first_row):
            pairs["org"] += [(row, o.id) for o in p.conflict_organisations]
            pairs["country"] += [(row, c.upper()) for c in p.conflict_countries or []]
            pairs["region"] += [(row, r.upper()) for r in {*(p.countries or []), *(p.regions or [])}]
            pairs["blackout"] += [(row, b.starts_on.toordinal(), b.ends_on.toordinal()) for b in p.blackouts]

        def column(name: str, at: int, dtype) -> np.ndarray:
            return np.asarray([item[at] for item in pairs[name]], dtype=dtype)

        return cls(
            ids=np.asarray([p.id for p in profiles], dtype=np.int64),
            alive=np.ones(len(profiles), dtype=bool),
            matchable=np.asarray([is_vetted(p) and p.capacity - p.commitments > 0 for p in profiles], dtype=bool),
            organisation=np.asarray([p.organisation_id if p.organisation_id is not None else -1 for p in profiles],
                                    dtype=np.int64),
            blocked_through=np.asarray([_blocked_through(p) for p in profiles], dtype=np.int64),
            conflict_org_rows=column("org", 0, np.int64), conflict_org_ids=column("org", 1, np.int64),
            conflict_country_rows=column("country", 0, np.int64), conflict_countries=column("country", 1, np.str_),
            region_rows=column("region", 0, np.int64), regions=column("region", 1, np.str_),
            blackout_rows=column("blackout", 0, np.int64), blackout_starts=column("blackout", 1, np.int64),
            blackout_ends=column("blackout", 2, np.int64))

    def with_rows(self, expert_ids, profiles) -> "Eligibility":
        """A copy in which `expert_ids` are replaced by `profiles` (those with no row were removed)."""
        kept = self.alive & ~np.isin(self.ids, np.asarray(list(expert_ids), dtype=np.int64))
        added = Eligibility.of(profiles, first_row=len(self.ids))
        return Eligibility(**{f.name: np.concatenate([kept if f.name == "alive" else getattr(self, f.name),
                                                      getattr(added, f.name)]) for f in fields(self)})

    # ------------------------------------------------------------------ persistence (beside the index)
    def save(self, path: Path) -> None:
        with open(path, "wb") as out:
            np.savez(out, **{f.name: getattr(self, f.name) for f in fields(self)})

    @classmethod
    def load(cls, path: Path) -> "Eligibility":
        with np.load(path, allow_pickle=False) as arrays:
            return cls(**{f.name: arrays[f.name] for f in fields(cls)})

    # ------------------------------------------------------------------ one request
    def live_ids(self) -> np.ndarray:
        return self.ids[self.alive]

    def _mark(self, rows: np.ndarray) -> np.ndarray:
        marked = np.zeros(len(self.ids), dtype=bool)
        marked[rows] = True
        return marked

    def exclusions(self, organisation_id: int, countries: set[str], start: date, end: date,
                   include_unavailable: bool, region: str) -> dict[str, np.ndarray]:
        """reason -> expert ids the request's own rules leave out, among the experts the matcher's rules keep:
        conflict_of_interest (a conflict country of the request), else unavailable (an unavailability or a
        blackout overlapping its dates; unless include_unavailable), else region (not in `region`, when given)."""
        candidates = (self.alive & self.matchable & (self.organisation != organisation_id)
                      & ~self._mark(self.conflict_org_rows[self.conflict_org_ids == organisation_id]))
        conflict = candidates & self._mark(self.conflict_country_rows[np.isin(self.conflict_countries,
                                                                              sorted(countries))])
        left = candidates & ~conflict
        unavailable = np.zeros(len(self.ids), dtype=bool)
        if not include_unavailable:
            first, last = start.toordinal(), end.toordinal()
            overlapping = (self.blackout_starts <= last) & (self.blackout_ends >= first)
            unavailable = left & ((self.blocked_through >= first) | self._mark(self.blackout_rows[overlapping]))
            left &= ~unavailable
        outside = (left & ~self._mark(self.region_rows[self.regions == region]) if region
                   else np.zeros(len(self.ids), dtype=bool))
        return {"conflict_of_interest": self.ids[conflict], "unavailable": self.ids[unavailable],
                "region": self.ids[outside]}
