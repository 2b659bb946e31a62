"""Demo step for the coordination desk (runs after the requests' and engagements' steps): priorities, a few
requests without a lead, SLA clocks in every state (on track, due soon, overdue), milestones and planned dates
on engagements, and an outbox with some history (sent mail, one digest, one message kept for retry, one given up)."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.coordination import desk, exclusions
from expertnet.coordination.digest import send_digest
from expertnet.db import utcnow
from expertnet.engagements.models import Engagement, EngagementStatus
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.notifications.services import MAX_ATTEMPTS, retry_delay
from expertnet.requests.models import AssistanceRequest, RequestStatus, Urgency

PRIORITY = {Urgency.URGENT: 1, Urgency.PRIORITY: 2, Urgency.ROUTINE: 3}
# Hours since submission for the requests still waiting for triage, oldest first: two breach, one is due soon.
TRIAGE_AGES = {Urgency.URGENT: (9, 3.4), Urgency.PRIORITY: (40, 20), Urgency.ROUTINE: (100, 60, 8)}
MILESTONES = ["Kick-off call with the agency", "Working materials shared", "Sessions delivered",
              "Completion report"]


def seed_coordination(admin, organisations: dict) -> None:
    requests = db.session.scalars(sa.select(AssistanceRequest).where(AssistanceRequest.status != RequestStatus.DRAFT)
                                  .order_by(AssistanceRequest.id)).all()
    for number, assistance_request in enumerate(requests):
        assistance_request.priority = PRIORITY[assistance_request.urgency] + (1 if number % 5 == 4 else 0)
    _retime_waiting_for_triage([r for r in requests if r.status == RequestStatus.SUBMITTED])
    _plan_engagements(admin)
    db.session.flush()
    _include_one_excluded(admin, [r for r in requests if r.status in (RequestStatus.MATCHING, RequestStatus.INVITING)])
    _outbox_history()


def _retime_waiting_for_triage(waiting: list[AssistanceRequest]) -> None:
    """Give the untriaged requests ages that put their clocks in every state; the oldest have no lead yet."""
    ages = {urgency: list(hours) for urgency, hours in TRIAGE_AGES.items()}
    for assistance_request in waiting:
        hours = ages[assistance_request.urgency].pop(0) if ages[assistance_request.urgency] else 30
        moment = utcnow() - timedelta(hours=hours)
        shift = moment - assistance_request.submitted_at
        assistance_request.submitted_at = moment
        assistance_request.status_changed_at = moment
        assistance_request.created_at = min(assistance_request.created_at + shift, moment)
        for event in assistance_request.events:
            event.occurred_at = min(event.occurred_at + shift, moment)
        if hours > 24:
            assistance_request.lead_coordinator_id = None


def _plan_engagements(admin) -> None:
    engagements = db.session.scalars(sa.select(Engagement).where(Engagement.status.in_(
        [EngagementStatus.PLANNED, EngagementStatus.ACTIVE, EngagementStatus.REPORT_SUBMITTED]))
        .order_by(Engagement.id)).all()
    today = utcnow().date()
    for number, engagement in enumerate(engagements):
        start = engagement.planned_start or today - timedelta(days=10 - number % 5)
        desk.plan_engagement(admin, engagement, start, engagement.planned_end or start + timedelta(days=30))
        for step, title in enumerate(MILESTONES):
            milestone = desk.add_milestone(admin, engagement, title, start + timedelta(days=7 * step + 1))
            if engagement.status != EngagementStatus.PLANNED and step < 1 + number % 3:
                milestone.done_at = utcnow() - timedelta(days=6 - step)


def _include_one_excluded(admin, open_requests: list[AssistanceRequest]) -> None:
    """One deliberate inclusion, so the suggestions page shows an override: an expert away on the request's
    dates whom the coordinator asks anyway."""
    for assistance_request in open_requests:
        away = [expert_id for expert_id, why in desk.Refinement().rank(assistance_request).excluded_experts.items()
                if why == "unavailable"]
        if away:
            exclusions.include_expert(admin, assistance_request, min(away),
                                      "Back before the mission starts; the only specialist with port lab experience.")
            return


def _outbox_history() -> None:
    """Everything queued so far went out, yesterday's digest included; one message waits for a retry."""
    send_digest(utcnow() - timedelta(days=1))
    db.session.flush()
    messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    for message in messages:
        message.status, message.attempts, message.sent_at = OutboxStatus.SENT, 1, message.created_at
    if len(messages) >= 2:
        waiting, given_up = messages[-1], messages[-2]
        waiting.status, waiting.sent_at, waiting.attempts = OutboxStatus.QUEUED, None, 1
        waiting.last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
        waiting.next_attempt_at = utcnow() + retry_delay(1)
        # The admins' outbox page shows what the relay refused for good.
        given_up.status, given_up.sent_at, given_up.attempts = OutboxStatus.FAILED, None, MAX_ATTEMPTS
        given_up.last_error = (f"SMTPRecipientsRefused: {{'{given_up.recipient}': "
                               "(550, b'5.1.1 Mailbox unavailable')}")
