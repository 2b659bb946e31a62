"""The levels of an expert's need-to-know and their audit trail. The live check that reads the expert's
invitation and engagement on every request is `expertnet.need_to_know`; the levels are:

- pending invitation: the cleaned summary;
- accepted (terms signed) with an open engagement: the full request and the conversation;
- engagement closed: the full request read-only for DETAIL_ACCESS_AFTER_CLOSE_DAYS, then the summary;
- declined, expired, revoked, conflict declared, withdrawn or replaced: nothing beyond their own
  invitation page.

Every change of level is audited where it happens (`need_to_know.granted`, `.reduced`, `.ended`), in the
transaction of the transition that caused it; the time-based end is recorded by `end_lapsed_access`.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from expertnet.audit.models import AuditEvent
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.engagements.capacity import OPEN_ENGAGEMENT, lock_row
from expertnet.engagements.models import Engagement, EngagementStatus, InvitationStatus
from expertnet.extensions import db
from expertnet.sensitivity import Access


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
