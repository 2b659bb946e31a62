"""Organisation service accounts: an agency member makes one on the settings page (its token shown once), the
token files and follows that organisation's requests only, the account never signs in on pages, and every
change is audited with the member who made it."""
import re

import pytest
import sqlalchemy as sa

from expertnet.accounts import service_accounts
from expertnet.accounts.api_tokens import Scope, find_token
from expertnet.accounts.models import Role, User
from expertnet.accounts.services import request_password_reset
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from tests.api.conftest import ApiClient
from tests.requests.factories import make_draft

PAGE = "/settings/service-accounts"
NEW = {"account-name": "Case system", "account-scope": "write", "account-expires": "90", "account-submit": "1"}


def _secret(page) -> str:
    return re.search(r'id="new-token">(exn_[^<]+)<', page.get_data(as_text=True)).group(1)


def _actions(account: User) -> list[tuple[str, int | None]]:
    return [(event.action, event.actor_id) for event in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "user_account", AuditEvent.object_id == account.id)
        .order_by(AuditEvent.id))]


def _account(organisation_id: int) -> User:
    return db.session.scalars(sa.select(User).where(User.organisation_id == organisation_id,
                                                    User.is_service_account.is_(True))).one()


def test_a_member_makes_a_service_account_whose_token_files_its_organisations_requests(client, auth, users):
    member, home = users["member"], users["member"].organisation_id
    auth.login(member)
    made = client.post(PAGE, data=NEW)
    assert made.status_code == 200
    account = _account(home)
    assert (account.role, account.full_name, account.password_hash) == (Role.MEMBER, "Case system", None)
    assert _actions(account) == [("service_account.created", member.id), ("service_account.token_issued", member.id)]
    assert "not shown again" in made.get_data(as_text=True)
    assert _secret(made) not in client.get(PAGE).get_data(as_text=True)  # the secret is shown once

    system = ApiClient(client, _secret(made))
    own, other = make_draft(member), make_draft(users["other_member"])
    created = system.post("/requests", json={"title": "Filed by our case system"})
    assert created.status_code == 201
    assert {r["id"] for r in system.get("/requests").get_json()} == {own.id, created.get_json()["id"]}
    assert system.get(f"/requests/{other.id}").status_code == 404
    assert system.get("/me").get_json()["organisation"]["id"] == home

    client.post("/sign-out")
    refused = auth.login(account.email, "")
    assert refused.status_code != 302 and "/sign-in" in refused.request.path
    for email in (account.email, member.email):
        request_password_reset(email)
    # the member's reset link only: a system has no password to reset
    assert set(db.session.scalars(sa.select(OutboxMessage.recipient))) == {member.email}


def test_tokens_are_issued_and_revoked_and_deactivation_stops_every_one(client, auth, users):
    member = users["member"]
    account, first, first_secret = service_accounts.create_account(member, "Case system", Scope.READ, None)
    db.session.commit()
    auth.login(member)
    issued = client.post(f"{PAGE}/{account.id}/tokens",
                         data={f"token-{account.id}-name": "Second", f"token-{account.id}-scope": "write",
                               f"token-{account.id}-expires": "30", f"token-{account.id}-submit": "1"})
    assert issued.status_code == 200
    second_secret = _secret(issued)
    assert client.post(f"{PAGE}/{account.id}/tokens/{first.id}/revoke").status_code == 302
    assert ApiClient(client, first_secret).get("/me").status_code == 401
    assert ApiClient(client, second_secret).get("/me").status_code == 200

    assert client.post(f"{PAGE}/{account.id}/deactivate").status_code == 302
    assert ApiClient(client, second_secret).get("/me").status_code == 401
    assert [action for action, actor in _actions(account)] == [
        "service_account.created", "service_account.token_issued", "service_account.token_issued",
        "service_account.token_revoked", "service_account.deactivated"]


@pytest.mark.parametrize("who,status", [("other_member", 404), ("coordinator", 403), ("expert", 403)])
def test_only_the_organisations_members_manage_its_service_accounts(client, auth, users, who, status):
    account, token, _secret_value = service_accounts.create_account(users["member"], "Case system", Scope.READ, None)
    db.session.commit()
    auth.login(users[who])
    assert client.post(f"{PAGE}/{account.id}/deactivate").status_code == status
    assert client.post(f"{PAGE}/{account.id}/tokens/{token.id}/revoke").status_code == status
    assert client.get(PAGE).status_code == (200 if who == "other_member" else 403)
    assert "Case system" not in client.get(PAGE).get_data(as_text=True)
    db.session.refresh(account)
    assert account.is_active


def test_a_service_account_may_not_manage_service_accounts(app, users):
    account, _token, _secret_value = service_accounts.create_account(users["member"], "Case system", Scope.WRITE, None)
    with pytest.raises(service_accounts.ServiceAccountError):
        service_accounts.create_account(account, "Another", Scope.WRITE, None)


def test_the_create_service_account_command(runner, users):
    result = runner.invoke(args=["api", "create-service-account", users["member"].email, "--name", "Case system"])
    assert result.exit_code == 0, result.output
    token = find_token(result.output.strip())
    assert token.user.is_service_account and token.user.organisation_id == users["member"].organisation_id
    assert token.may_write
    refused = runner.invoke(args=["api", "create-service-account", users["coordinator"].email, "--name", "x"])
    assert refused.exit_code != 0 and "Only a member of an agency" in refused.output
