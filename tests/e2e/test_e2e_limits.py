"""In a real browser: a person over the preview limit is told to wait N seconds (not that their
connection failed), and the preview comes back by itself once the wait is over."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.screenshots import look
from tests.e2e.serving import served

SCREENSHOTS = "/tmp"


@pytest.fixture
def strict_server(tmp_path):
    """The app with a limit of 2 previews every 5 seconds per person (CSRF on)."""
    from poster_app import create_app

    app = create_app(
        {
            "SECRET_KEY": "e2e",
            "POSTER_DATA_DIR": str(tmp_path / "data"),
            "RATELIMIT_RENDER": "2 per 5 second",
        }
    )
    with served(app) as url:
        yield url


def test_too_many_previews_says_wait_and_then_shows_it(browser, strict_server):
    context = browser.new_context(
        base_url=strict_server, viewport={"width": 390, "height": 844}, locale="en-US"
    )
    page = context.new_page()
    page.goto("/")
    run = uuid.uuid4().hex[:6]
    status = page.locator("#preview-status")
    for n in range(3):
        page.fill("#text", f"Free them all {run} {n}")
        if n < 2:
            page.wait_for_function(
                "n => Number(document.getElementById('banner-form').dataset.previewSeq) >= n",
                arg=n + 1,
            )
    page.wait_for_function(
        "() => document.getElementById('preview-status').textContent.includes('Too many')"
    )
    message = status.inner_text()
    assert re.fullmatch(r"Too many previews at once: trying again in \d+ s\.", message), message
    assert "connection" not in message
    look(page, f"{SCREENSHOTS}/poster-preview-too-many-phone.png", full_page=True)
    # After the wait the same preview is fetched again and shown; the message goes.
    page.wait_for_function(
        "() => document.getElementById('preview-status').textContent === ''",
        polling=100,  # a wait of seconds: not every frame (60 a second)
        timeout=30_000,
    )
    assert page.locator("#preview-image").is_visible()
    context.close()
