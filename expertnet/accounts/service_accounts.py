"""Organisation service accounts (issue 16): an agency's system as a user of its own, not a person's token.

A service account is a member of its organisation (so it files and follows that organisation's requests, and
nothing else, through the same scoped queries as any member) flagged `is_service_account`: it has no password
and no e-mail anyone reads, the sign-in page, password reset and the session loader refuse it, and it acts only
through its API tokens. The organisation's members manage its service accounts (there is no finer agency role:
a member already acts for the agency, and a service account may do no more than a member), so the accounts
outlive the person who set up the integration. Every change is audited with the acting member.
"""
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from expertnet.accounts import api_tokens
from expertnet.accounts.models import Role, User
from expertnet.audit.services import record
from expertnet.extensions import db
from expertnet.service_errors import ServiceError

EMAIL_DOMAIN = "service.invalid"  # RFC 2606: never delivered; unique per account, kept out of sign-in
ACCOUNTS_PER_ORGANISATION = 20


class ServiceAccountError(ServiceError):
    messages = {
        "not_an_agency_member": _l("Only a member of an agency manages its service accounts."),
        "name_required": _l("Give the service account a name of up to 200 characters."),
        "too_many": _l("Your organisation has too many service accounts; deactivate one first."),
        "inactive": _l("This service account is deactivated."),
    }


def may_manage(user) -> bool:
    """A person (not a service account) who is an active member of an organisation."""
    return (user.is_authenticated and user.role == Role.MEMBER and user.organisation_id is not None
            and not user.is_service_account)


def _manager(actor: User) -> User:
    if not may_manage(actor):
        raise ServiceAccountError("not_an_agency_member", http_status=403)
    return actor


def accounts_of(actor: User) -> list[User]:
    """The actor's organisation's service accounts, active ones first."""
    return list(db.session.scalars(sa.select(User).where(
        User.organisation_id == _manager(actor).organisation_id, User.is_service_account.is_(True))
        .order_by(User.is_active.desc(), User.full_name, User.id)))


def own_account(actor: User, account_id: int) -> User | None:
    """A service account of the actor's organisation; any other user is reported missing."""
    account = db.session.get(User, account_id)
    if (account is None or not account.is_service_account
            or account.organisation_id != _manager(actor).organisation_id):
        return None
    return account


def create_account(actor: User, name: str, scope: api_tokens.Scope,
                   expires_at: datetime | None) -> tuple[User, api_tokens.ApiToken, str]:
    """A new service account of the actor's organisation with its first token (and that token's secret, shown
    once)."""
    _manager(actor)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ServiceAccountError("name_required")
    if len([account for account in accounts_of(actor) if account.is_active]) >= ACCOUNTS_PER_ORGANISATION:
        raise ServiceAccountError("too_many")
    account = User(email=f"service-{secrets.token_hex(8)}@{EMAIL_DOMAIN}", full_name=name, role=Role.MEMBER,
                   organisation_id=actor.organisation_id, is_service_account=True, password_hash=None,
                   locale=actor.locale)
    db.session.add(account)
    db.session.flush()
    record("service_account.created", actor, account, name=name, organisation=actor.organisation_id)
    token, secret = issue_token(actor, account, name, scope, expires_at)
    return account, token, secret


def issue_token(actor: User, account: User, name: str, scope: api_tokens.Scope,
                expires_at: datetime | None) -> tuple[api_tokens.ApiToken, str]:
    """Another token for the account (to rotate one: issue, switch the system over, revoke the old)."""
    _manager(actor)
    if not account.is_active:
        raise ServiceAccountError("inactive", http_status=409)
    token, secret = api_tokens.create_token(account, name, scope, expires_at)
    record("service_account.token_issued", actor, account, token=token.id, scope=token.scope.value)
    return token, secret


def revoke_token(actor: User, account: User, token_id: int) -> api_tokens.ApiToken:
    _manager(actor)
    token = api_tokens.revoke_token(account, token_id)
    record("service_account.token_revoked", actor, account, token=token.id)
    return token


def deactivate_account(actor: User, account: User) -> None:
    """The account stops at once: every token of it revoked, the account inactive (a repeat changes nothing)."""
    _manager(actor)
    if not account.is_active:
        return
    for token in api_tokens.live_tokens(account):
        api_tokens.revoke_token(account, token.id)
    account.is_active = False
    record("service_account.deactivated", actor, account)
