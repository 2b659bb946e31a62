"""The coordinator's home panel figures: what needs attention now."""
import sqlalchemy as sa

from expertnet.coordination import sla, sla_columns
from expertnet.coordination.queue import QueueFilters, count
from expertnet.coordination.stats import of_requests
from expertnet.db import utcnow
from expertnet.engagements.capacity import OPEN_ENGAGEMENT
from expertnet.engagements.models import Engagement, EngagementStatus
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus


def coordination_figures(user) -> dict:
    now_us = sla_columns.to_us(utcnow())
    return {  # the triage queue's own counts, in SQL
        "to_triage": count(QueueFilters(status=RequestStatus.SUBMITTED.value), user, now_us),
        "sla_overdue": count(QueueFilters(sla=sla.SlaState.OVERDUE.value), user, now_us),
        "sla_due_soon": count(QueueFilters(sla=sla.SlaState.DUE_SOON.value), user, now_us),
        "i_lead": count(QueueFilters(lead="me"), user, now_us),
        "reports_to_review": db.session.scalar(sa.select(sa.func.count(Engagement.id)).where(
            Engagement.status == EngagementStatus.REPORT_SUBMITTED, *of_requests(Engagement.request_id, user))),
        "open_engagements": db.session.scalar(sa.select(sa.func.count(Engagement.id)).where(
            Engagement.status.in_(OPEN_ENGAGEMENT), *of_requests(Engagement.request_id, user))),
    }
