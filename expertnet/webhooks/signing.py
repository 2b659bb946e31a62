"""How a delivery is signed, and how a receiver checks it (the same scheme as Stripe's).

The header `Expertnet-Signature: t=<unix seconds>,v1=<hex>` carries the time of sending and
HMAC-SHA256(secret, "<t>." + raw body). A receiver recomputes it over the raw bytes it received, compares in
constant time, and refuses a `t` older than a few minutes (a replayed delivery).
"""
import hashlib
import hmac
import time

HEADER = "Expertnet-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """True when `header` signs `body` with `secret` and was made within `tolerance` seconds of `now`."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    if not parts.get("t", "").isdigit() or "v1" not in parts:
        return False
    timestamp = int(parts["t"])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), parts["v1"])
