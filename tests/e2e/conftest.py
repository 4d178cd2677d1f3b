"""Real-browser fixtures: the app on a live local server, Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.serving import e2e_app, served

# Debian's chromium-headless-shell: the same Chromium build (Blink, V8, the same version) as the
# chromium package without the desktop browser wrapped around it, i.e. what Playwright itself
# runs for headless tests. Chromium 132+ has no light headless mode inside: `--headless` starts
# the whole desktop browser, which took about twice the CPU of the pages themselves (the e2e
# tests: ~390 s of CPU with /usr/bin/chromium, ~180 s with the shell). The full browser is the
# fallback where the shell is not installed: same pages, same assertions.
CHROMIUM = shutil.which("chromium-headless-shell") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, migrated_db):
    """Serve the app (CSRF on, as in production) on 127.0.0.1 with a free port."""
    with served(e2e_app(tmp_path_factory.mktemp("e2e-data"), migrated_db)) as url:
        yield url


@pytest.fixture
def tokens_expire(tmp_path, migrated_db, leave_pages_open):
    """A server, as shipped, in this process, and a call that leaves its open tabs past their
    forms' CSRF tokens (12 hours): yields the app, its URL and that call."""
    app = e2e_app(tmp_path / "data", migrated_db)
    with served(app) as url:
        yield app, url, lambda: leave_pages_open(app)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium-headless-shell)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) at desktop width, pointed at the live server."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 1280, "height": 900},
        locale="en-US",
        accept_downloads=True,
    )
    page = context.new_page()
    yield page
    context.close()
