"""Need-to-know for experts: the one module that knows both requests and invitations.

Requests decide what each role may see (`requests.access`) but leave experts to a rule registered at app
start, so requests never imports engagements. The rule below queries the expert's LIVE invitation and
engagement on every check (never a past acceptance); the levels and their audit trail stay with the
transitions that change them (`engagements.need_to_know`).
"""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Flask

from expertnet.attachments.models import Attachment
from expertnet.engagements.capacity import OPEN_ENGAGEMENT
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.engagements.need_to_know import level_of
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.requests.access import ExpertNeedToKnow, register_expert_rule
from expertnet.sensitivity import Access

ON_THE_REQUEST = OPEN_ENGAGEMENT | {EngagementStatus.CLOSED}


def expert_access(user, assistance_request, now: datetime | None = None) -> Access:
    """What `user` (an expert) may see of the request now, from their invitation and its engagement."""
    row = db.session.execute(
        sa.select(Invitation.status, Invitation.terms_accepted_at, Engagement.status, Engagement.closed_at)
        .join(ExpertProfile, ExpertProfile.id == Invitation.expert_id)
        .outerjoin(Engagement, Engagement.invitation_id == Invitation.id)
        .where(ExpertProfile.user_id == user.id, Invitation.request_id == assistance_request.id)).first()
    if row is None:
        return Access.NONE
    invitation_status, terms_accepted_at, engagement_status, closed_at = row
    if invitation_status != InvitationStatus.ACCEPTED:
        return level_of(invitation_status)
    if engagement_status is None or terms_accepted_at is None:
        return Access.NONE
    return level_of(engagement_status, closed_at, now)


def requests_with_access(user) -> sa.Select:
    """Ids of the requests an expert may still see at all (at least the summary)."""
    return (sa.select(Invitation.request_id).join(ExpertProfile, ExpertProfile.id == Invitation.expert_id)
            .outerjoin(Engagement, Engagement.invitation_id == Invitation.id)
            .where(ExpertProfile.user_id == user.id,
                   sa.or_(Invitation.status == InvitationStatus.PENDING,
                          sa.and_(Invitation.status == InvitationStatus.ACCEPTED, Engagement.status.in_(ON_THE_REQUEST)))))


def accepted_experts(assistance_request) -> list[ExpertProfile]:
    """Experts whose engagement is open or done: pending or declined invitations stay private, and a withdrawn
    or replaced expert is no longer listed among those who share the request."""
    return list(db.session.scalars(
        sa.select(ExpertProfile).join(Engagement, Engagement.expert_id == ExpertProfile.id)
        .where(Engagement.request_id == assistance_request.id, Engagement.status.in_(ON_THE_REQUEST))
        .options(sa.orm.joinedload(ExpertProfile.user)).order_by(Engagement.created_at)))


@dataclass(frozen=True)
class Outcome:
    """One expert's accepted work as the agency sees it."""

    engagement_id: int
    expert_name: str
    report: str
    accepted_at: datetime
    days_spent: float | None
    deliverables: list[Attachment]


def accepted_outcomes(assistance_request) -> list[Outcome]:
    """The completion reports the coordinators accepted (never a draft, a report under review or sent back),
    with the deliverables of those engagements; a withdrawn expert's work is not the request's outcome."""
    engagements = db.session.scalars(
        sa.select(Engagement).where(Engagement.request_id == assistance_request.id,
                                    Engagement.report_accepted_at.is_not(None),
                                    Engagement.status.in_((EngagementStatus.REPORT_ACCEPTED, EngagementStatus.CLOSED)))
        .options(sa.orm.joinedload(Engagement.expert).joinedload(ExpertProfile.user))
        .order_by(Engagement.report_accepted_at, Engagement.id)).all()
    files: dict[int, list[Attachment]] = {e.id: [] for e in engagements}
    for attachment in db.session.scalars(sa.select(Attachment).where(Attachment.engagement_id.in_(list(files)))
                                         .order_by(Attachment.created_at, Attachment.id)):
        files[attachment.engagement_id].append(attachment)  # type: ignore[index]  # the filter excludes None
    return [Outcome(e.id, e.expert.user.full_name, e.completion_report, e.report_accepted_at,  # type: ignore[arg-type]
                    e.days_spent, files[e.id]) for e in engagements]


def init_app(app: Flask) -> None:
    register_expert_rule(app, ExpertNeedToKnow(access=expert_access, request_ids=requests_with_access,
                                               accepted_experts=accepted_experts, outcomes=accepted_outcomes))
