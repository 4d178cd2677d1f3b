"""Editors: no web set-up, log in/out, the command, and what needs an editor."""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from web_helpers import EDITOR
from werkzeug.serving import make_server

from poster_app.extensions import db
from poster_app.models import Editor, utcnow


def test_a_fresh_instance_offers_no_way_to_claim_it(client, app):
    """No set-up page: the first editor is made on the server's command line."""
    assert client.get("/setup").status_code == 404
    data = {"name": "ivan", "password": "long enough pw", "confirm": "long enough pw"}
    assert client.post("/setup", data=data).status_code in (404, 405)
    page = client.get("/login")
    assert page.status_code == 200
    assert "flask --app poster_app editors add" in page.get_data(as_text=True)
    assert (
        client.post("/login", data={"name": "ivan", "password": "long enough pw"}).status_code
        == 200
    )
    with app.app_context():
        assert db.session.scalars(db.select(Editor)).first() is None


def test_ten_concurrent_setup_posts_on_a_fresh_instance_make_no_editor(make_app, tmp_path):
    """As strangers would try it, with the set-up form's own CSRF token (CSRF on)."""
    app = make_app(tmp_path / "d", TESTING=False, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/setup"

    def claim(n: int) -> None:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        try:
            token = re.search(
                r'name="csrf_token" [^>]*value="([^"]+)"', opener.open(url).read().decode()
            )
        except urllib.error.HTTPError:
            token = None
        password = f"long enough password {n}"
        data = {"name": f"stranger{n}", "password": password, "confirm": password}
        if token:
            data["csrf_token"] = token[1]
        with contextlib.suppress(urllib.error.HTTPError):
            opener.open(url, urllib.parse.urlencode(data).encode())

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.shutdown()
    server.server_close()
    with app.app_context():
        assert db.session.scalars(db.select(Editor)).all() == []


@pytest.mark.parametrize(
    ("name", "password", "status"),
    [
        ("anna", "correct horse battery", 303),
        ("anna", "wrong", 422),
        ("nobody", "correct horse battery", 422),
    ],
)
def test_login(client, editor, name, password, status):
    response = client.post("/login", data={"name": name, "password": password})
    assert response.status_code == status
    if status == 422:
        assert "don&#39;t match" in response.get_data(as_text=True)


def test_login_returns_to_the_page_and_logout_ends_it(client, editor):
    response = client.get("/actions/new")
    assert (
        response.status_code == 302 and "/login?next=/actions/new" in response.headers["Location"]
    )
    response = client.post(
        "/login?next=/actions/new", data={"name": editor[0], "password": editor[1]}
    )
    assert response.headers["Location"] == "/actions/new"
    assert client.get("/actions/new").status_code == 200
    assert client.post("/logout").status_code == 303
    assert client.get("/actions/new").status_code == 302


def test_login_refuses_to_send_people_elsewhere(client, editor):
    response = client.post(
        "/login?next=//evil.example/", data={"name": editor[0], "password": editor[1]}
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/actions/new"),
        ("post", "/actions/1/edit"),
        ("post", "/actions/1/delete"),
        ("post", "/actions/1/banners"),
        ("post", "/banners/0123456789abcdef0123/keep"),
        ("post", "/banners/0123456789abcdef0123/remove"),
    ],
)
def test_changes_need_an_editor(client, editor, method, url):
    assert getattr(client, method)(url).status_code == 403


def test_csrf_is_checked_on_login(make_app, tmp_path, editor_password_hash):
    app = make_app(tmp_path / "d", WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.session.add(Editor(name=EDITOR[0], password_hash=editor_password_hash))
        db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"name": EDITOR[0], "password": EDITOR[1]})
    assert response.status_code == 400
    assert client.get("/actions/new").status_code == 302  # not logged in


@pytest.mark.parametrize(
    ("args", "stdin", "code", "output"),
    [
        (
            ["editors", "add", "maria", "--password-stdin"],
            "a long password\n",
            0,
            "Added the editor maria",
        ),
        (["editors", "add", "maria", "--password-stdin"], "short\n", 1, "at least 10"),
        (["editors", "add", "anna", "--password-stdin"], "a long password\n", 1, "exists already"),
        (["editors", "add", "maria"], "a long password\na long password\n", 0, "Added"),
    ],
)
def test_editors_add_command(app, runner, editor, args, stdin, code, output):
    result = runner.invoke(args=args, input=stdin)
    assert result.exit_code == code, result.output
    assert output in result.output
    if code == 0:
        with app.app_context():
            maria = db.session.scalars(db.select(Editor).filter_by(name="maria")).one()
            assert maria.check_password("a long password")


def test_editors_list_says_how_to_add_the_first(runner):
    result = runner.invoke(args=["editors", "list"])
    assert result.exit_code == 0
    assert "flask --app poster_app editors add NAME" in result.output


def test_the_same_editor_added_by_two_commands_at_once_is_added_once(app, runner, monkeypatch):
    """The other command commits 'maria' after this one checked the name was free (while it
    hashes the password): the database's unique name refuses the second, with a message."""
    set_password = Editor.set_password

    def meanwhile(self, password):
        set_password(self, password)
        with db.engine.begin() as other:
            other.execute(
                Editor.__table__.insert().values(
                    name=self.name, password_hash="x", created_at=utcnow()
                )
            )

    monkeypatch.setattr(Editor, "set_password", meanwhile)
    result = runner.invoke(
        args=["editors", "add", "maria", "--password-stdin"], input="a long password\n"
    )
    assert result.exit_code == 1
    assert "an editor called 'maria' exists already" in result.output
    with app.app_context():
        assert db.session.scalars(db.select(Editor.name)).all() == ["maria"]
