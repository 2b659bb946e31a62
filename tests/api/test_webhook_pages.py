"""The webhooks page (issue 16, item 2): add a webhook (its secret shown once, errors inline), read the delivery
log, send an event again, pause and delete; in English and Arabic; others' webhooks are 404, experts 403."""
import re

import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.api.test_webhooks import Receiver, _file_and_submit


def test_a_member_adds_reads_the_log_redelivers_pauses_and_deletes(app, client, auth, users, api_as):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]
    receiver = Receiver()
    try:
        auth.login(users["member"])
        assert b"You have no webhooks." in client.get("/settings/webhooks").data
        refused = client.post("/settings/webhooks", data={"url": "http://10.1.2.3/in",
                                                          "events": ["request.submitted"]})
        assert refused.status_code == 422 and b"This address is not one webhooks may be sent to." in refused.data
        added = client.post("/settings/webhooks", data={"url": f"{receiver.base}/in", "events": ["request.submitted"],
                                                        "description": "Case system"})
        endpoint = db.session.scalar(sa.select(WebhookEndpoint))
        assert added.status_code == 200 and endpoint.secret.encode() in added.data
        assert endpoint.secret.encode() not in client.get("/settings/webhooks").data  # shown once

        _file_and_submit(api_as(users["member"]))
        delivery = db.session.scalar(sa.select(WebhookDelivery))
        assert delivery.status == DeliveryStatus.DELIVERED
        page = client.get(f"/settings/webhooks/{endpoint.id}")
        assert page.status_code == 200 and delivery.event_id.encode() in page.data and b"HTTP 204" in page.data

        again = client.post(f"/settings/webhooks/{endpoint.id}/deliveries/{delivery.id}/redeliver")
        assert again.status_code == 303 and len(receiver.received) == 2
        client.post(f"/settings/webhooks/{endpoint.id}/active")
        assert not db.session.get(WebhookEndpoint, endpoint.id).active

        users["member"].locale = "ar"
        db.session.commit()
        arabic = client.get(f"/settings/webhooks/{endpoint.id}")
        assert "عمليات الإرسال".encode() in arabic.data and b"Deliveries" not in arabic.data
        assert "خطافات الويب".encode() in client.get("/settings/webhooks").data
        assert re.search(rf'action="/settings/webhooks/{endpoint.id}/delete"[^>]*data-confirm="[^"]+"',
                         arabic.get_data(as_text=True)), "deleting asks first"

        assert client.post(f"/settings/webhooks/{endpoint.id}/delete").status_code == 303
        assert db.session.get(WebhookEndpoint, endpoint.id) is None
    finally:
        receiver.server.shutdown()


def test_others_webhooks_are_hidden_and_experts_have_none(app, client, auth, users):
    from expertnet.webhooks.services import register_endpoint

    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]
    endpoint = register_endpoint(users["member"], "http://127.0.0.1:9/in", ["request.submitted"])
    db.session.commit()
    auth.login(users["other_member"])
    assert client.get(f"/settings/webhooks/{endpoint.id}").status_code == 404
    assert client.post(f"/settings/webhooks/{endpoint.id}/delete").status_code == 404
    auth.logout()
    auth.login(users["expert"])
    assert client.get("/settings/webhooks").status_code == 403
