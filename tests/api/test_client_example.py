"""The partner journey of `examples/api_client.py`, against the app served on loopback (werkzeug in a thread)
with its job engine delivering the webhook: create -> submit -> receive the signed event -> read the status."""
import importlib.util
from pathlib import Path

import pytest

from tests.api.conftest import token_for
from tests.requests.factories import ensure_topics

EXAMPLE = Path(__file__).parents[2] / "examples" / "api_client.py"


@pytest.fixture
def example():
    spec = importlib.util.spec_from_file_location("api_client", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_client_runs_the_partner_journey(app, live_server, users, example):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]
    ensure_topics()
    client = example.Client(live_server.url, token_for(users["member"]))
    receiver = example.Receiver()
    try:
        summary = example.journey(client, receiver, example.EXAMPLE_REQUEST)
    finally:
        receiver.close()
    assert summary["status"] == "submitted" and summary["reference"] and summary["event_id"].startswith("evt_")
    with pytest.raises(example.ApiProblem) as refused:
        client.submit(summary["request_id"])
    assert refused.value.status == 409 and refused.value.problem["code"] == "illegal_transition"


def test_the_example_checks_signatures_as_the_server_makes_them(example):
    from expertnet.webhooks import signing

    body = b'{"type": "request.submitted"}'
    assert example.verify("whsec_a", signing.signature_header("whsec_a", body), body)
    assert not example.verify("whsec_b", signing.signature_header("whsec_a", body), body)
    assert not example.verify("whsec_a", "t=1,v1=00", body)
    assert not example.verify("whsec_a", "garbage", body)
