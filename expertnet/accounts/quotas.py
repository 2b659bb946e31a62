"""Quotas on public forms (password reset requests, expert applications) per client address, on the shared
database counters of accounts/throttle.py; and the client address as the app may believe it."""
from functools import wraps

from flask import current_app, render_template, request
from werkzeug.exceptions import TooManyRequests

from expertnet.accounts.throttle import Policy, count_event, seconds_to_wait
from expertnet.db import utcnow
from expertnet.extensions import db

QUOTAS = {
    "password_reset": Policy("password_reset", free=10, base_seconds=60, max_seconds=3600, window_seconds=3600),
    "expert_application": Policy("expert_application", free=20, base_seconds=60, max_seconds=3600,
                                 window_seconds=3600),
}


def client_address() -> str:
    """The client's address as the app sees it: the proxy's X-Forwarded-For only when ProxyFix is set up."""
    return request.remote_addr or "unknown"


def too_many_requests(seconds: int):
    response = current_app.make_response((render_template("errors/error.html", error=TooManyRequests()), 429))
    response.headers["Retry-After"] = str(seconds)
    return response


def quota_on_posts(name: str):
    """Each POST from an address counts (committed at once, whatever the view then does); past the free
    number the address waits, with a 429 and Retry-After, instead of reaching the view."""
    policy = QUOTAS[name]

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if request.method == "POST":
                now, address = utcnow(), client_address()
                wait = seconds_to_wait(policy, address, now)
                if wait:
                    return too_many_requests(wait)
                count_event(policy, address, now)
                db.session.commit()
            return view(*args, **kwargs)
        return wrapper
    return decorator
