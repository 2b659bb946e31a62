"""Request rules: filing, editing, submitting, withdrawing, the conversation and feedback.

Status changes go through `lifecycle.transition`; these functions add what each action means around
it (a message with the answer, an e-mail to the agency). They flush, never commit; the actor is passed in.
"""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.accounts.policy import is_staff
from expertnet.attachments.services import store_attachment
from expertnet.audit.services import record
from expertnet.chemicals.services import Recogniser, tag_request
from expertnet.extensions import db
from expertnet.notifications.services import Link, link, notify
from expertnet.requests import access, lifecycle
from expertnet.requests.lifecycle import LifecycleError
from expertnet.requests.models import (SUBSTANCE_TEXT_FIELDS, AssistanceRequest, Feedback, RequestMessage,
                                       RequestStatus)
from expertnet.sensitivity import Tlp
from expertnet.taxonomy.services import topics_by_slug

# Status changes the agency hears about by e-mail when someone else makes them.
NOTIFY_AGENCY = frozenset({RequestStatus.INFO_REQUESTED, RequestStatus.MATCHING, RequestStatus.ASSIGNED,
                           RequestStatus.IN_PROGRESS, RequestStatus.ON_HOLD, RequestStatus.DELIVERED,
                           RequestStatus.EVALUATION, RequestStatus.CLOSED, RequestStatus.REJECTED})
MESSAGE_MAX = 5000


class RequestError(LifecycleError):
    """An action refused on a request for a reason other than its status machine."""

    code = "request_error"


def _apply(assistance_request: AssistanceRequest, data: dict) -> None:
    topics = data.pop("topics", None)
    for name, value in data.items():
        # Plain text only: the enums are StrEnums, and str.strip() would turn one into a bare string until reload.
        setattr(assistance_request, name, value.strip() if type(value) is str else value)
    if topics is not None:
        found = topics_by_slug(topics)
        assistance_request.topics = [found[slug] for slug in topics if slug in found]


def create_draft(member, data: dict) -> AssistanceRequest:
    """A new draft for the member's organisation, from RequestIn().load(...) data."""
    if member.role != Role.MEMBER or member.organisation_id is None:
        raise RequestError("not_allowed")
    assistance_request = AssistanceRequest(organisation_id=member.organisation_id, created_by_id=member.id,
                                           status=RequestStatus.DRAFT)
    _apply(assistance_request, dict(data))
    db.session.add(assistance_request)
    db.session.flush()
    record("request.created", member, assistance_request, title=assistance_request.title)
    return assistance_request


def file_request(member, data: dict, uploads: list, tlp: Tlp) -> AssistanceRequest:
    """A new draft with the files chosen on its form, all or nothing: a file refused (`AttachmentError`) refuses
    the filing, so the caller's rollback leaves neither a request without its file nor a file without its request."""
    assistance_request = create_draft(member, data)
    for upload in uploads:
        store_attachment(member, assistance_request, upload, tlp)
    return assistance_request


def update_request(member, assistance_request: AssistanceRequest, data: dict) -> None:
    """The agency edits its text while the request is a draft or waiting on its answer."""
    if not access.is_owner(member, assistance_request):
        raise RequestError("not_allowed")
    if assistance_request.status not in lifecycle.EDITABLE:
        raise RequestError("not_editable")
    _apply(assistance_request, dict(data))
    db.session.flush()
    record("request.updated", member, assistance_request, fields=sorted(data))


def substance_text(assistance_request: AssistanceRequest) -> str:
    return "\n".join(p for p in (getattr(assistance_request, name) for name in SUBSTANCE_TEXT_FIELDS) if p)


def named_substances(text: str) -> set[int]:
    """The register's live substances `text` names (any language's name, or a CAS number)."""
    return Recogniser().ids_in(text)


def tag_own_substances(member, assistance_request: AssistanceRequest, chosen, offered) -> set[int]:
    """The agency tags its request with the register's substances it `chosen`; those its text names and the form
    had not yet `offered` (shown ticked) are added too, since the officer never saw them to untick. Returns the
    ids so added, for the page to say."""
    if not access.is_owner(member, assistance_request):
        raise RequestError("not_allowed")
    if assistance_request.status not in lifecycle.EDITABLE:
        raise RequestError("not_editable")
    chosen = set(chosen)
    unseen = named_substances(substance_text(assistance_request)) - set(offered) - chosen
    tag_request(member, assistance_request, chosen | unseen)
    return unseen


def change_status(actor, assistance_request: AssistanceRequest, to_status: RequestStatus, note: str = ""):
    """Any transition, through the machine, with the agency told by e-mail when someone else made it."""
    event = lifecycle.transition(assistance_request, to_status, actor, note)
    if actor is None or not access.is_owner(actor, assistance_request):
        _notify_agency(assistance_request, to_status, event.note)
    return event


