"""An expert's need-to-know, derived at read time from their LIVE invitation and engagement, never from a
past acceptance.

- pending invitation: the cleaned summary;
- accepted (terms signed) with an open engagement: the full request and the conversation;
- engagement closed: the full request read-only for DETAIL_ACCESS_AFTER_CLOSE_DAYS, then the summary;
- declined, expired, revoked, conflict declared, withdrawn or replaced: nothing beyond their own
  invitation page.

Every change of level is audited where it happens (`need_to_know.granted`, `.reduced`, `.ended`), in the
transaction of the transition that caused it; the time-based end is recorded by `end_lapsed_access`.
"""
import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from expertnet.audit.models import AuditEvent
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.engagements.capacity import OPEN_ENGAGEMENT, lock_row
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db


class Access(enum.IntEnum):
    NONE = 0
    SUMMARY = 1
    READ_ONLY = 2
    FULL = 3


def access_period() -> timedelta:
    return timedelta(days=current_app.config["DETAIL_ACCESS_AFTER_CLOSE_DAYS"])


def level_of(status, closed_at: datetime | None = None, now: datetime | None = None) -> Access:
    """The access an invitation or engagement in `status` gives (an accepted invitation: its open engagement)."""
    if status == InvitationStatus.PENDING:
        return Access.SUMMARY
    if status == InvitationStatus.ACCEPTED or status in OPEN_ENGAGEMENT:
        return Access.FULL
    if status == EngagementStatus.CLOSED:
        lapsed = closed_at is not None and (now or utcnow()) >= closed_at + access_period()
        return Access.SUMMARY if lapsed else Access.READ_ONLY
    return Access.NONE


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
                          sa.and_(Invitation.status == InvitationStatus.ACCEPTED,
                                  Engagement.status.in_(OPEN_ENGAGEMENT | {EngagementStatus.CLOSED})))))


def record_change(actor, obj, before: Access, after: Access, reason: str, **details) -> None:
    """Audit a change of the expert's level on `obj` (an invitation or engagement); nothing if unchanged."""
    if before == after:
        return
    if after > before:
        action = "need_to_know.granted"
    else:
        action = "need_to_know.ended" if after <= Access.SUMMARY else "need_to_know.reduced"
    record(action, actor, obj, reason=reason, level=after.name.lower(), expert_id=obj.expert_id,
           request_id=obj.request_id, **details)


def _ended_already(engagement_id) -> sa.Exists:
    return sa.exists().where(AuditEvent.action == "need_to_know.ended", AuditEvent.object_type == "engagement",
                             AuditEvent.object_id == engagement_id)


def end_lapsed_access(now: datetime | None = None) -> int:
    """Record `need_to_know.ended` once per closed engagement whose read-only period has passed.

    Access itself is computed at read time, so this only writes the audit trail; it is idempotent and safe to
    run in parallel (each engagement is re-checked under its row lock)."""
    now = now or utcnow()
    lapsed = db.session.scalars(sa.select(Engagement).where(
        Engagement.status == EngagementStatus.CLOSED, Engagement.closed_at <= now - access_period(),
        ~_ended_already(Engagement.id))).all()
    ended = 0
    for engagement in lapsed:
        lock_row(engagement)
        if db.session.scalar(sa.select(_ended_already(engagement.id))):
            continue
        record_change(None, engagement, Access.READ_ONLY, Access.SUMMARY, "period_after_close_lapsed",
                      closed_at=engagement.closed_at.isoformat())
        ended += 1
    db.session.flush()
    return ended
