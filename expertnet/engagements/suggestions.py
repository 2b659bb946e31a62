"""Suggested experts for a request: the matcher bridge's ranking without the experts already invited to it
(invitations are engagements' rows, so this is where the bridge learns of them)."""
import sqlalchemy as sa

from expertnet.engagements.models import Invitation
from expertnet.experts.matcher_bridge import Suggestions, rank_experts
from expertnet.extensions import db


def invited_expert_ids(assistance_request) -> set[int]:
    return set(db.session.scalars(sa.select(Invitation.expert_id).where(Invitation.request_id == assistance_request.id)))


def rank_for_request(assistance_request, **options) -> Suggestions:
    """The best experts for a request (options: see `rank_experts`), invited ones left out."""
    return rank_experts(assistance_request, invited_expert_ids(assistance_request), **options)
