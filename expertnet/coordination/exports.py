"""CSV exports of requests and engagements, with spreadsheet formula injection neutralised."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from expertnet.coordination import sla
from expertnet.csv_safety import csv_text
from expertnet.engagements.models import Engagement
from expertnet.extensions import db
from expertnet.experts.models import ExpertProfile
from expertnet.requests.access import visible_requests
from expertnet.requests.models import AssistanceRequest, RequestStatus


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


REQUEST_HEADER = ["reference", "title", "organisation", "country", "status", "urgency", "priority", "topics",
                  "lead_coordinator", "submitted_at", "triaged_at", "first_invited_at", "assigned_at", "closed_at",
                  "experts_wanted", "sla_milestone", "sla_state", "sla_due_at"]


def requests_csv(viewer) -> str:
    """Every submitted request the viewer may see (drafts are the agency's own business; a regional coordinator
    exports their regions' requests), with the current SLA clock."""
    query = (visible_requests(viewer).where(AssistanceRequest.status != RequestStatus.DRAFT)
             .options(selectinload(AssistanceRequest.organisation), selectinload(AssistanceRequest.topics),
                      selectinload(AssistanceRequest.lead_coordinator))
             .order_by(AssistanceRequest.submitted_at, AssistanceRequest.id))
    return csv_text(REQUEST_HEADER, (_request_row(r) for r in db.session.scalars(query)))


def _request_row(r: AssistanceRequest) -> list:
    clock = sla.current_clock(r)
    return [r.reference, r.title, r.organisation.name, r.country, r.status.value, r.urgency.value, r.priority,
            " ".join(t.slug for t in r.topics), r.lead_coordinator.full_name if r.lead_coordinator else "",
            _iso(r.submitted_at), _iso(r.triaged_at), _iso(r.first_invited_at), _iso(r.assigned_at),
            _iso(r.closed_at), r.experts_wanted, clock.milestone.value if clock else "", clock.state.value if clock else "",
            _iso(clock.due_at) if clock else ""]


ENGAGEMENT_HEADER = ["request_reference", "request_title", "expert", "status", "planned_start", "planned_end",
                     "milestones", "milestones_done", "days_spent", "report_submitted_at", "closed_at",
                     "withdrawal_reason"]


def engagements_csv(viewer) -> str:
    visible = visible_requests(viewer).with_only_columns(AssistanceRequest.id)
    query = (sa.select(Engagement).where(Engagement.request_id.in_(visible)).options(selectinload(Engagement.request), selectinload(Engagement.milestones),
                                           selectinload(Engagement.expert).selectinload(ExpertProfile.user))
             .order_by(Engagement.created_at, Engagement.id))
    return csv_text(ENGAGEMENT_HEADER, (_engagement_row(e) for e in db.session.scalars(query)))


def _engagement_row(e: Engagement) -> list:
    return [e.request.reference, e.request.title, e.expert.user.full_name, e.status.value,
            e.planned_start.isoformat() if e.planned_start else "", e.planned_end.isoformat() if e.planned_end else "",
            len(e.milestones), sum(1 for m in e.milestones if m.done_at), e.days_spent if e.days_spent is not None else "",
            _iso(e.report_submitted_at), _iso(e.closed_at), e.withdrawal_reason]
