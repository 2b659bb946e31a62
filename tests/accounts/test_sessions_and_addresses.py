"""A password change ends every other session and remember-me cookie; e-mail addresses are NFKC-normalised
wherever they are stored or looked up, so a full-width look-alike is the same address."""
import pytest
import sqlalchemy as sa

from expertnet.accounts.models import OnboardingInvitation, Role, User
from expertnet.extensions import db
from expertnet.taxonomy.services import load_bundled_topics
from tests.accounts.test_onboarding import APPLICATION, NEW_PASSWORD, link_in
from tests.conftest import PASSWORD, make_user

FULL_WIDTH = str.maketrans({chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)})


def full_width(email: str) -> str:
    """The look-alike: every ASCII character replaced by its full-width form ("ａｌｉ＠ｅｘａｍｐｌｅ．ｏｒｇ")."""
    return email.translate(FULL_WIDTH)


def signed_in(app, user, remember: bool = False):
    client = app.test_client()
    data = {"email": user.email, "password": PASSWORD} | ({"remember": "y"} if remember else {})
    assert client.post("/sign-in", data=data).status_code == 302
    return client


def only_remember_cookie(app, client):
    """A browser reopened later: the session cookie is gone, the remember-me cookie is kept."""
    reopened = app.test_client()
    reopened.set_cookie("remember_token", client.get_cookie("remember_token").value)
    return reopened


def change_password(client):
    return client.post("/settings", data={"password-current_password": PASSWORD, "password-password": NEW_PASSWORD,
                                          "password-confirm": NEW_PASSWORD, "password-submit": "y"})


def test_password_change_ends_other_sessions_and_remember_cookies_but_not_its_own(app):
    user = make_user(Role.MEMBER)
    here, elsewhere, remembered = signed_in(app, user, remember=True), signed_in(app, user), signed_in(app, user, True)
    assert change_password(here).status_code == 302
    assert here.get("/settings").status_code == 200
    assert only_remember_cookie(app, here).get("/settings").status_code == 200  # its own cookie was renewed
    assert elsewhere.get("/settings").status_code == 302
    assert only_remember_cookie(app, remembered).get("/settings").status_code == 302


def test_password_reset_ends_every_session(app, client, sent_mail):
    user = make_user(Role.MEMBER)
    elsewhere = signed_in(app, user, remember=True)
    client.post("/password/forgot", data={"email": user.email})
    assert client.post(link_in(sent_mail[-1]), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert elsewhere.get("/settings").status_code == 302
    assert only_remember_cookie(app, elsewhere).get("/settings").status_code == 302


def test_full_width_twin_signs_in_to_the_same_account(auth):
    user = make_user(Role.MEMBER, email="ali@example.org")
    assert auth.login(full_width("ali@example.org")).status_code == 302
    assert db.session.get(User, user.id).last_login_at is not None


def test_full_width_twin_cannot_apply_as_a_new_expert(client):
    load_bundled_topics()
    db.session.commit()
    make_user(Role.MEMBER, email="noor@lab.example")
    response = client.post("/apply", data={**APPLICATION, "email": full_width("NOOR@lab.example")})
    assert "already exists" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_full_width_twin_cannot_be_invited(client, auth):
    make_user(Role.MEMBER, email="officer@agency.example")
    auth.login(make_user(Role.ADMIN))
    response = client.post("/admin/invite", data={"full_name": "Twin", "email": full_width("officer@agency.example"),
                                                  "role": "coordinator", "organisation_id": 0, "locale": ""})
    assert "already exists" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(OnboardingInvitation)) is None


def test_reset_requested_with_the_twin_goes_to_the_stored_address(client, sent_mail):
    make_user(Role.MEMBER, email="ali@example.org")
    assert client.post("/password/forgot", data={"email": full_width("ali@example.org")}).status_code == 302
    assert [mail["To"] for mail in sent_mail] == ["ali@example.org"]


@pytest.mark.parametrize("typed", ["ｍｉｘｅｄ＠ｅｘａｍｐｌｅ．ｏｒｇ", "  MIXED@Example.ORG "])
def test_normalised_addresses_share_one_throttle_counter(auth, typed):
    make_user(Role.MEMBER, email="mixed@example.org")
    for _ in range(5):
        auth.login(typed, "wrong password here")
    assert auth.login("mixed@example.org", "wrong password here").status_code == 429
