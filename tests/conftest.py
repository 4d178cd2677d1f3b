"""Fixtures for the web app: an app on a temporary data dir, its test client and CLI runner."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from web_helpers import BufferedClient

ROOT = Path(__file__).resolve().parent.parent


def compile_catalogs() -> None:
    """Compile stale UI catalogs, as `make setup` does, so a bare `pytest` sees translations."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in ROOT.glob("translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as f:
                catalog = read_po(f)
            with mo.open("wb") as f:
                write_mo(f, catalog)


@pytest.fixture(scope="session", autouse=True)
def _catalogs():
    compile_catalogs()


def pytest_collection_modifyitems(items):
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        skip = pytest.mark.skip(reason="about SQLite; this run is on PostgreSQL")
        for item in items:
            if "sqlite" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_postgres(monkeypatch):
    """With DATABASE_URL naming PostgreSQL (make test-postgres): each test gets an empty
    database of its own, as it gets an empty SQLite file otherwise; apps and servers the test
    starts find it through the environment."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield
        return
    from flask_sqlalchemy import SQLAlchemy
    from pg_helpers import fresh_database
    from sqlalchemy.pool import NullPool

    # No pool: each test's connections close with its sessions, so the database can be dropped.
    make_engine = SQLAlchemy._make_engine
    monkeypatch.setattr(
        SQLAlchemy,
        "_make_engine",
        lambda self, key, options, app: make_engine(
            self, key, {**options, "poolclass": NullPool}, app
        ),
    )
    with fresh_database(url) as test_url:
        monkeypatch.setenv("DATABASE_URL", test_url)
        yield


@pytest.fixture
def app(tmp_path):
    from poster_app import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "POSTER_DATA_DIR": str(tmp_path / "data"),
            "WTF_CSRF_ENABLED": False,
        }
    )


@pytest.fixture
def client(app):
    app.test_client_class = BufferedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


EDITOR = ("anna", "correct horse battery")


@pytest.fixture
def editor(app):
    """An editor in the database (name, password)."""
    from poster_app.extensions import db
    from poster_app.models import Editor

    with app.app_context():
        person = Editor(name=EDITOR[0], password_hash=editor_hash())
        db.session.add(person)
        db.session.commit()
    return EDITOR


@functools.cache
def editor_hash() -> str:
    """EDITOR's password hashed as the app hashes it, once a run: scrypt is slow on purpose."""
    from poster_app.models import Editor

    person = Editor()
    person.set_password(EDITOR[1])
    return person.password_hash


@pytest.fixture
def editor_client(client, editor):
    """The test client, logged in as an editor."""
    response = client.post("/login", data={"name": editor[0], "password": editor[1]})
    assert response.status_code == 303
    return client


@pytest.fixture
def demo(app):
    """The six demo actions with their banners, kept in the gallery."""
    from poster_app.commands import load_demo

    with app.app_context():
        assert load_demo() == 6
    return app
