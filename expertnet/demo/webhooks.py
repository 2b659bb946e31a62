"""Demo step for webhooks (issue 16): the English demo member's agency has a case system listening for its
requests' events. The webhook is paused (its address is a demo one nobody answers), with a delivery log of what
it received before: deliveries answered 204, and one that failed its eight attempts with 503."""
import json
import uuid
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import User
from expertnet.db import utcnow
from expertnet.demo.credentials import demo_credentials
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus
from expertnet.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

DEMO_URL = "https://cases.aqaba-customs.jo.example/expertnet/events"


def seed_webhooks(admin, organisations: dict) -> None:
    email = next(email for role, email in demo_credentials() if role == "member")
    member = db.session.scalar(sa.select(User).where(User.email == email))
    now = utcnow()
    endpoint = WebhookEndpoint(user_id=member.id, url=DEMO_URL, description="Aqaba customs case system",
                               events=["request.status_changed", "request.submitted"], secret="whsec_demo-" + "0" * 32,
                               active=False, created_at=now - timedelta(days=20))
    db.session.add(endpoint)
    db.session.flush()
    requests = list(db.session.scalars(sa.select(AssistanceRequest).where(
        AssistanceRequest.organisation_id == member.organisation_id,
        AssistanceRequest.status != RequestStatus.DRAFT).order_by(AssistanceRequest.id).limit(4)))
    for number, assistance_request in enumerate(requests):
        at = now - timedelta(days=10 - 2 * number)
        body = json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": "request.submitted", "created_at": at.isoformat(),
                           "data": {"request": {"id": assistance_request.id, "reference": assistance_request.reference,
                                                "status": "submitted", "previous_status": "draft"}}},
                          separators=(",", ":"), sort_keys=True)
        failed = number == len(requests) - 1
        db.session.add(WebhookDelivery(
            endpoint_id=endpoint.id, event_id=json.loads(body)["id"], event="request.submitted", payload=body,
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.DELIVERED, attempts=8 if failed else 1,
            response_code=503 if failed else 204, last_error="HTTP 503" if failed else "", next_attempt_at=at,
            delivered_at=None if failed else at + timedelta(seconds=1), created_at=at))
    db.session.flush()
