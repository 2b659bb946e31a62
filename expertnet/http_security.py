"""HTTP-level protections: which proxies to believe, security headers, no caching of confidential
responses, and a plain 400 for hosts outside TRUSTED_HOSTS."""
from flask import Flask, Response, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

UNCACHEABLE_MIMETYPES = {"application/json", "application/problem+json", "text/csv"}


def register_proxy_fix(app: Flask) -> None:
    """Believe X-Forwarded-* only from as many proxies as the settings say; by default from none, so a
    client cannot choose the address it is throttled by, or the scheme and host the app sees."""
    hops = {name: app.config[f"PROXY_FIX_{name.upper()}"] for name in ("x_for", "x_proto", "x_host")}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)


def register_security_headers(app: Flask) -> None:
    app.register_error_handler(SecurityError, untrusted_host)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
        if app.config["HSTS_SECONDS"]:
            response.headers["Strict-Transport-Security"] = f"max-age={app.config['HSTS_SECONDS']}"
        if must_not_be_stored(response):
            response.headers["Cache-Control"] = "no-store"
        return response


def must_not_be_stored(response) -> bool:
    """What a signed-in user sees, and every data export, stays out of browser and proxy caches;
    static files keep their normal caching."""
    if request.endpoint == "static":
        return False
    return response.mimetype in UNCACHEABLE_MIMETYPES or current_user.is_authenticated


def download(body: str, mimetype: str, filename: str) -> Response:
    """A file the browser saves rather than shows; like every signed-in answer it is marked no-store above."""
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def untrusted_host(_error: SecurityError):
    """A Host outside TRUSTED_HOSTS: a plain 400, since no URL can be built for a page on an unknown host."""
    return _("Unknown host."), 400, {"Content-Type": "text/plain; charset=utf-8"}
