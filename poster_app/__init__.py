"""poster_app: turn a slogan in any language into a print-ready banner (PNG and vector PDF).

Flask is imported only when the web app is built, so the `poster` command and the engine
start without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the web app (see poster_app.app)."""
    from .app import create_app as build

    return build(test_config)
