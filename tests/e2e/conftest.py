"""Real-browser fixtures: the app on a live local server, Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

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


class Handler(WSGIRequestHandler):
    """werkzeug's handler, closing each response's body (a file, for a sent image) also when
    the browser drops the connection first (it does when a page is left while its images
    load): werkzeug's own `close()` is skipped when reading the dropped socket raises, and the
    file left to the garbage collector became a ResourceWarning in whatever test ran then."""

    def make_environ(self):
        environ = super().make_environ()
        self.bodies = environ["tests.bodies"] = []
        return environ

    def run_wsgi(self) -> None:
        try:
            super().run_wsgi()
        finally:
            for body in getattr(self, "bodies", ()):
                body.close()


class Body:
    """A response body closed once, by the server or by the Handler above."""

    def __init__(self, body):
        self.body, self.closed = body, False

    def __iter__(self):
        return iter(self.body)

    def close(self) -> None:
        if not self.closed and hasattr(self.body, "close"):
            self.body.close()
        self.closed = True


def closing(app):
    def wsgi(environ, start_response):
        body = Body(app(environ, start_response))
        environ["tests.bodies"].append(body)
        return body

    return wsgi


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, migrated_db):
    """Serve the app (CSRF on, as in production) on 127.0.0.1 with a free port."""
    from db_helpers import seed_data_dir

    from poster_app import create_app

    data = seed_data_dir(tmp_path_factory.mktemp("e2e-data"), migrated_db)
    app = create_app({"SECRET_KEY": "e2e", "POSTER_DATA_DIR": str(data)})
    server = make_server("127.0.0.1", 0, closing(app), threaded=True, request_handler=Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


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
