"""Signed, expiring tokens for onboarding links and password resets."""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class InvalidToken(Exception):
    """The link is tampered with, expired, or already used."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"expertnet.{purpose}")


def make_token(purpose: str, payload) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int):
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidToken("expired") from exc
    except BadSignature as exc:
        raise InvalidToken("invalid") from exc


def password_fingerprint(password_hash: str | None) -> str:
    """Bound into reset tokens so that a token stops working once the password changes (single use)."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]
