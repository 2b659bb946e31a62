"""Webhooks (issue 16, item 2), end to end on real parts: a loopback HTTP server in a thread receives the
deliveries and checks their signatures; another answers 500 for the retries. The API's answers are validated
against the served OpenAPI document."""
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests import services as request_services
from expertnet.webhooks import signing
from expertnet.webhooks.delivery import deliver_due
from expertnet.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from expertnet.webhooks.services import WebhookError, check_url
from tests.requests.factories import ensure_topics, make_draft, request_data


class Receiver:
    """A partner's endpoints on loopback: `/fail…` answer 500, any other path 204; every POST is kept."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.path, dict(self.headers), body))
                self.send_response(500 if self.path.startswith("/fail") else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self, secret: str, path: str = "/ok") -> list[dict]:
        """The bodies POSTed to `path`, each after checking its signature with `secret`."""
        bodies = []
        for got_path, headers, body in self.received:
            if got_path == path:
                assert signing.verify(secret, headers[signing.HEADER], body), headers
                assert headers["Content-Type"] == "application/json"
                bodies.append(json.loads(body))
        return bodies


@pytest.fixture
def receiver(app):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]
    running = Receiver()
    yield running
    running.server.shutdown()


def _register(api, url, events=("request.submitted", "request.status_changed", "message.created")):
    answer = api.post("/webhooks", json={"url": url, "events": list(events), "description": "Case system"})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _file_and_submit(api) -> int:
    ensure_topics()
    request_id = api.post("/requests", json=request_data()).get_json()["id"]
    assert api.post(f"/requests/{request_id}/submit").status_code == 200
    return request_id


def test_a_submission_is_delivered_signed_to_the_agency_and_the_coordinators_only(app, users, api_as, receiver):
    member, other, coordinator = api_as(users["member"]), api_as(users["other_member"]), api_as(users["coordinator"])
    mine = _register(member, f"{receiver.base}/ok")
    assert mine["secret"].startswith("whsec_") and "secret" not in member.get(f"/webhooks/{mine['id']}").get_json()
    others = _register(other, f"{receiver.base}/other")
    desk = _register(coordinator, f"{receiver.base}/desk", events=["request.submitted"])

    request_id = _file_and_submit(member)  # the draft's creation is no event; its submission is two

    got = receiver.events(mine["secret"])
    assert sorted(event["type"] for event in got) == ["request.status_changed", "request.submitted"]
    submitted = next(event for event in got if event["type"] == "request.submitted")
    assert submitted["data"]["request"]["id"] == request_id and submitted["id"].startswith("evt_")
    assert submitted["data"]["request"]["previous_status"] == "draft"
    assert submitted["data"]["request"]["url"].endswith(f"/api/v1/requests/{request_id}")
    assert "summary" not in json.dumps(submitted)  # thin: no case text
    # the coordinators' hook: the submission only; the other agency's: nothing of this request
    assert [event["type"] for event in receiver.events(desk["secret"], "/desk")] == ["request.submitted"]
    assert receiver.events(others["secret"], "/other") == []

    log = member.get(f"/webhooks/{mine['id']}/deliveries")
    assert log.status_code == 200 and log.headers["X-Total-Count"] == "2"
    assert {(row["status"], row["response_code"], row["attempts"]) for row in log.get_json()} == {("delivered", 204, 1)}


def test_a_signature_is_refused_when_tampered_or_stale():
    body = b'{"type":"request.submitted"}'
    header = signing.signature_header("whsec_x", body)
    assert signing.verify("whsec_x", header, body)
    assert not signing.verify("whsec_y", header, body)
    assert not signing.verify("whsec_x", header, body + b" ")
    old = signing.signature_header("whsec_x", body, timestamp=1_000_000)
    assert not signing.verify("whsec_x", old, body)


def test_a_failing_endpoint_is_retried_with_backoff_then_disabled_and_redelivered(app, users, api_as, receiver):
    app.config.update(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_DISABLE_AFTER_FAILURES=5)
    member = api_as(users["member"])
    hook = _register(member, f"{receiver.base}/fail", events=["request.submitted"])
    _file_and_submit(member)
    delivery = db.session.scalar(sa.select(WebhookDelivery))
    first_try = delivery.next_attempt_at
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.PENDING, 1, 500)
    assert deliver_due() == (0, 0)  # not due yet
    now = utcnow()
    for attempt, wait in ((2, 60), (3, 120)):  # 1, 2, 4 … minutes
        now += timedelta(seconds=wait + 1)
        assert deliver_due(now=now) == (0, 1)
        db.session.refresh(delivery)
        assert delivery.attempts == attempt
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at > first_try
    assert len(receiver.events(hook["secret"], "/fail")) == 3

    # two more failed deliveries make five failed attempts in a row: the endpoint is disabled
    _file_and_submit(member)
    _file_and_submit(member)
    endpoint = db.session.get(WebhookEndpoint, hook["id"])
    assert not endpoint.active and endpoint.disabled_at is not None
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "webhook.disabled")) == 1
    assert member.get(f"/webhooks/{hook['id']}").get_json()["active"] is False

    # the owner mends the address, enables it again and asks for the first event once more
    mended = member.patch(f"/webhooks/{hook['id']}", json={"url": f"{receiver.base}/ok", "active": True})
    assert mended.status_code == 200 and mended.get_json()["failures"] == 0
    again = member.post(f"/webhooks/{hook['id']}/deliveries/{delivery.id}/redeliver")
    assert again.status_code == 202
    redelivered = receiver.events(hook["secret"])
    assert len(redelivered) == 1 and redelivered[0]["id"] == delivery.event_id
    assert db.session.get(WebhookDelivery, again.get_json()["id"]).status == DeliveryStatus.DELIVERED


def test_a_rolled_back_change_sends_nothing(app, users, receiver):
    from expertnet.webhooks.services import register_endpoint

    register_endpoint(users["member"], f"{receiver.base}/ok", ["request.submitted"])
    db.session.commit()
    ensure_topics()
    draft = make_draft(users["member"], **request_data())
    request_services.submit_request(users["member"], draft)
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(WebhookDelivery.id))) == 0


def test_endpoints_belong_to_their_owner(app, users, api_as, receiver):
    hook = _register(api_as(users["member"]), f"{receiver.base}/ok")
    intruder = api_as(users["other_member"])
    assert intruder.get(f"/webhooks/{hook['id']}").status_code == 404
    assert intruder.get(f"/webhooks/{hook['id']}/deliveries").status_code == 404
    assert intruder.delete(f"/webhooks/{hook['id']}").status_code == 404
    assert intruder.get("/webhooks").get_json() == []
    expert = api_as(users["expert"]).post("/webhooks", json={"url": f"{receiver.base}/ok",
                                                             "events": ["request.submitted"]})
    assert expert.status_code == 403
    read_only = api_as(users["member"], "read").post("/webhooks", json={"url": f"{receiver.base}/ok",
                                                                       "events": ["request.submitted"]})
    assert read_only.status_code == 403
    assert api_as(users["member"]).delete(f"/webhooks/{hook['id']}").status_code == 204
    assert db.session.get(WebhookEndpoint, hook["id"]) is None


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.0.0.8/hook", "http://169.254.169.254/latest",
    "http://[::1]/hook", "file:///etc/passwd", "ftp://example.org/", "http://user:pw@example.org/", "hook",
    "http://no-such-host.invalid/hook"])
def test_by_default_only_public_http_addresses_are_allowed(app, url):
    with pytest.raises(WebhookError):
        check_url(url)


def test_configured_hosts_are_the_only_ones_allowed(app):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1", ".partner.example"]
    assert check_url("http://127.0.0.1:8000/hook") and check_url("https://crm.partner.example/in")
    for refused in ("https://example.org/", "http://partner.example.evil.org/", "http://10.0.0.8/"):
        with pytest.raises(WebhookError):
            check_url(refused)


def test_a_refused_address_is_a_problem(app, users, api_as):
    answer = api_as(users["member"]).post("/webhooks", json={"url": "http://127.0.0.1/in",
                                                             "events": ["request.submitted"]})
    assert answer.status_code == 422 and answer.get_json()["code"] == "url_not_allowed"


def test_a_message_reaches_the_agency_but_an_internal_note_reaches_nobody_outside_the_desk(app, users, api_as,
                                                                                          receiver):
    member = api_as(users["member"])
    agency = _register(member, f"{receiver.base}/agency", events=["message.created"])
    request_id = _file_and_submit(member)
    from expertnet.requests.models import AssistanceRequest

    assistance_request = db.session.get(AssistanceRequest, request_id)
    request_services.post_message(users["coordinator"], assistance_request, "Internal: check the HS codes.",
                                  internal=True)
    db.session.commit()
    message = request_services.post_message(users["coordinator"], assistance_request, "Which ports are concerned?")
    db.session.commit()
    deliver_due()
    got = receiver.events(agency["secret"], "/agency")
    assert [(event["type"], event["data"]["message"]["id"]) for event in got] == [("message.created", message.id)]
    assert "ports" not in json.dumps(got)  # the text is read through the API, not pushed


def test_an_answer_to_an_invitation_reaches_the_desk_only(app, users, api_as, receiver):
    from tests.engagements.factories import accept, invite, make_assistance_request, make_expert

    desk = _register(api_as(users["coordinator"]), f"{receiver.base}/desk", events=["invitation.answered"])
    agency = _register(api_as(users["member"]), f"{receiver.base}/agency", events=["invitation.answered"])
    assistance_request = make_assistance_request(users["member"], coordinator=users["coordinator"])
    invitation = invite(users["coordinator"], assistance_request, make_expert())
    accept(invitation)
    db.session.commit()
    deliver_due()
    got = receiver.events(desk["secret"], "/desk")
    assert [(event["type"], event["data"]["invitation"]["id"], event["data"]["invitation"]["status"])
            for event in got] == [("invitation.answered", invitation.id, "accepted")]
    assert receiver.events(agency["secret"], "/agency") == []
