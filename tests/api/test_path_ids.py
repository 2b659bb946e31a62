"""Every path of the served document with an id no column can hold, or one that is not a number, for every
method: the methods the path has answer 404 (such an id cannot exist), the others 404 or 405 with an `Allow`
naming exactly the path's methods; never a 5xx, always problem+json. One rule per path (a `MethodView` where a
path has several methods) is what keeps a documented method from being a 405."""
import re

from expertnet.accounts.models import Role
from tests.api.conftest import token_for
from tests.conftest import make_user

BAD_IDS = ("99999999999999999999999", "abc")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_an_impossible_id_is_a_404_for_every_method_of_its_path(client):
    headers = {"Authorization": f"Bearer {token_for(make_user(Role.ADMIN))}"}
    document = client.get("/api/v1/openapi.json").get_json()
    templates = {template: item for template, item in document["paths"].items() if "{" in template}
    assert len(templates) >= 15
    wrong = []
    for template, item in templates.items():
        documented = {method.upper() for method in item if method.upper() in METHODS}
        for bad in BAD_IDS:
            path = re.sub(r"\{[^}]+\}", bad, template)
            for method in METHODS:
                answer = client.open(path, method=method, headers=headers, json={})
                allowed = {m.strip() for m in answer.headers.get("Allow", "").split(",")} - {"HEAD", "OPTIONS", ""}
                fine = (answer.status_code == 404 if method in documented else
                        answer.status_code == 404 or (answer.status_code == 405 and allowed == documented))
                if not fine or answer.content_type != "application/problem+json":
                    wrong.append(f"{method} {path}: {answer.status_code} Allow={answer.headers.get('Allow')}")
    assert not wrong, "\n".join(wrong)
