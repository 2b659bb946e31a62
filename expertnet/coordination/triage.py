"""Triage actions with effects beyond the lifecycle: asking the agency for more information and declining
(both tell the agency), setting the priority, naming a lead coordinator. Plain moves (accept into triage,
start matching) are `lifecycle.transition` itself."""
from expertnet.accounts.models import Role, User
from expertnet.audit.services import record
from expertnet.coordination.messages import REFUSALS
from expertnet.extensions import db
from expertnet.notifications.services import link, notify
from expertnet.requests.lifecycle import TransitionNotAllowed, transition
from expertnet.requests.models import AssistanceRequest, RequestMessage, RequestStatus
from expertnet.service_errors import ServiceError



class TriageError(ServiceError):
    """A triage action refused for a reason the coordinator can fix (its code names the message)."""

    messages = REFUSALS


def _move_with_note(coordinator: User, assistance_request: AssistanceRequest, to_status: RequestStatus, note: str):
    """The note goes to the agency, so a missing one is refused in the agency's terms."""
    try:
        return transition(assistance_request, to_status, coordinator, note)
    except TransitionNotAllowed as exc:
        if exc.code == "reason_required":
            raise TriageError("note_required") from exc
        raise


def request_information(coordinator: User, assistance_request: AssistanceRequest, question: str):
    """Pause the request (the SLA clock stops) and put the question in the agency's conversation."""
    event = _move_with_note(coordinator, assistance_request, RequestStatus.INFO_REQUESTED, question)
    _post_to_agency(coordinator, assistance_request, question)
    _mail_agency(assistance_request, "coordination_info_requested", question=question.strip())
    return event


def decline_request(coordinator: User, assistance_request: AssistanceRequest, reason: str):
    event = _move_with_note(coordinator, assistance_request, RequestStatus.REJECTED, reason)
    _post_to_agency(coordinator, assistance_request, reason)
    _mail_agency(assistance_request, "coordination_request_declined", reason=reason.strip())
    return event


def set_priority(coordinator: User, assistance_request: AssistanceRequest, priority: int) -> None:
    if not isinstance(priority, int) or not 1 <= priority <= 5:
        raise TriageError("bad_priority")
    previous = assistance_request.priority
    assistance_request.priority = priority
    db.session.flush()
    record("request.priority_set", coordinator, assistance_request, previous=previous, priority=priority)


def assign_lead(coordinator: User, assistance_request: AssistanceRequest, lead: User | None) -> None:
    """Name (or clear) the lead coordinator; the new lead is told by e-mail unless they chose themselves."""
    if lead is not None and (lead.role not in (Role.COORDINATOR, Role.ADMIN) or not lead.is_active):
        raise TriageError("bad_lead")
    previous = assistance_request.lead_coordinator_id
    assistance_request.lead_coordinator = lead
    db.session.flush()
    record("request.lead_assigned", coordinator, assistance_request, previous=previous,
           lead=getattr(lead, "id", None))
    if lead is not None and lead.id != coordinator.id and lead.id != previous:
        notify(lead, "coordination_lead_assigned", link("coordination.request_desk", request_id=assistance_request.id),
               {"reference": assistance_request.reference or ""}, assistance_request=assistance_request, lead=lead,
               by=coordinator)


def _post_to_agency(coordinator: User, assistance_request: AssistanceRequest, body: str) -> None:
    db.session.add(RequestMessage(request=assistance_request, author=coordinator, body=body.strip(), internal=False))


def _mail_agency(assistance_request: AssistanceRequest, template: str, **context) -> None:
    officer = assistance_request.created_by
    if officer is not None and officer.is_active:
        notify(officer, template, link("requests.detail", request_id=assistance_request.id),
               {"reference": assistance_request.reference or ""}, assistance_request=assistance_request,
               officer=officer, **context)
