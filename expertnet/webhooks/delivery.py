"""Sending deliveries: run by the job engine only, never inside a web request.

Deliveries are claimed before sending (a lease with a token, like the outbox's mail): on PostgreSQL with
`FOR UPDATE SKIP LOCKED`, on SQLite with one conditional UPDATE, so two workers never send one delivery at
once. Each attempt's outcome is recorded on its delivery alone: a 2xx is delivered; anything else (another
status, a timeout, a refused connection, a redirect — never followed) is retried after 1, 2, 4, …
× `WEBHOOK_RETRY_BASE_SECONDS`, and failed after `WEBHOOK_MAX_ATTEMPTS`. An endpoint whose attempts failed
`WEBHOOK_DISABLE_AFTER_FAILURES` times in a row is disabled (its owner enables it again) and its pending
deliveries fail.
"""
import logging
import secrets
import urllib.error
import urllib.request
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.service_errors import ServiceError
from expertnet.webhooks import signing
from expertnet.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from expertnet.webhooks.services import check_url

log = logging.getLogger(__name__)
USER_AGENT = "expertnet-webhooks/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 3xx is an answer (a failure), never a second address
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _claimable(now: datetime):
    return sa.and_(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now,
                   sa.or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now))


def claim_due(limit: int, now: datetime) -> tuple[str, list[int]]:
    db.session.commit()
    token = secrets.token_hex(16)
    due = sa.select(WebhookDelivery.id).where(_claimable(now)).order_by(WebhookDelivery.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        chosen = WebhookDelivery.id.in_(db.session.scalars(due.with_for_update(skip_locked=True)).all())
    else:
        chosen = WebhookDelivery.id.in_(due)
    lease_end = now + timedelta(seconds=current_app.config["WEBHOOK_CLAIM_SECONDS"])
    claimed = db.session.scalars(
        sa.update(WebhookDelivery).where(chosen, _claimable(now)).values(claim_token=token, claimed_until=lease_end)
        .returning(WebhookDelivery.id), execution_options={"synchronize_session": False}).all()
    db.session.commit()
    return token, sorted(claimed)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """(status code, error text) of one attempt; the code is None when no HTTP answer came."""
    endpoint = delivery.endpoint
    try:
        url = check_url(endpoint.url)  # again: the host's addresses may have changed since it was registered
    except ServiceError as refused:
        return None, refused.message
    body = delivery.payload.encode()
    sent = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": USER_AGENT, "Expertnet-Event": delivery.event,
        "Expertnet-Delivery": str(delivery.id), "Expertnet-Event-Id": delivery.event_id,
        signing.HEADER: signing.signature_header(endpoint.secret, body)})
    try:
        with _opener.open(sent, timeout=current_app.config["WEBHOOK_TIMEOUT_SECONDS"]) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as refused:
        return refused.code, f"HTTP {refused.code}"
    except (OSError, ValueError) as failed:  # refused connection, timeout, TLS, DNS
        return None, f"{type(failed).__name__}: {failed}"[:300]


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=current_app.config["WEBHOOK_RETRY_BASE_SECONDS"] * 2 ** (attempts - 1))


def _disable(endpoint: WebhookEndpoint, now: datetime) -> None:
    endpoint.active, endpoint.disabled_at = False, now
    db.session.execute(sa.update(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.FAILED, last_error="endpoint disabled after repeated failures"))
    record("webhook.disabled", None, endpoint, failures=endpoint.failures)


def _record_outcome(delivery: WebhookDelivery, code: int | None, error: str, now: datetime) -> bool:
    endpoint = delivery.endpoint
    delivery.attempts += 1
    delivery.response_code, delivery.claim_token, delivery.claimed_until = code, None, None
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.DELIVERED, now, ""
        endpoint.failures = 0
        return True
    delivery.last_error = error or f"HTTP {code}"
    if delivery.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    endpoint.failures += 1
    if endpoint.failures >= current_app.config["WEBHOOK_DISABLE_AFTER_FAILURES"] and endpoint.active:
        db.session.flush()
        _disable(endpoint, now)
    return False


def deliver_due(limit: int | None = None, now: datetime | None = None) -> tuple[int, int]:
    """Send the due deliveries; (delivered, failed attempts). Each outcome is committed on its own."""
    now = now or utcnow()
    token, ids = claim_due(limit or current_app.config["WEBHOOK_BATCH_SIZE"], now)
    delivered = failed = 0
    for delivery_id in ids:
        delivery = db.session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.claim_token != token:
            continue
        if not delivery.endpoint.active:
            delivery.status, delivery.last_error = DeliveryStatus.FAILED, "endpoint disabled"
            delivery.claim_token = delivery.claimed_until = None
            db.session.commit()
            continue
        db.session.commit()  # no transaction (SQLite: no lock) is held while waiting on the endpoint
        code, error = _post(delivery)
        if _record_outcome(delivery, code, error, now):
            delivered += 1
        else:
            failed += 1
            log.info("webhook delivery %s to endpoint %s failed: %s", delivery.id, delivery.endpoint_id,
                     delivery.last_error)
        db.session.commit()
    return delivered, failed