def _notify_agency(assistance_request: AssistanceRequest, to_status: RequestStatus, note: str) -> None:
    submitter = assistance_request.created_by
    if submitter is None or not submitter.is_active or to_status not in NOTIFY_AGENCY:
        return
    notify(submitter, "request_status_changed", _request_page(assistance_request),
           {"reference": assistance_request.reference or "", "status": to_status.value},
           assistance_request=assistance_request, status=to_status.value, note=note)


def submit_request(member, assistance_request: AssistanceRequest):
    return change_status(member, assistance_request, RequestStatus.SUBMITTED)


def withdraw_request(member, assistance_request: AssistanceRequest, reason: str):
    return change_status(member, assistance_request, RequestStatus.WITHDRAWN, reason)


def answer_information_request(member, assistance_request: AssistanceRequest, answer: str):
    """The agency's answer goes into the thread and the request returns to triage (the SLA clock resumes)."""
    answer = (answer or "").strip()
    if not answer:
        raise RequestError("answer_required")
    if assistance_request.status != RequestStatus.INFO_REQUESTED:
        raise lifecycle.IllegalTransition()
    post_message(member, assistance_request, answer)
    return lifecycle.transition(assistance_request, RequestStatus.TRIAGE, member, answer)


def visible_messages(user, assistance_request: AssistanceRequest) -> list[RequestMessage]:
    """The thread as `user` may see it: internal notes for coordinators and admins only."""
    query = sa.select(RequestMessage).where(RequestMessage.request_id == assistance_request.id)
    if not is_staff(user):
        query = query.where(RequestMessage.internal.is_(False))
    return list(db.session.scalars(query.order_by(RequestMessage.created_at, RequestMessage.id)))


def post_message(author, assistance_request: AssistanceRequest, body: str, internal: bool = False) -> RequestMessage:
    body = (body or "").strip()
    if not body or len(body) > MESSAGE_MAX:
        raise RequestError("message_length")
    if internal and not is_staff(author):
        raise RequestError("not_allowed")
    if not access.may_converse(author, assistance_request) or assistance_request.status == RequestStatus.DRAFT:
        raise RequestError("not_allowed")
    message = RequestMessage(request_id=assistance_request.id, author_id=author.id, body=body, internal=internal)
    db.session.add(message)
    db.session.flush()
    record("request.message_internal" if internal else "request.message", author, assistance_request,
           message_id=message.id)
    if not internal and is_staff(author):
        _tell_agency_of_message(assistance_request, message)
    elif access.is_owner(author, assistance_request):
        _tell_lead_coordinator(assistance_request)
    return message


def _tell_agency_of_message(assistance_request: AssistanceRequest, message: RequestMessage) -> None:
    submitter = assistance_request.created_by
    if submitter is not None and submitter.is_active:
        notify(submitter, "request_message", _request_page(assistance_request),
               {"reference": assistance_request.reference or ""}, assistance_request=assistance_request)


def _tell_lead_coordinator(assistance_request: AssistanceRequest) -> None:
    """The agency wrote (or answered a question): its lead coordinator hears of it; the text stays on the site."""
    lead = assistance_request.lead_coordinator
    if lead is not None and lead.is_active:
        notify(lead, "request_agency_message", link("coordination.request_desk", request_id=assistance_request.id),
               {"reference": assistance_request.reference or ""}, assistance_request=assistance_request,
               coordinator=lead)


def _request_page(assistance_request: AssistanceRequest) -> Link:
    """Where the agency's notifications lead: the request's own page."""
    return link("requests.detail", request_id=assistance_request.id)


def feedback_of(assistance_request: AssistanceRequest) -> Feedback | None:
    return db.session.scalar(sa.select(Feedback).where(Feedback.request_id == assistance_request.id))


def give_feedback(member, assistance_request: AssistanceRequest, usefulness: int, timeliness: int, expertise: int,
                  comment: str = "") -> Feedback:
    """Once the request is delivered (in evaluation or closed too), one rating per request by its agency."""
    if not access.is_owner(member, assistance_request):
        raise RequestError("not_allowed")
    if assistance_request.status not in lifecycle.FEEDBACK_OPEN:
        raise RequestError("feedback_not_open")
    if feedback_of(assistance_request) is not None:
        raise RequestError("feedback_given")
    ratings = (usefulness, timeliness, expertise)
    if not all(isinstance(r, int) and 1 <= r <= 5 for r in ratings):
        raise RequestError("rating_range")
    feedback = Feedback(request_id=assistance_request.id, author_id=member.id, usefulness=usefulness,
                        timeliness=timeliness, expertise=expertise, comment=(comment or "").strip()[:5000])
    db.session.add(feedback)
    db.session.flush()
    record("request.feedback", member, assistance_request, usefulness=usefulness, timeliness=timeliness,
           expertise=expertise)
    return feedback
