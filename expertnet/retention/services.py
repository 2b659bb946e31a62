"""The retention purge. A request past its period keeps its row, reference, topics, country, dates and statuses
(the statistics) and loses every text that describes the case, its conversation and its files. Sent e-mails
keep their envelope and lose their bodies. Files are deleted only after the caller has committed."""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from expertnet.attachments.models import Attachment
from expertnet.attachments.services import remove_attachment
from expertnet.audit.services import record
from expertnet.engagements.models import Engagement, EngagementNote, ExclusionOverride, Invitation, Milestone
from expertnet.extensions import db
from expertnet.matching_history.models import ShownList
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.requests.models import AssistanceRequest, Feedback, RequestEvent, RequestMessage, RequestStatus

ARCHIVED_STATUSES = (RequestStatus.CLOSED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN)
REQUEST_TEXT_FIELDS = ("summary", "gap_statement", "annex", "desired_outcome", "urgency_reason")
# (model, blanked columns, how its rows belong to a request) for what hangs off a request.
DEPENDENT_TEXT = (
    (RequestMessage, ("body",), RequestMessage.request_id),
    (RequestEvent, ("note",), RequestEvent.request_id),
    (Feedback, ("comment",), Feedback.request_id),
    (Invitation, ("message", "decline_note"), Invitation.request_id),
    (Engagement, ("completion_report", "withdrawal_reason"), Engagement.request_id),
    # A coordinator's reason for including an excluded expert may describe the case.
    (ExclusionOverride, ("reason",), ExclusionOverride.request_id),
    # A coordinator's extra keywords on the suggestions page may too; which experts were shown stays (statistics).
    (ShownList, ("keywords",), ShownList.request_id),
)
ENGAGEMENT_TEXT = ((EngagementNote, ("body",)), (Milestone, ("title",)))


@dataclass
class PurgePlan:
    request_cutoff: datetime
    mail_cutoff: datetime
    requests: list[AssistanceRequest]
    messages: int
    attachments: int
    mail: int


def cutoffs(now: datetime) -> tuple[datetime, datetime]:
    config = current_app.config
    return (now - timedelta(days=config["RETENTION_CLOSED_REQUEST_DAYS"]),
            now - timedelta(days=config["RETENTION_SENT_MAIL_DAYS"]))


def _requests_due(cutoff: datetime):
    return (sa.select(AssistanceRequest)
            .where(AssistanceRequest.status.in_(ARCHIVED_STATUSES), AssistanceRequest.anonymised_at.is_(None),
                   AssistanceRequest.status_changed_at < cutoff)
            .order_by(AssistanceRequest.id))


def _mail_due(cutoff: datetime):
    return sa.and_(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < cutoff,
                   sa.or_(OutboxMessage.text_body != "", OutboxMessage.html_body != ""))


def _count(model, *conditions) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*conditions)).scalar_one()


def plan_purge(now: datetime) -> PurgePlan:
    """What a purge at `now` would touch; changes nothing."""
    request_cutoff, mail_cutoff = cutoffs(now)
    due = list(db.session.scalars(_requests_due(request_cutoff)))
    ids = [r.id for r in due]
    return PurgePlan(request_cutoff, mail_cutoff, due,
                     messages=_count(RequestMessage, RequestMessage.request_id.in_(ids)),
                     attachments=_count(Attachment, Attachment.request_id.in_(ids)),
                     mail=_count(OutboxMessage, _mail_due(mail_cutoff)))


def apply_purge(now: datetime) -> PurgePlan:
    """Anonymise the requests and blank the mail of `plan_purge(now)`, audited; the caller commits (the
    attachments' files go once that commit is done, as for any removed attachment)."""
    plan = plan_purge(now)
    for assistance_request in plan.requests:
        anonymise_request(assistance_request, now)
    if plan.mail:
        _blank(OutboxMessage, _mail_due(plan.mail_cutoff), ("text_body", "html_body"))
        record("retention.mail_bodies_purged", None, None, messages=plan.mail, sent_before=plan.mail_cutoff.isoformat())
    db.session.flush()
    return plan


def anonymise_request(assistance_request: AssistanceRequest, now: datetime) -> None:
    """Blank the request's case texts and remove its attachments (their files go after the commit)."""
    for name in REQUEST_TEXT_FIELDS:
        setattr(assistance_request, name, "")
    # The title describes the case too; the reference still identifies the row.
    assistance_request.title = assistance_request.reference or f"#{assistance_request.id}"
    assistance_request.anonymised_at = now
    _blank_dependent_texts(assistance_request.id)
    attachments = list(db.session.scalars(sa.select(Attachment).where(Attachment.request_id == assistance_request.id)))
    for attachment in attachments:
        remove_attachment(None, attachment)
    record("request.anonymised", None, assistance_request, reference=assistance_request.reference,
           status=assistance_request.status.value, attachments_removed=len(attachments),
           messages=_count(RequestMessage, RequestMessage.request_id == assistance_request.id))


def _blank(model, condition, columns) -> None:
    db.session.execute(sa.update(model).where(condition).values({column: "" for column in columns})
                       .execution_options(synchronize_session=False))


def _blank_dependent_texts(request_id: int) -> None:
    for model, columns, request_column in DEPENDENT_TEXT:
        _blank(model, request_column == request_id, columns)
    engagement_ids = sa.select(Engagement.id).where(Engagement.request_id == request_id)
    for model, columns in ENGAGEMENT_TEXT:
        _blank(model, model.engagement_id.in_(engagement_ids), columns)
