"""Personal API tokens (issue 16): the only key to `/api/v1/`; session cookies never open the API.

A token is `exn_` followed by 43 characters of `secrets.token_urlsafe(32)` (256 bits): high entropy, so it
is stored as its SHA-256 only (no salt or slow hash needed, unlike a password) and shown once, when made.
Each has a name, a scope (`read`, or `write` which includes read), an optional expiry, the time it was last
used and, once revoked, when. Use is audited (`api_token.used`) at most once per token per hour, which bounds
the audit log for a system that calls every few seconds; `last_used_at` is kept to the same hour.
"""
import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.audit.services import record
from expertnet.db import DefaultNow, IntPK, ShortText, enum_column, utcnow, owned_by
from expertnet.extensions import db
from expertnet.service_errors import ServiceError

PREFIX = "exn_"
SECRET_MAX = 100  # a longer Authorization value is no token of ours: refused before hashing
USE_AUDIT_INTERVAL = timedelta(hours=1)
TOKENS_PER_USER = 20
Scope = StrEnum("Scope", "READ WRITE")


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[IntPK]
    user_id: Mapped[int] = owned_by("user_account.id", index=True)
    name: Mapped[ShortText]
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hint: Mapped[str] = mapped_column(sa.String(12))  # the secret's first characters, to tell tokens apart
    scope: Mapped[Scope] = mapped_column(enum_column(Scope, 8))
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[DefaultNow]

    user = relationship("User")

    @property
    def may_write(self) -> bool:
        return self.scope == Scope.WRITE

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class TokenError(ServiceError):
    messages = {
        "name_required": _l("Give the token a name of up to 200 characters."),
        "expiry_past": _l("The expiry date must be in the future."),
        "too_many": _l("You have too many live tokens; revoke one first."),
        "not_found": _l("This token does not exist."),
    }


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def live_tokens(user) -> list[ApiToken]:
    now = utcnow()
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                                  sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def expiry_in(days: int | None) -> datetime | None:
    return utcnow() + timedelta(days=days) if days else None


def create_token(user, name: str, scope: Scope, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret (which is not stored and cannot be shown again)."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise TokenError("name_required")
    if expires_at is not None and expires_at <= utcnow():
        raise TokenError("expiry_past")
    if len(live_tokens(user)) >= TOKENS_PER_USER:
        raise TokenError("too_many")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, secret_hash=_digest(secret), hint=secret[:10], scope=Scope(scope),
                     expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    record("api_token.created", user, token, name=name, scope=token.scope.value)
    return token, secret


def own_token(user, token_id: int) -> ApiToken | None:
    """One of the user's own tokens; another user's is reported missing."""
    token = db.session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None


def revoke_token(user, token_id: int) -> ApiToken:
    """The user's own token, revoked now (a repeat changes nothing)."""
    token = own_token(user, token_id)
    if token is None:
        raise TokenError("not_found", http_status=404)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("api_token.revoked", user, token, name=token.name)
    return token


def find_token(secret: str) -> ApiToken | None:
    """The token this secret belongs to, live or not (the caller says which answer to give)."""
    if not secret.startswith(PREFIX) or len(secret) > SECRET_MAX:
        return None
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.secret_hash == _digest(secret)))


def note_use(token: ApiToken) -> bool:
    """Last-used time and the audit row, at most once per `USE_AUDIT_INTERVAL` per token (True when written)."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < USE_AUDIT_INTERVAL:
        return False
    token.last_used_at = now
    record("api_token.used", token.user, token, name=token.name)
    return True
