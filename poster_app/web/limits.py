"""Rate limits that fit people: rendering (previews, downloads, new banners).

Rendering is counted per person and per address. A person is their session (a random id in
the session cookie the banner form already sets; a client without one counts as its address):
RATELIMIT_RENDER each. An address has a much higher ceiling, RATELIMIT_RENDER_ADDRESS, so a
workshop of 30 on one Wi-Fi, or a mobile network behind one carrier address, doesn't lock
itself out. A preview served from the cache of recent previews costs nothing and isn't
counted. Log-ins have a throttle of their own (throttle.py) that slows guessing without
locking anyone out.

Counts live in Redis when REDIS_URL is set (every worker and server shares them; or set
RATELIMIT_STORAGE_URI), else in memory per process. The limits use the `limits` notation
("120 per minute"). Behind a proxy, set TRUSTED_PROXIES so the address is the real one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, current_app, g, request, session
from flask_babel import gettext as _

from ..addresses import request_client
from ..extensions import limiter

P = ParamSpec("P")
R = TypeVar("R")
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
    "api.create_image": None,  # decoding and cleaning an upload costs what a render does
    "campaigns.new": ["POST"],  # a campaign renders a batch of files
    "api.create_campaign": None,
}
# Pages whose visitors go on to render: they get a visitor id in their session.
MAKERS = {"banners.index", "campaigns.new"}


def render_limit() -> str:
    return current_app.config["RATELIMIT_RENDER"]


def address_limit() -> str:
    return current_app.config["RATELIMIT_RENDER_ADDRESS"]


def person() -> str:
    """Whom a render is counted against: the session's visitor id, else the address."""
    visitor = session.get("visitor")
    return f"visitor:{visitor}" if visitor else f"address:{request_client()}"


def give_visitor_id() -> None:
    """A random id in the session of someone opening a maker page (nothing else is in it)."""
    if request.endpoint in MAKERS and "visitor" not in session:
        session["visitor"] = secrets.token_hex(8)


def not_a_cached_preview(response) -> bool:
    """Count a render unless it was a preview served from the cache (the view says so)."""
    return not g.get("preview_from_cache", False)


def render_message() -> str:
    return _(
        "Too many banners asked for from your address in a short time. "
        "Wait a minute, then try again."
    )


def counted_as_render(work: Callable[P, R]) -> Callable[P, R]:
    """`work` counted against the rendering allowances when a request calls it: for work done
    outside the rendering views (an error handler's). Past a limit it raises RateLimitExceeded."""
    for limit, scope, key in (
        (render_limit, "render", person),
        (address_limit, "render-address", request_client),
    ):
        work = limiter.shared_limit(limit, scope=scope, key_func=key, error_message=render_message)(
            work
        )
    return work


def init_app(app: Flask) -> None:
    """Bind the limiter and put the limits on the views (call after the blueprints)."""
    limiter.init_app(app)
    app.before_request(give_visitor_id)
    _limit(app, RENDERING, render_limit, "render", render_message, person)
    _limit(app, RENDERING, address_limit, "render-address", render_message, request_client)


def _limit(app: Flask, endpoints: dict, limit, scope: str, message, key) -> None:
    # The same functions each time, so a second app (tests make many) adds no second limit.
    for endpoint, methods in endpoints.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            limited = limiter.shared_limit(
                limit,
                scope=scope,
                key_func=key,
                methods=methods,
                error_message=message,
                deduct_when=not_a_cached_preview,
            )(view)
            # Our views are sync; Flask-Limiter's types also allow async ones.
            app.view_functions[endpoint] = limited  # type: ignore[assignment]
