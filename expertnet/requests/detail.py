"""What the request page shows to whom: the need-to-know decisions of the detail view in one place."""
import sqlalchemy as sa
from flask import abort

from expertnet.accounts.policy import found_or_404, is_staff
from expertnet.attachments import services as attachment_services
from expertnet.attachments.models import Attachment
from expertnet.attachments.responses import download_response
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


def shown_attachments(user, assistance_request) -> list[Attachment]:
    """The files the request's page lists to `user`: none without the full request; the agency's own files
    (need-to-know and TLP: `access.may_read_attachment`), and for coordinators and admins the experts'
    deliverables too (the agency gets those with their accepted report, `access.outcomes`). Pages and the API."""
    if not access.may_read_detail(user, assistance_request):
        return []
    staff = is_staff(user)
    return [a for a in attachments_of(assistance_request)
            if staff or a.engagement_id is None and access.may_read_attachment(user, assistance_request, a)]


def check_may_attach(user, assistance_request) -> None:
    """Only the agency attaches files to its request (403 for anyone else who sees it), and not once the
    request is final (409). Pages and the API."""
    if not access.is_owner(user, assistance_request):
        abort(403)
    if assistance_request.status in lifecycle.FINAL:
        abort(409)


def readable_attachment_or_404(user, assistance_request, attachment_id: int) -> Attachment:
    """One file of the request `user` may open; any other is a 404 (it does not exist for them)."""
    attachment = db.session.get(Attachment, attachment_id)
    found_or_404(attachment, attachment is not None and attachment.request_id == assistance_request.id)
    found_or_404(attachment, access.may_read_attachment(user, assistance_request, attachment))
    return attachment


def download(user, assistance_request, attachment: Attachment):
    """The file as a download, its read audited twice as on the page: the request's sensitive-read row (the
    agency's "who has seen this") and the attachment's download row. 410 when the stored file is lost."""
    access.record_sensitive_read(user, assistance_request, "attachment", attachment_id=attachment.id)
    return download_response(attachment_services.open_for_download(user, attachment), attachment)


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
        "attachments": shown_attachments(user, assistance_request) if full else [],
        "outcomes": access.outcomes(assistance_request) if owner or staff else [],
        "readers": access.sensitive_readers(assistance_request) if owner or staff else None,
        "experts": access.accepted_experts(assistance_request) if full else [],
        "feedback": services.feedback_of(assistance_request) if owner or staff else None,
        "feedback_open": owner and assistance_request.status in lifecycle.FEEDBACK_OPEN,
    }
