"""Rate limits per client address on rendering (previews, downloads, new banners).

Counts live in memory by default, one count per server process; set RATELIMIT_STORAGE_URI
(e.g. redis://localhost:6379, with the `redis` package) so that every worker and server shares
them. The limit is a setting in the `limits` notation ("120 per minute"): RATELIMIT_RENDER.
Behind a proxy, set TRUSTED_PROXIES so the client's address is the real one. Log-ins have a
throttle of their own (throttle.py) that slows guessing without locking anyone out.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import gettext as _

from ..extensions import limiter

# Views that make pictures (CPU for each request), with the methods that do: one shared
# allowance per client for all of them.
RENDERING = {
    "banners.preview": None,
    "banners.alternatives": None,
    "banners.themes": None,  # the theme swatches: six small previews
    "banners.png": None,
    "banners.jpg": None,
    "banners.post": None,
    "banners.share": None,
    "banners.screen": None,  # the projector view's picture
    "banners.pdf": None,
    "banners.index": ["POST"],  # the form: a POST renders the thumbnails
    "api.create_banner": None,
    "campaigns.new": ["POST"],  # a campaign renders a batch of files
}


def render_limit() -> str:
    return current_app.config["RATELIMIT_RENDER"]


def render_message() -> str:
    return _(
        "Too many banners asked for from your address in a short time. "
        "Wait a minute, then try again."
    )


def init_app(app: Flask) -> None:
    """Bind the limiter and put the limits on the views (call after the blueprints)."""
    limiter.init_app(app)
    _limit(app, RENDERING, render_limit, "render", render_message)


def _limit(app: Flask, endpoints: dict, limit, scope: str, message) -> None:
    # The same functions each time, so a second app (tests make many) adds no second limit.
    for endpoint, methods in endpoints.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            limited = limiter.shared_limit(
                limit, scope=scope, methods=methods, error_message=message
            )(view)
            # Our views are sync; Flask-Limiter's types also allow async ones.
            app.view_functions[endpoint] = limited  # type: ignore[assignment]
