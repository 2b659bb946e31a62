"""Who may do what through the API's role operations (issue 16, item 3): role × operation × own/another's ×
state, with the pages' rules. Invitations are the invited expert's alone (another expert's is a 404; other roles
403); notifications and webhooks are their owner's alone (404 for anyone else)."""
import pytest

from expertnet.extensions import db
from expertnet.notifications.models import Notification
from expertnet.webhooks.services import register_endpoint
from tests.engagements.factories import invite, make_assistance_request, make_expert

# operation -> (method, path template, body). {mine}/{theirs}: the matrix expert's pending invitation / another
# expert's; {unsigned}: the matrix expert's second pending invitation, terms not accepted; {note}: the member's
# notification; {hook}: the member's webhook.
OPERATIONS = {
    "list invitations": ("GET", "/invitations", None),
    "read own invitation": ("GET", "/invitations/{mine}", None),
    "read another's invitation": ("GET", "/invitations/{theirs}", None),
    "accept terms of own": ("POST", "/invitations/{mine}/terms", {"terms_version": "TERMS"}),
    "accept own without terms": ("POST", "/invitations/{unsigned}/accept", None),
    "decline own": ("POST", "/invitations/{mine}/decline", {"reason": "no_capacity"}),
    "decline another's": ("POST", "/invitations/{theirs}/decline", {"reason": "no_capacity"}),
    "list notifications": ("GET", "/notifications", None),
    "read the member's notification": ("POST", "/notifications/{note}/read", None),
    "mark all read": ("POST", "/notifications/read", None),
    "list webhooks": ("GET", "/webhooks", None),
    "create webhook": ("POST", "/webhooks", {"url": "http://127.0.0.1:9/in", "events": ["request.submitted"]}),
    "read the member's webhook": ("GET", "/webhooks/{hook}", None),
    "the member's deliveries": ("GET", "/webhooks/{hook}/deliveries", None),
}
EXPECTED = {
    #                 li   rown roth term noT  decl decO nl   nrd  nall wl   wc   wr   wd
    "member":        (403, 403, 403, 403, 403, 403, 403, 200, 200, 200, 200, 201, 200, 200),
    "other_member":  (403, 403, 403, 403, 403, 403, 403, 200, 404, 200, 200, 201, 404, 404),
    "coordinator":   (403, 403, 403, 403, 403, 403, 403, 200, 404, 200, 200, 201, 404, 404),
    "admin":         (403, 403, 403, 403, 403, 403, 403, 200, 404, 200, 200, 201, 404, 404),
    "expert":        (200, 200, 404, 200, 422, 200, 404, 200, 404, 200, 200, 403, 404, 404),
}
CASES = [(role, operation, status) for role, statuses in EXPECTED.items()
         for operation, status in zip(OPERATIONS, statuses)]


@pytest.mark.parametrize("role,operation,status", CASES, ids=[f"{r}-{o}" for r, o, _s in CASES])
def test_access(app, users, api_as, role, operation, status):
    from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION

    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["127.0.0.1"]
    assistance_request = make_assistance_request(users["member"], coordinator=users["coordinator"])
    second = make_assistance_request(users["member"], coordinator=users["coordinator"])
    expert = make_expert(user=users["expert"])
    mine, unsigned = invite(users["coordinator"], assistance_request, expert), invite(users["coordinator"], second, expert)
    theirs = invite(users["coordinator"], assistance_request, make_expert())
    note = Notification(user_id=users["member"].id, kind="request_submitted", facts={}, endpoint="home.index",
                        link_args={})
    db.session.add(note)
    hook = register_endpoint(users["member"], "http://127.0.0.1:9/in", ["request.submitted"])
    db.session.commit()
    method, template, body = OPERATIONS[operation]
    if body and body.get("terms_version") == "TERMS":
        body = {"terms_version": CONFIDENTIALITY_TERMS_VERSION}
    path = template.format(mine=mine.id, theirs=theirs.id, unsigned=unsigned.id, note=note.id, hook=hook.id)
    answer = api_as(users[role]).call(method, path, json=body)
    assert answer.status_code == status, answer.get_json()
    if status >= 400:
        assert answer.content_type == "application/problem+json"
