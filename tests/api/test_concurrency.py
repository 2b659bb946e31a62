"""The same create sent at the same moment with one Idempotency-Key (a client's retries racing its first try),
on PostgreSQL: one request is filed; the others replay its answer or are told it is in progress (409)."""
import pytest
import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest
from tests.api.conftest import token_for
from tests.conftest import POSTGRES_URL
from tests.engagements.test_races import at_once, statuses

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")


def test_racing_retries_file_one_request(app, users):
    secret = token_for(users["member"])
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": "race-1"}
    clients = [app.test_client() for _ in range(6)]
    calls = [lambda c=client: c.post("/api/v1/requests", json={"title": "Filed once"}, headers=headers)
             for client in clients]
    results = at_once(app, calls)
    codes = statuses(results)
    assert codes.count(201) >= 1 and set(codes) <= {201, 409}, codes
    assert all(r.get_json()["code"] == "idempotency_in_progress" for r in results if r.status_code == 409)
    assert len({r.get_json()["id"] for r in results if r.status_code == 201}) == 1
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(AssistanceRequest.id))) == 1


def test_racing_workers_send_each_webhook_delivery_once(app, users):
    """Three workers sweeping at the same moment (SKIP LOCKED claims): every delivery is sent exactly once."""
    from expertnet.webhooks.delivery import deliver_due
    from expertnet.webhooks.models import DeliveryStatus, WebhookDelivery
    from expertnet.webhooks.services import register_endpoint
    from tests.api.test_webhooks import Receiver

    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]
    receiver = Receiver()
    try:
        endpoint = register_endpoint(users["member"], f"{receiver.base}/ok", ["request.submitted"])
        db.session.flush()
        for number in range(12):
            db.session.add(WebhookDelivery(endpoint_id=endpoint.id, event_id=f"evt_{number}", event="request.submitted",
                                           payload="{}"))
        db.session.commit()
        results = at_once(app, [lambda: deliver_due(limit=5) for _ in range(3)])
        assert not [r for r in results if isinstance(r, Exception)], results
        while db.session.scalar(sa.select(sa.func.count(WebhookDelivery.id))
                                .where(WebhookDelivery.status == DeliveryStatus.PENDING)):
            deliver_due()
        sent = sorted(headers["Expertnet-Event-Id"] for _path, headers, _body in receiver.received)
        assert sent == sorted(f"evt_{number}" for number in range(12))
    finally:
        receiver.server.shutdown()


def test_racing_reports_submit_once(app, users):
    """The expert's case system retries its completion report while the first try runs: the engagement moves
    once (the machine's row lock); the repeats answer the same engagement or a conflict, never a 5xx."""
    from expertnet.engagements import services as engagement_services
    from expertnet.engagements.models import Engagement, EngagementStatus
    from tests.engagements.factories import accept, invite, make_assistance_request, make_expert

    engaged = make_assistance_request(users["member"], coordinator=users["coordinator"])
    engagement = accept(invite(users["coordinator"], engaged, make_expert(user=users["expert"])))
    engagement_services.start_engagement(users["expert"], engagement)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token_for(users['expert'])}"}
    body = {"report": "Indicators delivered.", "days_spent": 2}
    path = f"/api/v1/engagements/{engagement.id}/report"  # read here: the threads must not touch this session
    calls = [lambda c=app.test_client(): c.post(path, json=body, headers=headers) for _ in range(4)]
    codes = statuses(at_once(app, calls))
    assert codes.count(200) >= 1 and set(codes) <= {200, 409}, codes
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).status == EngagementStatus.REPORT_SUBMITTED


def test_racing_invitations_invite_an_expert_once(app, users):
    """Two coordinators invite the same expert to the same request at the same moment: one invitation."""
    from datetime import date, timedelta

    from expertnet.engagements.models import Invitation
    from tests.engagements.factories import make_assistance_request, make_expert

    assistance_request = make_assistance_request(users["member"], coordinator=users["coordinator"])
    expert = make_expert()
    db.session.commit()
    body = {"expert_ids": [expert.id], "message": "Could you help?",
            "respond_by": (date.today() + timedelta(days=7)).isoformat()}
    tokens = [token_for(users["coordinator"]), token_for(users["admin"])]
    path = f"/api/v1/requests/{assistance_request.id}/invitations"
    calls = [lambda c=app.test_client(), t=token: c.post(path, json=body, headers={"Authorization": f"Bearer {t}"})
             for token in tokens]
    codes = statuses(at_once(app, calls))
    assert codes.count(201) == 1 and set(codes) <= {201, 409, 422}, codes
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1
