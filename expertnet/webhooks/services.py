"""Webhook endpoints: registered, changed, removed and redelivered by their owner (pages and API alike).

Where an endpoint may point is checked when it is registered or changed and again before each send
(`check_url`): http or https only, no user:password, and either a host of `WEBHOOK_ALLOWED_HOSTS` (names,
`.example.org` for a domain and its subdomains) or, when that list is empty, a host whose every address is a
public one (never loopback, private, link-local or reserved networks: the server's own neighbourhood).
"""
import ipaddress
import secrets
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l

from expertnet.accounts.models import Role
from expertnet.accounts.policy import is_staff
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.service_errors import ServiceError
from expertnet.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

SECRET_PREFIX = "whsec_"
ENDPOINTS_PER_USER = 10
URL_MAX = 500
# The events an endpoint may subscribe to; which ones reach it depends on what its owner may see.
EVENTS = ("request.submitted", "request.status_changed", "message.created", "invitation.answered",
          "engagement.closed")
STAFF_ONLY_EVENTS = frozenset({"invitation.answered"})  # an agency learns of experts once they are engaged


class WebhookError(ServiceError):
    messages = {
        "not_allowed": _l("Only agency members and coordinators may register webhooks."),
        "url_invalid": _l("Give an http or https address of up to 500 characters, without a user name or password."),
        "url_not_allowed": _l("This address is not one webhooks may be sent to."),
        "events_invalid": _l("Choose at least one of the events offered."),
        "too_many": _l("You have too many webhooks; delete one first."),
        "not_found": _l("This webhook does not exist."),
    }


def may_register(user) -> bool:
    return user.is_authenticated and (user.role == Role.MEMBER or is_staff(user))


def _host_allowed(host: str, allowed: Iterable[str]) -> bool:
    return any(host == name.lower() or (name.startswith(".") and (host.endswith(name.lower())
                                                                   or host == name[1:].lower()))
               for name in allowed)


def _public_addresses_only(host: str, port: int) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(ipaddress.ip_address(str(address).split("%")[0]).is_global for address in addresses)


def check_url(url: str) -> str:
    """The URL, stripped, when webhooks may be sent there; otherwise a refusal."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as bad:
        raise WebhookError("url_invalid") from bad
    if (len(url) > URL_MAX or parts.scheme not in ("http", "https") or not parts.hostname
            or parts.username is not None or parts.password is not None):
        raise WebhookError("url_invalid")
    allowed = current_app.config["WEBHOOK_ALLOWED_HOSTS"]
    if not (_host_allowed(parts.hostname, allowed) if allowed else _public_addresses_only(parts.hostname, port)):
        raise WebhookError("url_not_allowed")
    return url


def _check_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events or ()))
    if not chosen or any(event not in EVENTS for event in chosen):
        raise WebhookError("events_invalid")
    return chosen


def own_endpoints(user) -> sa.Select:
    return (sa.select(WebhookEndpoint).where(WebhookEndpoint.user_id == user.id)
            .order_by(WebhookEndpoint.created_at.desc(), WebhookEndpoint.id.desc()))


def own_endpoint(user, endpoint_id: int) -> WebhookEndpoint | None:
    """One of the user's own endpoints; another user's is reported missing."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    return endpoint if endpoint is not None and endpoint.user_id == user.id else None


def register_endpoint(user, url: str, events: Iterable[str], description: str = "") -> WebhookEndpoint:
    """A new endpoint for `user`, with a fresh secret (shown to its owner, who needs it to verify)."""
    if not may_register(user):
        raise WebhookError("not_allowed", http_status=403)
    url, chosen = check_url(url), _check_events(events)
    count = db.session.scalar(sa.select(sa.func.count(WebhookEndpoint.id)).where(WebhookEndpoint.user_id == user.id))
    if (count or 0) >= ENDPOINTS_PER_USER:
        raise WebhookError("too_many")
    endpoint = WebhookEndpoint(user_id=user.id, url=url, events=chosen, description=(description or "").strip()[:200],
                               secret=SECRET_PREFIX + secrets.token_urlsafe(32))
    db.session.add(endpoint)
    db.session.flush()
    record("webhook.created", user, endpoint, url=url, events=chosen)
    return endpoint


def update_endpoint(user, endpoint: WebhookEndpoint, changes: dict) -> WebhookEndpoint:
    """Change the URL, events or description; `active: true` enables a disabled endpoint again (its count of
    failures starts anew), `active: false` pauses it."""
    if "url" in changes:
        endpoint.url = check_url(changes["url"])
    if "events" in changes:
        endpoint.events = _check_events(changes["events"])
    if "description" in changes:
        endpoint.description = (changes["description"] or "").strip()[:200]
    if "active" in changes and bool(changes["active"]) != endpoint.active:
        endpoint.active = bool(changes["active"])
        endpoint.failures, endpoint.disabled_at = 0, None
    record("webhook.updated", user, endpoint, fields=sorted(changes))
    return endpoint


def delete_endpoint(user, endpoint: WebhookEndpoint) -> None:
    record("webhook.deleted", user, endpoint, url=endpoint.url)
    db.session.delete(endpoint)


def redeliver(user, delivery: WebhookDelivery) -> WebhookDelivery:
    """The same event (same id and body) sent again as a new delivery, at once."""
    again = WebhookDelivery(endpoint_id=delivery.endpoint_id, event_id=delivery.event_id, event=delivery.event,
                            payload=delivery.payload, status=DeliveryStatus.PENDING, next_attempt_at=utcnow())
    db.session.add(again)
    db.session.flush()
    record("webhook.redelivered", user, delivery.endpoint, delivery_id=delivery.id, redelivery_id=again.id)
    note_queued()
    return again


def deliveries_of(endpoint: WebhookEndpoint) -> sa.Select:
    return (sa.select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
            .order_by(WebhookDelivery.id.desc()))


def note_queued() -> None:
    """After this web request's commit the job engine is asked to send (`enqueue_after_request`)."""
    if has_request_context():
        g.queued_webhooks = True
