"""Events from audit rows: every status move (`statemachine.transition`) and every message writes one, in the
transaction of the change. A listener on the session notes them as they are flushed; just before the commit
they become delivery rows for the endpoints whose owners may see the request (the same scoped query as the
pages: `requests.access.visible_requests`), so a rolled-back change sends nothing and a committed one is never
lost. Payloads are thin: ids, reference and statuses, never case text; the receiver reads the rest through
the API with its token, where need-to-know is checked again.
"""
import json
import uuid
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from expertnet.accounts.policy import is_staff
from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests import access
from expertnet.requests.models import AssistanceRequest
from expertnet.webhooks.models import WebhookDelivery, WebhookEndpoint
from expertnet.webhooks.services import STAFF_ONLY_EVENTS, note_queued

PENDING = "webhook_events"
ANSWERS = frozenset({"invitation.accepted", "invitation.declined", "invitation.conflict_declared"})
OBJECT_KEYS = {"invitation": "invitation", "engagement": "engagement", "request_message": "message"}


def event_types(audit: AuditEvent) -> list[str]:
    """The webhook events an audit row stands for (most stand for none)."""
    details = audit.details or {}
    if audit.action.startswith("request.") and "from_status" in details:
        return ["request.submitted", "request.status_changed"] if audit.action == "request.submitted" \
            else ["request.status_changed"]
    if audit.action in ANSWERS:
        return ["invitation.answered"]
    if audit.action == "engagement.closed":
        return ["engagement.closed"]
    if audit.action == "request.message":  # internal notes ("request.message_internal") are never sent
        return ["message.created"]
    return []


def _request_id(audit: AuditEvent) -> int | None:
    if audit.object_type == AssistanceRequest.__tablename__:
        return audit.object_id
    return (audit.details or {}).get("request_id")


def _data(audit: AuditEvent, assistance_request: AssistanceRequest) -> dict[str, Any]:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    details = audit.details or {}
    data: dict[str, Any] = {"request": {
        "id": assistance_request.id, "reference": assistance_request.reference,
        "status": str(assistance_request.status), "url": f"{base}/api/v1/requests/{assistance_request.id}"}}
    if audit.action == "request.message":
        data["message"] = {"id": details.get("message_id")}
    elif audit.object_type == AssistanceRequest.__tablename__:
        data["request"]["previous_status"] = details.get("from_status")
        data["request"]["status"] = audit.action.removeprefix("request.")
    else:
        key = OBJECT_KEYS.get(audit.object_type or "", audit.object_type or "object")
        data[key] = {"id": audit.object_id, "status": audit.action.partition(".")[2],
                     "previous_status": details.get("from_status")}
    return data


def _may_receive(endpoint: WebhookEndpoint, event: str, request_id: int) -> bool:
    owner = endpoint.user
    if event in STAFF_ONLY_EVENTS and not is_staff(owner):
        return False
    visible = access.visible_requests(owner).where(AssistanceRequest.id == request_id)
    return db.session.scalar(sa.select(visible.exists())) or False


def _deliveries_for(audit: AuditEvent, endpoints: list[WebhookEndpoint]) -> int:
    request_id = _request_id(audit)
    assistance_request = db.session.get(AssistanceRequest, request_id) if request_id else None
    if assistance_request is None:
        return 0
    made = 0
    for event in event_types(audit):
        receivers = [endpoint for endpoint in endpoints
                     if event in endpoint.events and _may_receive(endpoint, event, assistance_request.id)]
        if not receivers:
            continue
        event_id = f"evt_{uuid.uuid4().hex}"
        body = json.dumps({"id": event_id, "type": event, "created_at": (audit.occurred_at or utcnow()).isoformat(),
                           "data": _data(audit, assistance_request)}, separators=(",", ":"), sort_keys=True)
        for endpoint in receivers:
            db.session.add(WebhookDelivery(endpoint_id=endpoint.id, event_id=event_id, event=event, payload=body))
            made += 1
    return made


def _note_audit_rows(session: Session, _context, _instances) -> None:
    noted = [row for row in session.new if isinstance(row, AuditEvent) and event_types(row)]
    if noted:
        session.info.setdefault(PENDING, []).extend(noted)


def _deliveries_before_commit(session: Session) -> None:
    made = 0
    while session.info.get(PENDING):
        noted, session.info[PENDING] = session.info[PENDING], []
        # audit rows of a rolled-back savepoint are no longer in the session: nothing happened
        alive = [row for row in noted if sa.inspect(row).persistent or sa.inspect(row).pending]
        if not alive:
            continue
        endpoints = list(session.scalars(sa.select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))))
        for audit in alive:
            made += _deliveries_for(audit, endpoints)
    if made:
        note_queued()


def _forget_on_rollback(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)


_registered = False


def register() -> None:
    """Once per process, on SQLAlchemy's Session class (like the SLA columns' and the matcher's listeners)."""
    global _registered  # noqa: PLW0603
    if _registered:
        return
    sa.event.listen(Session, "before_flush", _note_audit_rows)
    sa.event.listen(Session, "before_commit", _deliveries_before_commit)
    sa.event.listen(Session, "after_soft_rollback", _forget_on_rollback)
    _registered = True
