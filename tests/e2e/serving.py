"""The app served on a local port for the browser tests, as shipped (CSRF on)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server


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


@contextmanager
def served(app) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 with a free port, in a thread; yield its URL."""
    server = make_server("127.0.0.1", 0, closing(app), threaded=True, request_handler=Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


def e2e_app(data_dir: Path, migrated_db, **config):
    """The app with the shipped settings (CSRF on), on a copy of the migrated data dir."""
    from db_helpers import seed_data_dir

    from poster_app import create_app

    data = seed_data_dir(data_dir, migrated_db)
    return create_app({"SECRET_KEY": "e2e", "POSTER_DATA_DIR": str(data), **config})
