"""The single helper that writes audit events, in the caller's transaction."""
from flask import has_request_context, request as http_request

from expertnet.audit.models import AuditEvent
from expertnet.extensions import db


def _client_ip() -> str | None:
    # The one place outside views that reads the HTTP request: the IP belongs in the evidence.
    return http_request.remote_addr if has_request_context() else None


def record(action: str, actor=None, obj=None, **details) -> AuditEvent:
    """Add an audit row for `action` by `actor` on `obj`; it commits with the action it describes."""
    if obj is not None and getattr(obj, "id", 0) is None:
        db.session.flush()  # a new object needs its id before the event can point at it
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=getattr(obj, "__tablename__", None),
        object_id=getattr(obj, "id", None),
        ip_address=_client_ip(),
        details=details,
    )
    db.session.add(event)
    return event
