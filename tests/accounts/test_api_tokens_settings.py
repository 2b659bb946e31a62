"""Personal API tokens on the settings page (issue 16): created with a name, permission and expiry, the secret
shown once; listed without it; revoked after a confirmation; inline errors; English and Arabic; and the
`flask api create-token` command for admins and scripts."""
import re

import sqlalchemy as sa

from expertnet.accounts.api_tokens import ApiToken, Scope, find_token
from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from tests.conftest import make_user

SECRET = re.compile(r'id="new-token">(exn_[A-Za-z0-9_-]{43})<')


def _create(client, name="Case system", scope="write", expires="90"):
    return client.post("/settings", data={"token-name": name, "token-scope": scope, "token-expires": expires,
                                          "token-submit": "Create token"})


def test_a_token_is_shown_once_and_then_only_by_its_name(client, auth, users):
    auth.login(users["member"])
    page = _create(client).get_data(as_text=True)
    secret = SECRET.search(page).group(1)
    token = find_token(secret)
    assert token.user_id == users["member"].id and token.scope == Scope.WRITE and token.expires_at is not None
    again = client.get("/settings").get_data(as_text=True)
    assert secret not in again and "Case system" in again and token.hint in again
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200 and api.get_json()["email"] == users["member"].email


def test_a_read_only_token_that_never_expires(client, auth, users):
    auth.login(users["member"])
    secret = SECRET.search(_create(client, scope="read", expires="never").get_data(as_text=True)).group(1)
    token = find_token(secret)
    assert token.scope == Scope.READ and token.expires_at is None


def test_a_missing_name_is_said_on_the_field(client, auth, users):
    auth.login(users["member"])
    page = _create(client, name="").get_data(as_text=True)
    assert "has-error" in page and not SECRET.search(page)
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_revoking_asks_first_then_stops_the_token(client, auth, users):
    auth.login(users["member"])
    secret = SECRET.search(_create(client).get_data(as_text=True)).group(1)
    token = find_token(secret)
    confirm = client.get(f"/settings/api-tokens/{token.id}/revoke")
    assert confirm.status_code == 200 and "Every system using it stops working at once" in confirm.get_data(as_text=True)
    assert find_token(secret).revoked_at is None  # asking revokes nothing
    done = client.post(f"/settings/api-tokens/{token.id}/revoke")
    assert done.status_code == 302 and done.headers["Location"].endswith("/settings")
    assert find_token(secret).revoked_at is not None
    after = client.get("/settings").get_data(as_text=True)
    assert "The token Case system is revoked." in after and token.hint not in after
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("api_token.%"))))
    assert {"api_token.created", "api_token.revoked"} <= actions


def test_another_users_token_cannot_be_revoked_or_seen(client, auth, users):
    auth.login(users["member"])
    secret = SECRET.search(_create(client).get_data(as_text=True)).group(1)
    token_id = find_token(secret).id
    auth.logout()
    auth.login(users["other_member"])
    assert client.get(f"/settings/api-tokens/{token_id}/revoke").status_code == 404
    assert client.post(f"/settings/api-tokens/{token_id}/revoke").status_code == 404
    assert find_token(secret).revoked_at is None


def test_the_token_section_in_arabic(client, auth):
    user = make_user(Role.MEMBER, locale="ar")
    auth.login(user)
    page = _create(client).get_data(as_text=True)
    assert "رموز الواجهة البرمجية" in page and "انسخه الآن" in page and "قراءة وكتابة" in page
    token = db.session.scalar(sa.select(ApiToken))
    assert "ألغِ الرمز" in client.get(f"/settings/api-tokens/{token.id}/revoke").get_data(as_text=True)


def test_the_empty_state(client, auth, users):
    auth.login(users["member"])
    assert "You have no API tokens." in client.get("/settings").get_data(as_text=True)


def test_the_create_token_command(app, runner, users):
    result = runner.invoke(args=["api", "create-token", users["member"].email.upper(), "--name", "Demo script",
                                 "--scope", "write", "--expires-days", "30"])
    assert result.exit_code == 0, result.output
    token = find_token(result.output.strip())
    assert token.user_id == users["member"].id and token.name == "Demo script" and token.may_write
    unknown = runner.invoke(args=["api", "create-token", "nobody@example.org", "--name", "x"])
    assert unknown.exit_code != 0 and "No active user" in unknown.output
