"""Who may do what through the API's profile, directory, administration and taxonomy operations, and what an
organisation's service account may do: role × operation × own/other organisation. One test per role walks its
row against one set-up (writes last), so the matrix stays cheap."""
import pytest

from expertnet.accounts import service_accounts
from expertnet.accounts.api_tokens import Scope
from expertnet.extensions import db
from tests.api.conftest import ApiClient
from tests.engagements.factories import ensure_topics, make_expert
from tests.requests.factories import make_draft

ANY = {"If-Match": "*"}
# operation -> (method, path template, body, headers). {draft}: Home Agency's draft; {home}/{member}: Home Agency
# and its member; {other}: the other agency's member.
OPERATIONS = {
    "own profile": ("GET", "/me/profile", None, None),
    "search experts": ("GET", "/experts?topic=customs-interdiction", None, None),
    "taxonomy tree": ("GET", "/taxonomy/tree", None, None),
    "list organisations": ("GET", "/organisations", None, None),
    "read home agency": ("GET", "/organisations/{home}", None, None),
    "list users": ("GET", "/users", None, None),
    "read home member": ("GET", "/users/{member}", None, None),
    "read home draft": ("GET", "/requests/{draft}", None, None),
    "file request": ("POST", "/requests", {"title": "Filed by the matrix"}, None),
    "edit home draft": ("PATCH", "/requests/{draft}", {"title": "Edited by the matrix"}, ANY),
    "edit own profile": ("PATCH", "/me/profile", {"headline": "Edited by the matrix"}, ANY),
    "invite user": ("POST", "/users", {"email": "new@matrix.example", "full_name": "New", "role": "coordinator"}, None),
    "deactivate other member": ("POST", "/users/{other}/deactivate", None, None),
}
EXPECTED = {
    #                  prof dir  tree lorg rorg lusr rusr rdrf file edit eprf inv  deac
    "member":         (403, 403, 200, 403, 403, 403, 403, 200, 201, 200, 403, 403, 403),
    "service":        (403, 403, 200, 403, 403, 403, 403, 200, 201, 200, 403, 403, 403),
    "other_service":  (403, 403, 200, 403, 403, 403, 403, 404, 201, 404, 403, 403, 403),
    "other_member":   (403, 403, 200, 403, 403, 403, 403, 404, 201, 404, 403, 403, 403),
    "coordinator":    (403, 200, 200, 403, 403, 403, 403, 404, 403, 404, 403, 403, 403),
    "admin":          (403, 200, 200, 200, 200, 200, 200, 404, 403, 404, 403, 201, 200),
    "expert":         (200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403),
}


def _token(users, role: str) -> str | None:
    """A token of the role's user; for the service accounts, one of Home Agency's (or the other agency's)."""
    if role.endswith("service"):
        manager = users["member"] if role == "service" else users["other_member"]
        _account, _token_row, secret = service_accounts.create_account(manager, "Case system", Scope.WRITE, None)
        db.session.commit()
        return secret
    return None


@pytest.mark.parametrize("role", list(EXPECTED))
def test_access(client, users, api_as, role):
    ensure_topics()
    make_expert(user=users["expert"])
    draft = make_draft(users["member"])
    secret = _token(users, role)
    api = ApiClient(client, secret) if secret else api_as(users[role])
    answers = {}
    for operation, (method, template, body, headers) in OPERATIONS.items():
        path = template.format(draft=draft.id, home=users["member"].organisation_id, member=users["member"].id,
                               other=users["other_member"].id)
        answer = api.call(method, path, json=body, headers=headers)
        answers[operation] = answer.status_code
        if answer.status_code >= 400:
            assert answer.content_type == "application/problem+json"
    assert answers == dict(zip(OPERATIONS, EXPECTED[role]))
