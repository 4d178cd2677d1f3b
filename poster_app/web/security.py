"""Headers on every response, and the proxy in front: what a browser may load, send and show.

The Content-Security-Policy allows no inline script or style and nothing from another host;
pages are built for that (tests/web/test_web_hosts.py checks the markup, tests/e2e the browser).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

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
    "Referrer-Policy": "no-referrer",  # a banner's address says what someone is printing
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}


def init_app(app: Flask) -> None:
    """Add the headers to every response; trust the proxy's X-Forwarded-* if told to."""
    app.after_request(add_headers)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Behind nginx or Caddy: the client's address (for rate limits) and https (for
        # Secure cookies and URLs) come from the proxy's headers, trusted this many hops deep.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
