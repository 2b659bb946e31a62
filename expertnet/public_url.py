"""Absolute links for e-mail, built on PUBLIC_BASE_URL: never on the request's Host header, which the
client chooses (a forged Host would otherwise put a valid reset token in a link to the attacker's site)."""
from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
