"""Links in mail built on PUBLIC_BASE_URL, trusted hosts, opt-in proxies, HSTS, no-store and the remember-me
cookie, and huge form fields refused fast."""
import time
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest

from expertnet.accounts.models import Role
from expertnet.app import create_app
from expertnet.config import environment_overrides
from expertnet.db import utcnow
from expertnet.extensions import db
from tests.conftest import PASSWORD, make_user


def reset_link(mail) -> str:
    return next(line for line in mail.get_body(("plain",)).get_content().splitlines() if "/password/reset/" in line)


def other_app(app_config, **settings):
    """A second app on the same database with other settings (its own context is pushed by the caller)."""
    return create_app({**app_config, **settings})


def test_a_forged_host_is_refused_with_400(client):
    user = make_user(Role.MEMBER)
    response = client.post("/password/forgot", data={"email": user.email}, base_url="http://attacker.example")
    assert response.status_code == 400


def test_reset_link_uses_the_public_base_url_even_for_a_trusted_other_host(app, app_config, sent_mail):
    user = make_user(Role.MEMBER)
    lenient = other_app(app_config, TRUSTED_HOSTS=["attacker.example"], MAIL_BACKEND="memory",
                        PUBLIC_BASE_URL="https://expertnet.example.org")
    with lenient.app_context():
        response = lenient.test_client().post("/password/forgot", data={"email": user.email},
                                              base_url="http://attacker.example")
        assert response.status_code == 302
        mail = lenient.extensions["sent_mail"][-1]
        assert reset_link(mail).startswith("https://expertnet.example.org/password/reset/")
        db.session.remove()


def test_forwarded_host_is_ignored_without_proxy_settings_and_checked_with_them(app, app_config):
    user = make_user(Role.MEMBER)
    forged = {"X-Forwarded-Host": "attacker.example"}
    assert app.test_client().post("/password/forgot", data={"email": user.email}, headers=forged).status_code == 302
    proxied = other_app(app_config, PROXY_FIX_X_HOST=1)
    with proxied.app_context():
        assert proxied.test_client().post("/password/forgot", data={"email": user.email},
                                          headers=forged).status_code == 400
        db.session.remove()


def test_default_trusted_hosts_are_the_public_host_and_loopback(app_config):
    app = create_app({**app_config, "PUBLIC_BASE_URL": "https://expertnet.example.org"})
    assert app.config["TRUSTED_HOSTS"] == ["expertnet.example.org", "127.0.0.1", "localhost"]
    with app.app_context():
        assert app.test_client().get("/sign-in", base_url="https://expertnet.example.org").status_code == 200
        assert app.test_client().get("/sign-in", base_url="http://127.0.0.1:8000").status_code == 200


def test_proxy_and_host_settings_come_from_the_environment():
    overrides = environment_overrides({"EXPERTNET_TRUSTED_HOSTS": "expertnet.example.org, .agency.example",
                                       "EXPERTNET_PROXY_FIX_X_FOR": "1", "EXPERTNET_HSTS_SECONDS": "31536000"})
    assert overrides == {"TRUSTED_HOSTS": ["expertnet.example.org", ".agency.example"], "PROXY_FIX_X_FOR": 1,
                         "HSTS_SECONDS": 31536000}


def test_hsts_is_sent_only_when_configured(client, app_config):
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    app = create_app({**app_config, "HSTS_SECONDS": 31536000})
    with app.app_context():
        assert app.test_client().get("/sign-in").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_signed_in_pages_and_json_are_not_stored_but_static_files_are_cached(client, auth):
    assert "no-store" not in client.get("/sign-in").headers.get("Cache-Control", "")
    assert client.get("/api/v1/nothing-here").headers["Cache-Control"] == "no-store"  # JSON, even anonymous
    auth.login(make_user(Role.COORDINATOR))
    assert client.get("/settings").headers["Cache-Control"] == "no-store"
    export = client.get("/experts/export.csv")
    assert export.mimetype == "text/csv" and export.headers["Cache-Control"] == "no-store"
    static = client.get("/static/favicon.svg")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


@pytest.mark.parametrize("secure", [False, True])
def test_remember_cookie_lasts_14_days_and_follows_the_session_cookie_security(app_config, secure):
    app = create_app({**app_config, "SESSION_COOKIE_SECURE": secure})
    with app.app_context():
        user = make_user(Role.MEMBER)
        response = app.test_client().post("/sign-in", data={"email": user.email, "password": PASSWORD,
                                                            "remember": "y"})
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
        expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
        assert abs(expires - utcnow() - timedelta(days=14)) < timedelta(minutes=1)
        assert ("Secure" in cookie) is secure
        db.session.remove()


def test_a_huge_url_encoded_field_is_a_fast_413(client):
    started = time.monotonic()
    response = client.post("/sign-in", data={"email": "a" * 25_000_000 + "@example.org", "password": "x"})
    assert response.status_code == 413
    assert time.monotonic() - started < 2


def test_e_mail_length_is_checked_before_its_format(client):
    response = client.post("/sign-in", data={"email": "a" * 300_000 + "@example.org", "password": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "at most 254 characters" in page and "Invalid email" not in page
