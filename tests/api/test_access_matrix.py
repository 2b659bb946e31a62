"""Who may do what through the API: role × operation × own/other organisation, with the pages' rules
(a member acts on its own organisation's requests only; another's do not exist for it; coordinators and
admins read every submitted request and never an agency's draft, and never act as the agency; experts are
not served requests in this slice)."""
import pytest

from expertnet.requests.models import RequestStatus as S
from tests.requests.factories import make_draft, make_request

ANY = {"If-Match": "*"}
# operation -> (method, path template, body, headers); {draft} and {submitted} are Home Agency's requests.
OPERATIONS = {
    "list": ("GET", "/requests", None, None),
    "create": ("POST", "/requests", {"title": "Matrix request"}, None),
    "read draft": ("GET", "/requests/{draft}", None, None),
    "read submitted": ("GET", "/requests/{submitted}", None, None),
    "edit draft": ("PATCH", "/requests/{draft}", {"title": "Edited title"}, ANY),
    "edit submitted": ("PATCH", "/requests/{submitted}", {"title": "Edited title"}, ANY),
    "submit draft": ("POST", "/requests/{draft}/submit", None, None),
    "withdraw submitted": ("POST", "/requests/{submitted}/withdraw", {"reason": "Solved locally."}, None),
}
EXPECTED = {
    #                 list create rd   rs   ed   es   sub  wd
    "member":        (200, 201, 200, 200, 200, 409, 200, 200),
    "other_member":  (200, 201, 404, 404, 404, 404, 404, 404),
    "coordinator":   (200, 403, 404, 200, 404, 403, 404, 403),
    "admin":         (200, 403, 404, 200, 404, 403, 404, 403),
    "expert":        (403, 403, 403, 403, 403, 403, 403, 403),
}
CASES = [(role, operation, status) for role, statuses in EXPECTED.items()
         for operation, status in zip(OPERATIONS, statuses)]


@pytest.mark.parametrize("role,operation,status", CASES, ids=[f"{r}-{o}" for r, o, _s in CASES])
def test_access(app, users, api_as, role, operation, status):
    draft = make_draft(users["member"])
    submitted = make_request(users["member"], S.SUBMITTED)
    method, template, body, headers = OPERATIONS[operation]
    answer = api_as(users[role]).call(method, template.format(draft=draft.id, submitted=submitted.id),
                                      json=body, headers=headers)
    assert answer.status_code == status, answer.get_json()
    if status >= 400:
        assert answer.content_type == "application/problem+json"


def test_a_members_list_holds_only_its_organisation(app, users, api_as):
    own = make_draft(users["member"])
    make_draft(users["other_member"])
    assert [r["id"] for r in api_as(users["member"]).get("/requests").get_json()] == [own.id]
