"""Configuration: defaults here, then instance/config.py, then EXPERTNET_* environment variables."""
import os
import secrets
from datetime import timedelta
from pathlib import Path


class DefaultConfig:
    SQLALCHEMY_DATABASE_URI = None  # filled in from the instance folder when left unset
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS (EXPERTNET_SESSION_COOKIE_SECURE=1)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 26 * 1024 * 1024
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    LANGUAGES = ("en", "ar")
    RTL_LANGUAGES = ("ar",)
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_FAILURE_LIMIT = "5 per 15 minutes"
    INVITATION_MAX_AGE = 7 * 24 * 3600
    PASSWORD_RESET_MAX_AGE = 3600
    PASSWORD_MIN_LENGTH = 12
    MAIL_SENDER = "expertnet <no-reply@expertnet.invalid>"
    MAIL_BACKEND = "log"  # "log" (development), "smtp" (production), "memory" (tests)
    SMTP_HOST = "127.0.0.1"
    SMTP_PORT = 25
    SMTP_USERNAME = None
    SMTP_PASSWORD = None
    SMTP_STARTTLS = False
    SMTP_SSL = False
    SMTP_TIMEOUT = 10
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    ITEMS_PER_PAGE = 20
    # Mail retry: attempt n+1 is due (2**n - 1) * base seconds after the message was queued.
    MAIL_RETRY_BASE_SECONDS = 60
    # SLA targets in hours from submission (time waiting on the agency excluded), per urgency.
    SLA_TARGETS = {
        "urgent": {"triage": 4, "first_invitation": 24, "assignment": 72},
        "priority": {"triage": 24, "first_invitation": 72, "assignment": 168},
        "routine": {"triage": 72, "first_invitation": 168, "assignment": 336},
    }
    SLA_WARNING_FRACTION = 0.25  # "due soon" once less than this share of the target is left
    # Retention (`flask purge`): closed/rejected/withdrawn requests are anonymised this many days after
    # reaching that status; sent e-mails lose their bodies this many days after sending.
    RETENTION_CLOSED_REQUEST_DAYS = 730
    RETENTION_SENT_MAIL_DAYS = 90


# Settings that may come from the environment, with how to read the text.
def _as_bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


ENVIRONMENT_SETTINGS = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", _as_bool),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "MAIL_BACKEND": ("MAIL_BACKEND", str),
    "MAIL_SENDER": ("MAIL_SENDER", str),
    "SMTP_HOST": ("SMTP_HOST", str),
    "SMTP_PORT": ("SMTP_PORT", int),
    "SMTP_USERNAME": ("SMTP_USERNAME", str),
    "SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "SMTP_STARTTLS": ("SMTP_STARTTLS", _as_bool),
    "SMTP_SSL": ("SMTP_SSL", _as_bool),
    "PUBLIC_BASE_URL": ("PUBLIC_BASE_URL", str),
    "UPLOAD_FOLDER": ("UPLOAD_FOLDER", str),
    "MATCHER_INDEX_PATH": ("MATCHER_INDEX_PATH", str),
    "RETENTION_CLOSED_REQUEST_DAYS": ("RETENTION_CLOSED_REQUEST_DAYS", int),
    "RETENTION_SENT_MAIL_DAYS": ("RETENTION_SENT_MAIL_DAYS", int),
}


def environment_overrides(environ=os.environ) -> dict:
    overrides = {}
    for suffix, (key, parse) in ENVIRONMENT_SETTINGS.items():
        value = environ.get(f"EXPERTNET_{suffix}")
        if value not in (None, ""):
            overrides[key] = parse(value)
    return overrides


def instance_secret_key(instance_path: str) -> str:
    """A key generated once per installation and kept in the instance folder, never in git."""
    key_file = Path(instance_path) / "SECRET_KEY"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
