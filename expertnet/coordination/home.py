"""The coordinator's home panel figures: what needs attention now."""
import sqlalchemy as sa

from expertnet.coordination import sla
from expertnet.coordination.digest import clocked_requests
from expertnet.engagements.capacity import OPEN_ENGAGEMENT
from expertnet.engagements.models import Engagement, EngagementStatus
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus


def coordination_figures(user) -> dict:
    clocked = clocked_requests()
    states = [c.state for r in clocked if (c := sla.current_clock(r))]
    return {
        "to_triage": sum(1 for r in clocked if r.status == RequestStatus.SUBMITTED),
        "sla_overdue": states.count(sla.SlaState.OVERDUE),
        "sla_due_soon": states.count(sla.SlaState.DUE_SOON),
        "i_lead": sum(1 for r in clocked if r.lead_coordinator_id == user.id),
        "reports_to_review": db.session.scalar(sa.select(sa.func.count(Engagement.id)).where(
            Engagement.status == EngagementStatus.REPORT_SUBMITTED)),
        "open_engagements": db.session.scalar(sa.select(sa.func.count(Engagement.id)).where(
            Engagement.status.in_(OPEN_ENGAGEMENT))),
    }
