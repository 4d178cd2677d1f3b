"""Editors: first-run set-up, log in/out, the command, and what needs an editor."""

from __future__ import annotations

import pytest

from poster_app.extensions import db
from poster_app.models import Editor


def test_setup_page_only_while_there_is_no_editor(client, app):
    assert client.get("/login").headers["Location"].endswith("/setup")
    response = client.post(
        "/setup", data={"name": "ivan", "password": "long enough pw", "confirm": "long enough pw"}
    )
    assert response.status_code == 303
    with app.app_context():
        editor = db.session.scalars(db.select(Editor)).one()
        assert editor.name == "ivan" and editor.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert "long enough pw" not in editor.password_hash
    assert client.get("/setup").status_code == 404
    assert client.get("/actions/new").status_code == 200  # logged in by the set-up


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "password": "long enough pw", "confirm": "long enough pw"}, "Choose a name"),
        ({"name": "x", "password": "short", "confirm": "short"}, "at least 10 characters"),
        (
            {"name": "x", "password": "long enough pw", "confirm": "other one pw"},
            "passwords differ",
        ),
    ],
)
def test_setup_errors(client, data, message):
    response = client.post("/setup", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


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


def test_csrf_is_checked_on_login(tmp_path):
    from poster_app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "t", "POSTER_DATA_DIR": str(tmp_path / "d")})
    response = app.test_client().post(
        "/setup", data={"name": "x", "password": "long enough pw", "confirm": "long enough pw"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(db.select(Editor)).first() is None


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
