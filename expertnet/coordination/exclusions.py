"""Who the suggestions left out, and why; and a coordinator's deliberate inclusion of one of them.

An inclusion lifts only the rules a coordinator may set aside for one request (`OVERRIDABLE`: dates,
language, region); the rules inviting enforces too (same organisation, conflict of interest, vetting,
capacity, already invited) stay, so an included expert can always be invited.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from expertnet.audit.services import record
from expertnet.coordination.desk import DeskError, Refinement
from expertnet.engagements.models import ExclusionOverride
from expertnet.experts.matcher_bridge import OVERRIDABLE, Suggestions
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db

REASON_MAX = 2000
# Experts named per reason: a large network leaves thousands out (every one at capacity, say); the page names
# these many (the lowest ids, sorted by name) and counts the rest, so it stays small and fast at 100k experts.
EXCLUDED_LISTED = 50
# What the page shows of an excluded expert: name and headline (one statement for all the groups).
NAMED = sa.select(ExpertProfile).options(joinedload(ExpertProfile.user))
# The order the page lists the reasons in: the request's own rules first, then the network's.
REASON_ORDER = ("excluded_id", "conflict_of_interest", "same_organisation", "at_capacity", "unavailable",
                "language", "region", "unvetted")


@dataclass(frozen=True)
class ExcludedGroup:
    reason: str
    experts: list[ExpertProfile]
    total: int  # experts left out for this reason (`experts` names at most EXCLUDED_LISTED of them)

    @property
    def overridable(self) -> bool:
        return self.reason in OVERRIDABLE


def excluded_groups(ranked: Suggestions) -> list[ExcludedGroup]:
    """The excluded experts by reason, in REASON_ORDER, each group's listed experts sorted by name."""
    by_reason: dict[str, list[int]] = {}
    for expert_id, reason in ranked.excluded_experts.items():
        by_reason.setdefault(reason, []).append(expert_id)
    listed = {reason: sorted(ids)[:EXCLUDED_LISTED] for reason, ids in by_reason.items()}
    ids = [i for chosen in listed.values() for i in chosen]
    profiles = {p.id: p for p in db.session.scalars(NAMED.where(ExpertProfile.id.in_(ids)))} if ids else {}
    groups = []
    for reason in sorted(by_reason, key=lambda r: (REASON_ORDER + (r,)).index(r)):
        members = [profiles[i] for i in listed[reason] if i in profiles]
        if members:
            groups.append(ExcludedGroup(reason, sorted(members, key=lambda p: p.user.full_name.casefold()),
                                        len(by_reason[reason]) - (len(listed[reason]) - len(members))))
    return groups


def include_expert(coordinator, assistance_request, expert_id: int, reason: str,
                   refinement: Refinement = Refinement()) -> ExclusionOverride:
    """Include an expert the suggestions (as refined on the page) left out for an OVERRIDABLE rule; the
    coordinator's reason is required and goes to the audit log with the rule set aside."""
    reason = (reason or "").strip()
    if not reason:
        raise DeskError("override_reason_required")
    if len(reason) > REASON_MAX:
        raise DeskError("override_reason_long")
    profile = db.session.get(ExpertProfile, expert_id)
    if profile is None:
        raise DeskError("unknown_expert", str(expert_id))
    exclusion = refinement.rank(assistance_request).excluded_experts.get(profile.id)
    if exclusion is None:
        raise DeskError("not_excluded", profile.user.full_name)
    if exclusion not in OVERRIDABLE:
        raise DeskError("not_overridable", profile.user.full_name)
    override = ExclusionOverride(request_id=assistance_request.id, expert_id=profile.id, exclusion=exclusion,
                                 reason=reason, created_by_id=coordinator.id)
    try:
        with db.session.begin_nested():
            db.session.add(override)
    except IntegrityError as exc:  # a colleague included the same expert a moment ago
        raise DeskError("not_excluded", profile.user.full_name) from exc
    record("suggestions.exclusion_overridden", coordinator, assistance_request, expert_id=profile.id,
           exclusion=exclusion, reason=reason)
    return override
