"""What the request page shows to whom: the need-to-know decisions of the detail view in one place."""
import sqlalchemy as sa

from expertnet.accounts.policy import is_staff
from expertnet.attachments.services import attachments_of
from expertnet.extensions import db
from expertnet.requests import access, lifecycle, services
from expertnet.requests.models import RequestEvent, RequestStatus
from expertnet.requests.schemas import RequestOut, RequestSummaryOut


def timeline(assistance_request) -> list[RequestEvent]:
    return list(db.session.scalars(
        sa.select(RequestEvent).where(RequestEvent.request_id == assistance_request.id)
        .options(sa.orm.joinedload(RequestEvent.actor)).order_by(RequestEvent.occurred_at, RequestEvent.id)))


def record_full_reads(user, assistance_request) -> None:
    """Audit a read of the full request (its detail and, when there is one, its annex): pages and the API."""
    access.record_sensitive_read(user, assistance_request, "detail")
    if assistance_request.annex.strip():
        access.record_sensitive_read(user, assistance_request, "annex")


def detail_context(user, assistance_request) -> dict:
    full = access.may_read_detail(user, assistance_request)
    owner, staff = access.is_owner(user, assistance_request), is_staff(user)
    if full:
        record_full_reads(user, assistance_request)
    transitions = lifecycle.allowed_transitions(assistance_request, user)
    return {
        "assistance_request": assistance_request,
        "data": (RequestOut() if full else RequestSummaryOut()).dump(assistance_request),
        "full": full, "is_owner": owner, "staff": staff,
        "editable": owner and assistance_request.status in lifecycle.EDITABLE,
        "can_submit": owner and RequestStatus.SUBMITTED in transitions,
        "can_withdraw": owner and RequestStatus.WITHDRAWN in transitions,
        "awaiting_answer": owner and assistance_request.status == RequestStatus.INFO_REQUESTED,
        "staff_transitions": [t for t in transitions if staff],
        "events": timeline(assistance_request) if full else [],
        "messages": services.visible_messages(user, assistance_request) if access.may_converse(
            user, assistance_request) else None,
        # The agency's own files here; the experts' deliverables come with their accepted report (`outcomes`).
        "attachments": [a for a in attachments_of(assistance_request)
                        if staff or a.engagement_id is None and access.may_read_attachment(user, assistance_request, a)]
        if full else [],
        "outcomes": access.outcomes(assistance_request) if owner or staff else [],
        "readers": access.sensitive_readers(assistance_request) if owner or staff else None,
        "experts": access.accepted_experts(assistance_request) if full else [],
        "feedback": services.feedback_of(assistance_request) if owner or staff else None,
        "feedback_open": owner and assistance_request.status in lifecycle.FEEDBACK_OPEN,
    }
