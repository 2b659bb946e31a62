"""The API's request rate (issue 16): every call counts against its token, or, without a live token, against
the client's address, in the shared database counters of `accounts/throttle.py` (every worker and machine
counts together). Past the limit within the window the call is a 429 problem with `Retry-After`, the seconds
until the window closes. `API_RATE_LIMIT` and `API_RATE_LIMIT_ANONYMOUS` (calls per window) and
`API_RATE_WINDOW_SECONDS` configure it; a limit of 0 turns that counter off."""
from flask import current_app

from expertnet.accounts import throttle
from expertnet.accounts.quotas import client_address
from expertnet.db import utcnow


def _policy(scope: str, setting: str) -> throttle.Policy | None:
    limit = current_app.config[setting]
    if not limit:
        return None
    return throttle.Policy(scope, free=limit, base_seconds=0, max_seconds=0,
                           window_seconds=current_app.config["API_RATE_WINDOW_SECONDS"])


def count_call(token_id: int | None) -> int:
    """Count this call (the caller commits, whatever it answers); the seconds to wait once the token (or,
    without one, the address) is past its limit, else 0."""
    policy, subject = ((_policy("api_token", "API_RATE_LIMIT"), str(token_id)) if token_id is not None
                       else (_policy("api_address", "API_RATE_LIMIT_ANONYMOUS"), client_address()))
    if policy is None:
        return 0
    calls, closes_in = throttle.count_in_window(policy, subject, utcnow())
    return closes_in if calls > policy.free else 0
