"""An expert's commitments, derived from rows: pending invitations plus open engagements.

`ExpertProfile.commitments` is only the stored result of that count (the matcher filters on it); it is
recomputed under the profile's row lock on every change, never moved by +1/-1, so it cannot drift or be
released twice. Lock order everywhere: request, then invitation or engagement, then the expert profile.
"""
import sqlalchemy as sa

from expertnet.engagements.models import Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.statemachine import lock_row

OPEN_ENGAGEMENT = frozenset({EngagementStatus.PLANNED, EngagementStatus.ACTIVE, EngagementStatus.REPORT_SUBMITTED,
                             EngagementStatus.REPORT_ACCEPTED, EngagementStatus.SUSPENDED})


def holds_capacity(status) -> bool:
    """Whether an invitation or engagement in `status` takes one of the expert's places."""
    return status == InvitationStatus.PENDING or status in OPEN_ENGAGEMENT


def count_commitments(profile: ExpertProfile) -> int:
    pending = sa.select(sa.func.count(Invitation.id)).where(Invitation.expert_id == profile.id,
                                                            Invitation.status == InvitationStatus.PENDING)
    open_work = sa.select(sa.func.count(Engagement.id)).where(Engagement.expert_id == profile.id,
                                                              Engagement.status.in_(OPEN_ENGAGEMENT))
    return db.session.scalar(pending) + db.session.scalar(open_work)


def lock_and_count(profile: ExpertProfile) -> int:
    """The expert's commitments as the rows say, counted under the profile's row lock (held to commit)."""
    lock_row(profile)
    return count_commitments(profile)


def sync_commitments(profile: ExpertProfile) -> int:
    """Store the count from the rows (after the caller flushed its change) and tell the matcher."""
    count = lock_and_count(profile)
    if profile.commitments != count:
        profile.commitments = count
        db.session.flush()
    return count
