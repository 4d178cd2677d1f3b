"""Headers on every response, and the proxy in front: what a browser may load, send and show.

The Content-Security-Policy allows no inline script or style and nothing from another host;
pages are built for that (tests/web/test_web_hosts.py checks the markup, tests/e2e the browser).
Over HTTPS (directly, or from a trusted proxy's X-Forwarded-Proto) every answer carries HSTS
and the session cookie is Secure, with nothing to configure. Host names outside TRUSTED_HOSTS
get a 400, so no absolute URL (feeds, Open Graph tags) ever names a host a client made up.
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from ..models import MAX_ID

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    "img-src 'self' data: blob:; "  # the live preview shows blob: URLs of fetched PNGs
    "object-src 'none'; "
    "base-uri 'none'; "
    "frame-ancestors 'none'; "  # no one may frame the pages (clickjacking)
    "form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # A banner's address says what someone is printing: no other site learns it. Same-origin
    # requests keep it, for over HTTPS the CSRF check wants it (Flask-WTF's strict referrer
    # check: with no-referrer, every form failed over HTTPS).
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}
# Over HTTPS, browsers use nothing else for a year. Not includeSubDomains: other names under
# the same domain may not be served over HTTPS (an operator can add it at the proxy).
HSTS = "max-age=31536000"


class SessionCookies(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS (or when configured)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


class RecordNumber(IntegerConverter):
    """`<int:…>` in routes: only numbers an id column holds (PostgreSQL's integer), else 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Add the headers to every response; trust the proxy's X-Forwarded-* if told to."""
    app.session_interface = SessionCookies()
    app.before_request(refuse_nul_bytes)
    app.after_request(add_headers)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Behind nginx or Caddy: the client's address (for rate limits) and https (for
        # Secure cookies and URLs) come from the proxy's headers, trusted this many hops deep.
        # (Wrapping wsgi_app is how Flask's docs apply middleware; mypy sees a method.)
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# Forms whose every field goes through the Spec, which names a NUL next to its field.
SPEC_FORMS = {"banners.index", "banners.preview", "campaigns.new"}


def refuse_nul_bytes() -> None:
    """No one types a NUL byte; PostgreSQL refuses text holding one (a 500), so refuse it here."""
    if request.endpoint in SPEC_FORMS:
        return
    pairs = [("", request.path), *request.args.items(multi=True)]
    if request.method == "POST" and request.mimetype in FORMS:  # the request knows its limit
        pairs += request.form.items(multi=True)
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        abort(400, "The request contains a NUL character (U+0000); remove it and try again.")


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
