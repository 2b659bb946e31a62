"""Suggested experts for a request: the matcher bridge's ranking without the experts already invited to it,
with the experts a coordinator deliberately included (invitations and overrides are engagements' rows, so this
is where the bridge learns of them)."""
import sqlalchemy as sa

from expertnet.engagements.models import ExclusionOverride, Invitation
from expertnet.experts.matcher_bridge import Suggestions, rank_experts
from expertnet.extensions import db


def invited_expert_ids(assistance_request) -> set[int]:
    return set(db.session.scalars(sa.select(Invitation.expert_id).where(Invitation.request_id == assistance_request.id)))


def overrides_of(assistance_request) -> dict[int, ExclusionOverride]:
    """expert id -> the coordinator's inclusion of that expert in this request's suggestions."""
    rows = db.session.scalars(sa.select(ExclusionOverride).where(ExclusionOverride.request_id == assistance_request.id))
    return {row.expert_id: row for row in rows}


def rank_for_request(assistance_request, **options) -> Suggestions:
    """The best experts for a request (options: see `rank_experts`), invited ones left out, included ones in."""
    return rank_experts(assistance_request, invited_expert_ids(assistance_request),
                        included_ids=frozenset(overrides_of(assistance_request)), **options)
