"""No log keeps what people typed: not the app's own, not werkzeug's (`make run`), not
gunicorn's error log as gunicorn.conf.py sets it up. A failure is still logged, by method,
path, exception type and frames. (nginx's logs: tests/e2e/test_e2e_proxy.py.)"""

from __future__ import annotations

import logging
import runpy
import threading
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy.exc import DBAPIError
from werkzeug.serving import make_server

from poster_app.logs import frames_and_types

ROOT = Path(__file__).resolve().parents[2]
SLOGAN = "Свободу политзаключённым"
TYPED = (SLOGAN, quote(SLOGAN), "политзаключённым", "text=")


def assert_nothing_typed(text: str) -> None:
    for typed in TYPED:
        assert typed not in text


def test_an_unexpected_error_is_logged_without_the_slogan_it_quotes(app, caplog):
    @app.get("/fails")
    def fails():
        try:
            int(app.config["SECRET_KEY"])
        except ValueError as error:
            raise KeyError(SLOGAN) from error

    response = app.test_client().get("/fails?" + "text=" + quote(SLOGAN))
    assert response.status_code == 500
    assert "unhandled error on GET /fails" in caplog.text
    assert "KeyError (message left out" in caplog.text  # what failed
    assert "raise KeyError(SLOGAN) from error" in caplog.text  # where (the source line)
    assert "which came from" in caplog.text and "ValueError" in caplog.text
    assert_nothing_typed(caplog.text)


def test_a_database_error_names_its_statement_not_its_values(app):
    from poster_app.extensions import db

    with app.app_context(), pytest.raises(DBAPIError) as raised:
        db.session.execute(db.text("SELECT nothing FROM banner WHERE text = :t"), {"t": SLOGAN})
    assert "SELECT nothing FROM banner" in str(raised.value)
    assert_nothing_typed(str(raised.value))


def test_an_os_error_keeps_its_errno_not_its_file_name():
    error = FileNotFoundError(2, "No such file or directory", f"/srv/{SLOGAN}")
    try:
        raise error
    except OSError as raised:
        text = frames_and_types(raised)
    assert text.endswith("FileNotFoundError: [Errno 2] No such file or directory")
    assert_nothing_typed(text)


def test_the_development_server_logs_requests_without_their_query(app, caplog):
    """`make run` serves with werkzeug, whose log names every request."""
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/gallery?q={quote(SLOGAN)}"
        with urllib.request.urlopen(url, timeout=30) as answer:
            assert answer.status == 200
    finally:
        server.shutdown()
        thread.join(10)
    assert '"GET /gallery?… HTTP/1.1" 200' in caplog.text
    assert_nothing_typed(caplog.text)


def test_gunicorns_error_log_leaves_out_the_query_and_the_message(caplog):
    """What gunicorn logs when a request fails past the app, set up as gunicorn.conf.py does."""
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    log = logging.getLogger("gunicorn.error")
    uri = "/preview.png?text=" + quote(SLOGAN)
    try:
        raise ValueError(SLOGAN)
    except ValueError:
        log.exception("Error handling request %s %s", "GET", uri)
    log.warning("Invalid request from ip=127.0.0.1: Invalid HTTP request line: 'GET %s'", uri)
    assert "Error handling request GET /preview.png?…" in caplog.text
    assert "ValueError (message left out" in caplog.text
    assert "Invalid HTTP request line: 'GET /preview.png?…" in caplog.text
    assert_nothing_typed(caplog.text)
