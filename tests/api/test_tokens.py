"""Personal API tokens: only `Authorization: Bearer` opens the API; revoked, expired, unknown and read-only
tokens; cookies alone never authorise; use is audited at most once per token per hour; stored hashed."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.api_tokens import ApiToken, Scope, create_token, find_token, revoke_token
from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.extensions import db
from tests.api.conftest import ApiClient, token_for
from tests.conftest import PASSWORD
from tests.requests.factories import make_draft


def _assert_unauthorised(answer, error: str | None = "invalid_token"):
    assert answer.status_code == 401 and answer.content_type == "application/problem+json"
    challenge = answer.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer") and (error is None or f'error="{error}"' in challenge)


def test_no_token_is_401_with_a_challenge(app, client, users):
    _assert_unauthorised(ApiClient(client, None).get("/me"), error=None)


def test_an_unknown_or_malformed_token_is_401(app, client, users):
    for secret in ("exn_" + "x" * 43, "not-ours", "exn_" + "y" * 5000):
        _assert_unauthorised(ApiClient(client, secret).get("/me"))
    basic = client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    _assert_unauthorised(basic, error=None)


def test_a_revoked_token_is_401(app, client, users):
    api = ApiClient(client, token_for(users["member"]))
    assert api.get("/me").status_code == 200
    revoke_token(users["member"], find_token(api.secret).id)
    db.session.commit()
    _assert_unauthorised(api.get("/me"))


def test_an_expired_token_is_401(app, client, users):
    api = ApiClient(client, token_for(users["member"], expires_at=utcnow() + timedelta(minutes=5)))
    assert api.get("/me").status_code == 200
    find_token(api.secret).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    _assert_unauthorised(api.get("/me"))


def test_a_read_only_token_reads_but_may_not_write(app, client, users):
    draft = make_draft(users["member"])
    api = ApiClient(client, token_for(users["member"], Scope.READ))
    assert api.get(f"/requests/{draft.id}").status_code == 200
    refused = api.post("/requests", json={"title": "A read-only attempt"})
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    assert api.post(f"/requests/{draft.id}/submit").status_code == 403


def test_a_session_cookie_alone_never_authorises(app, client, auth, users):
    """Signed in on the site, the same browser gets nothing from the API without a token, and a write
    without CSRF token or bearer token changes nothing."""
    draft = make_draft(users["member"])
    auth.login(users["member"])
    assert client.get(f"/requests/{draft.id}").status_code == 200  # the session works on pages
    _assert_unauthorised(client.get("/api/v1/me"), error=None)
    _assert_unauthorised(client.post("/api/v1/requests", json={"title": "Through the cookie"}), error=None)
    _assert_unauthorised(client.post(f"/api/v1/requests/{draft.id}/submit"), error=None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("assistance_request"))) == 1


def test_a_token_calls_as_its_user_even_beside_another_session(app, client, auth, users):
    """A bearer token of one user with the session cookie of another: the token decides."""
    auth.login(users["other_member"])
    api = ApiClient(client, token_for(users["member"]))
    assert api.get("/me").get_json()["email"] == users["member"].email


def test_the_secret_is_stored_only_as_its_hash(app, users):
    token, secret = create_token(users["member"], "Case system", Scope.WRITE)
    db.session.commit()
    stored = db.session.get(ApiToken, token.id)
    assert secret not in (stored.secret_hash, stored.hint) and len(stored.secret_hash) == 64
    assert secret.startswith(stored.hint)


def test_use_is_audited_once_an_hour(app, client, users):
    api = ApiClient(client, token_for(users["member"]))
    for _ in range(3):
        assert api.get("/me").status_code == 200

    def uses():
        return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "api_token.used"))

    assert uses() == 1
    token = find_token(api.secret)
    assert token.last_used_at is not None
    token.last_used_at = utcnow() - timedelta(hours=1, seconds=1)
    db.session.commit()
    api.get("/me")
    assert uses() == 2


def test_a_refused_call_still_records_the_use(app, client, users):
    api = ApiClient(client, token_for(users["member"]))
    assert api.get("/requests/12345").status_code == 404
    assert find_token(api.secret).last_used_at is not None


def _sign_in_remembered(client, user):
    return client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "remember": "y"})


def test_an_api_call_never_sets_or_refreshes_a_cookie(app, client, users):
    """Signed in (with "keep me signed in"), the browser's API calls neither refresh its session nor its
    remember-me cookie, nor start a session: the API is cookieless in both directions."""
    _sign_in_remembered(client, users["other_member"])
    api = ApiClient(client, token_for(users["member"]))
    for answer in (api.get("/me"), api.post("/requests", json={"title": "A cookieless draft"}),
                   api.get("/requests/12345"), client.get("/api/v1/me")):
        assert "Set-Cookie" not in answer.headers, answer.headers


def test_a_remember_me_cookie_never_authorises_and_never_hides_the_token(app, client, users):
    """Only the remember-me cookie left (the session cookie expired with the browser): no API call as its user,
    and a bearer token sent beside it is still the one that decides."""
    _sign_in_remembered(client, users["other_member"])
    client.delete_cookie("session")
    assert client.get_cookie("remember_token") is not None
    _assert_unauthorised(client.get("/api/v1/me"), error=None)
    api = ApiClient(client, token_for(users["member"]))
    assert api.get("/me").get_json()["email"] == users["member"].email


def test_a_bearer_token_never_signs_in_on_a_page(app, client, users):
    """Tokens open the API only: a page sent the same header still sees a visitor."""
    secret = token_for(users["member"])
    answer = client.get("/notifications", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 302 and "/sign-in" in answer.headers["Location"]
