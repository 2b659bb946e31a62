"""A partner system's use of the expertnet API, with the Python standard library only (issue 16).

    python examples/api_client.py --base http://127.0.0.1:5000 --token exn_... --listen 127.0.0.1:8765

files a request, registers a webhook on a small HTTP server of its own, submits the request, waits for the
signed `request.submitted` event and reads the request's status back. The server's webhook host list must
allow the listening address (EXPERTNET_WEBHOOK_ALLOWED_HOSTS=127.0.0.1 in development). Copy what you need:
`Client` (bearer token, JSON, problem+json errors, Idempotency-Key, If-Match), `verify` (the signature check
every receiver must make) and `Receiver`.
"""
import argparse
import hashlib
import hmac
import json
import queue
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SIGNATURE_HEADER = "Expertnet-Signature"
TOLERANCE_SECONDS = 300


class ApiProblem(Exception):
    """An error answer: RFC 9457 problem details (`status`, `title`, `detail`, `code`, `errors`)."""

    def __init__(self, status: int, problem: dict):
        super().__init__(f"{status} {problem.get('code') or problem.get('title')}: {problem.get('detail')}")
        self.status, self.problem = status, problem


class Client:
    def __init__(self, base_url: str, token: str, timeout: float = 30):
        self.api, self.token, self.timeout = base_url.rstrip("/") + "/api/v1", token, timeout

    def call(self, method: str, path: str, body=None, headers=None):
        """(JSON answer or None, headers) of one call; an error answer raises ApiProblem."""
        data = None if body is None else json.dumps(body).encode()
        sent = {"Authorization": f"Bearer {self.token}", "Accept": "application/json", **(headers or {})}
        if data is not None:
            sent["Content-Type"] = "application/json"
        call = urllib.request.Request(self.api + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(call, timeout=self.timeout) as answer:
                raw = answer.read()
                return (json.loads(raw) if raw else None), answer.headers
        except urllib.error.HTTPError as error:
            raw = error.read()
            raise ApiProblem(error.code, json.loads(raw) if raw else {}) from None

    def create_request(self, fields: dict) -> dict:
        """A new draft; the Idempotency-Key makes a retry after a lost answer safe (no second request)."""
        created, _headers = self.call("POST", "/requests", fields, {"Idempotency-Key": f"draft-{uuid.uuid4()}"})
        return created

    def update_request(self, request_id: int, changes: dict) -> dict:
        """Changes sent with the ETag of a fresh read as If-Match (a stale one is refused: 412)."""
        _current, headers = self.call("GET", f"/requests/{request_id}")
        changed, _headers = self.call("PATCH", f"/requests/{request_id}", changes, {"If-Match": headers["ETag"]})
        return changed

    def submit(self, request_id: int) -> dict:
        return self.call("POST", f"/requests/{request_id}/submit")[0]

    def get_request(self, request_id: int) -> dict:
        return self.call("GET", f"/requests/{request_id}")[0]

    def register_webhook(self, url: str, events: list[str]) -> dict:
        """The new webhook, with its signing `secret` (shown this once: keep it)."""
        return self.call("POST", "/webhooks", {"url": url, "events": events, "description": "api_client.py"})[0]


def verify(secret: str, header: str, body: bytes, now: float | None = None) -> bool:
    """The check a receiver makes: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + raw body>`, recent."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if not parts.get("t", "").isdigit() or "v1" not in parts:
        return False
    if abs((time.time() if now is None else now) - int(parts["t"])) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class Receiver:
    """A webhook endpoint: answers 204 to a correctly signed delivery (and queues its event), 400 otherwise."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.secret = ""
        self.events: queue.Queue = queue.Queue()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                good = verify(receiver.secret, self.headers.get(SIGNATURE_HEADER, ""), body)
                self.send_response(204 if good else 400)
                self.end_headers()
                if good:
                    receiver.events.put(json.loads(body))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.url = f"http://{host}:{self.server.server_port}/expertnet-events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, event_type: str, request_id: int, timeout: float = 120) -> dict:
        """The first event of that type about that request (the worker sends within seconds; retries later)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                break
            if event["type"] == event_type and event["data"]["request"]["id"] == request_id:
                return event
        raise TimeoutError(f"no {event_type} for request {request_id} within {timeout} s")

    def close(self):
        self.server.shutdown()


def journey(client: Client, receiver: Receiver, fields: dict) -> dict:
    """Create -> register a webhook -> submit -> receive the signed event -> read the status. Returns a summary."""
    hook = client.register_webhook(receiver.url, ["request.submitted", "request.status_changed"])
    receiver.secret = hook["secret"]
    draft = client.create_request({"title": fields["title"]})
    client.update_request(draft["id"], {name: value for name, value in fields.items() if name != "title"})
    submitted = client.submit(draft["id"])
    event = receiver.wait_for("request.submitted", draft["id"])
    current = client.get_request(event["data"]["request"]["id"])
    return {"request_id": draft["id"], "reference": submitted["reference"], "event_id": event["id"],
            "status": current["status"], "webhook_id": hook["id"]}


EXAMPLE_REQUEST = {
    "title": "Risk indicators for precursor shipments",
    "summary": "Customs needs risk indicators for precursor chemicals arriving by sea.",
    "gap_statement": "Our risk engine has no indicators for HS chapters 28 and 29; three shipments passed unchecked.",
    "desired_outcome": "Indicators in the risk engine and twenty trained officers.",
    "gap_type": "both", "modality": "training_workshop", "topics": ["customs-interdiction"], "sectors": ["ports"],
    "languages": ["en"], "country": "JO", "urgency": "routine", "experts_wanted": 1,
    "authorised_declaration": True, "consent_statistics": True,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--token", required=True, help="a member's write token (flask api create-token)")
    parser.add_argument("--listen", default="127.0.0.1:8765", help="host:port of this script's webhook receiver")
    args = parser.parse_args()
    host, _colon, port = args.listen.rpartition(":")
    receiver = Receiver(host, int(port))
    try:
        print(json.dumps(journey(Client(args.base, args.token), receiver, EXAMPLE_REQUEST), indent=2))
    finally:
        receiver.close()


if __name__ == "__main__":
    main()
