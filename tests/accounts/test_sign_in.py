"""Sign-in, sign-out, throttling, deactivation, CSRF and sessions that really end."""
import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from tests.conftest import PASSWORD, make_user


def actions(user=None):
    query = sa.select(AuditEvent.action).order_by(AuditEvent.id)
    if user is not None:
        query = query.where(AuditEvent.actor_id == user.id)
    return list(db.session.scalars(query))


def test_sign_in_and_out(client, auth):
    user = make_user(Role.COORDINATOR)
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert user.full_name in client.get("/").get_data(as_text=True)
    assert db.session.get(User, user.id).last_login_at is not None
    assert auth.logout().status_code == 302
    assert client.get("/settings").status_code == 302  # back to sign-in
    assert actions(user) == ["auth.signed_in", "auth.signed_out"]


def test_email_is_case_insensitive(auth):
    make_user(Role.ADMIN, email="mixed@example.org")
    assert auth.login("  MIXED@Example.ORG ").status_code == 302


@pytest.mark.parametrize("email,password", [("nobody@example.org", PASSWORD), (None, "wrong password here")])
def test_wrong_credentials_are_refused_and_audited(client, auth, email, password):
    user = make_user(Role.MEMBER)
    response = auth.login(email or user.email, password)
    assert response.status_code == 200
    assert "not correct" in response.get_data(as_text=True)
    assert "auth.sign_in_failed" in actions()


def test_deactivated_user_cannot_sign_in(auth):
    user = make_user(Role.MEMBER, is_active=False)
    assert auth.login(user).status_code == 200


def test_deactivation_ends_an_open_session(app, client, auth):
    user = make_user(Role.EXPERT)
    auth.login(user)
    assert client.get("/settings").status_code == 200
    db.session.get(User, user.id).is_active = False
    db.session.commit()
    assert client.get("/settings").status_code == 302


def test_sign_out_invalidates_a_copied_session_cookie(app, auth, client):
    user = make_user(Role.COORDINATOR)
    auth.login(user)
    stolen = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/settings").status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_limit(client, auth):
    user = make_user(Role.MEMBER)
    for _ in range(7):
        assert auth.login(user).status_code == 302
        auth.logout()


def test_open_redirect_is_refused(client, auth):
    user = make_user(Role.MEMBER)
    response = client.post("/sign-in?next=https://evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    auth.logout()
    response = client.post("/sign-in?next=/settings", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/settings"


@pytest.fixture
def csrf_app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("path", ["/sign-in", "/password/forgot", "/apply", "/language"])
def test_forms_without_csrf_token_are_rejected(app_config, path):
    from expertnet.app import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        response = app.test_client().post(path, data={"email": "a@example.org", "password": "x", "locale": "ar"})
        assert response.status_code == 400


def test_csrf_token_lets_the_form_through(app_config):
    from expertnet.app import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        user = make_user(Role.MEMBER)
        client = app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302


def test_session_cookie_is_http_only(client, auth):
    user = make_user(Role.MEMBER)
    response = auth.login(user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
