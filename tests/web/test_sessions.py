"""Sessions that end: logging out ends every copy of the cookie, "log out everywhere" ends every
session of the editor, and a session ends after a day unused and two weeks after the log-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from web_helpers import password_checked_once

from poster_app.extensions import db
from poster_app.models import Action, Login


@pytest.fixture(autouse=True)
def _password_checked_once():
    """Sessions are tested here, not passwords: each (hash, password) pair is checked with
    scrypt once per process (0.3 s of CPU each; ~15 log-ins in this file use one pair), with
    the same answer. A new password set by the command line is still hashed, and its first
    checks made, for real."""
    with password_checked_once():
        yield


def log_in(app, editor):
    client = app.test_client()
    response = client.post("/login", data={"name": editor[0], "password": editor[1]})
    assert response.status_code == 303
    return client


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def copy_of(app, client):
    """Another browser holding a copy of the client's session cookie (stolen, or synced)."""
    other = app.test_client()
    other.set_cookie("session", session_cookie(client))
    return other


def can_edit(client) -> bool:
    return client.get("/actions/new").status_code == 200


def record(client, title: str) -> int:
    return client.post("/actions/new", data={"title": title, "date": "2020-02"}).status_code


def actions(app) -> int:
    with app.app_context():
        return db.session.query(Action).count()


def test_logging_out_ends_every_copy_of_the_cookie(app, editor):
    client = log_in(app, editor)
    stolen = copy_of(app, client)
    assert can_edit(stolen)
    assert client.post("/logout").status_code == 303
    assert not can_edit(client)
    assert not can_edit(stolen)
    assert record(stolen, "Defaced") == 403
    assert actions(app) == 0
    with app.app_context():
        assert db.session.query(Login).count() == 0


def test_logging_out_leaves_the_editors_other_sessions(app, editor):
    phone, laptop = log_in(app, editor), log_in(app, editor)
    phone.post("/logout")
    assert not can_edit(phone) and can_edit(laptop)


def test_log_out_everywhere(app, editor):
    phone, laptop = log_in(app, editor), log_in(app, editor)
    stolen = copy_of(app, phone)
    page = laptop.get("/account").get_data(as_text=True)
    assert page.count("Since ") == 2 and "this browser" in page
    response = laptop.post("/logout/everywhere", follow_redirects=True)
    assert "logged out everywhere (2 sessions ended)" in response.get_data(as_text=True)
    assert not any(can_edit(c) for c in (phone, laptop, stolen))


def test_the_command_line_logs_an_editor_out_everywhere(app, editor, runner):
    phone = log_in(app, editor)
    result = runner.invoke(args=["editors", "logout", editor[0]])
    assert result.exit_code == 0 and "Ended 1 session(s) of anna" in result.output
    assert not can_edit(phone)
    assert runner.invoke(args=["editors", "logout", "nobody"]).exit_code == 1


def test_a_new_password_from_the_command_line_ends_every_session(app, editor, runner):
    phone, stolen_password = log_in(app, editor), editor
    new = (editor[0], "a brand new passphrase")
    result = runner.invoke(
        args=["editors", "password", editor[0], "--password-stdin"], input=new[1] + "\n"
    )
    assert result.exit_code == 0 and "ended 1 session(s)" in result.output
    assert not can_edit(phone)
    thief = app.test_client()
    refused = thief.post("/login", data={"name": editor[0], "password": stolen_password[1]})
    assert refused.status_code != 303 and not can_edit(thief)
    assert can_edit(log_in(app, new))

    too_short = runner.invoke(
        args=["editors", "password", editor[0], "--password-stdin"], input="x\n"
    )
    assert too_short.exit_code == 1 and "at least" in too_short.output
    assert can_edit(log_in(app, new))  # unchanged, and its sessions kept
    assert runner.invoke(args=["editors", "password", "nobody", "--password-stdin"]).exit_code == 1


def age(app, **changes: timedelta) -> None:
    """Move every log-in's times into the past."""
    with app.app_context():
        for login in db.session.scalars(db.select(Login)):
            for name, delta in changes.items():
                setattr(login, name, getattr(login, name) - delta)
        db.session.commit()


@pytest.mark.parametrize(
    ("changes", "ended"),
    [
        ({"seen_at": timedelta(hours=23)}, False),
        ({"seen_at": timedelta(hours=25)}, True),  # a day without use
        ({"created_at": timedelta(days=13)}, False),
        ({"created_at": timedelta(days=15)}, True),  # two weeks after the log-in, whatever
    ],
)
def test_a_session_ends_when_idle_or_old(app, editor, changes, ended):
    client = log_in(app, editor)
    age(app, **changes)
    assert can_edit(client) is not ended
    with app.app_context():
        assert db.session.query(Login).count() == (0 if ended else 1)


def test_the_timeouts_are_settings(make_app, tmp_path, monkeypatch, editor):
    monkeypatch.setenv("SESSION_IDLE_HOURS", "0.5")
    monkeypatch.setenv("SESSION_MAX_DAYS", "1")
    app = make_app(tmp_path / "d")
    assert app.config["SESSION_IDLE_HOURS"] == 0.5
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(days=1)


def test_the_cookie_holds_a_token_the_database_only_has_hashed(app, editor):
    from flask.sessions import SecureCookieSessionInterface

    client = log_in(app, editor)
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    data = serializer.loads(session_cookie(client))
    assert set(data) >= {"login"} and "editor_id" not in data
    with app.app_context():
        stored = db.session.scalars(db.select(Login.id)).one()
    assert data["login"] not in stored and len(stored) == 64


def test_a_cookie_from_before_sessions_were_recorded_opens_nothing(app, editor):
    client = app.test_client()
    with client.session_transaction() as session:
        session["editor_id"] = 1  # how sessions looked before: valid for 31 days, unrevocable
    assert not can_edit(client)
