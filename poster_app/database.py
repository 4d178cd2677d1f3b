"""The database: bind SQLAlchemy and Alembic, tune SQLite, bring the schema to head at start-up."""

from __future__ import annotations

import functools
import os
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from .extensions import db, migrate
from .files import exclusive
from .storage import adopt_legacy_banners, adopt_photo_files

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def init_app(app: Flask) -> None:
    """Bind the extensions; on start-up run the migrations unless told not to."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        private_file(make_url(uri).database)
        # Wait for a writer instead of failing at once: several workers share one file.
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("timeout", 15)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    with app.app_context():
        if uri.startswith("sqlite"):
            event.listen(db.engine, "connect", _sqlite_pragmas)
        if app.config["AUTO_MIGRATE"]:
            upgrade(app)
            adopt_legacy_banners()
            adopt_photo_files()


def private_file(name: str | None) -> None:
    """The database holds the editors' password hashes: readable by this user only (0600).

    Made empty with that mode before SQLite opens it (SQLite gives its -wal and -shm files the
    database's mode); an older file made 0644 is narrowed at start-up.
    """
    if not name or name == ":memory:":
        return
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            each.chmod(0o600)


def _sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers go on while one writer writes; foreign keys are off by default."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upgrade(app: Flask) -> None:
    """Bring the database to the newest migration (`flask db upgrade`), one process at a time
    on every machine that shares the database."""
    from flask_migrate import upgrade as alembic_upgrade

    if at_head():
        return  # the usual start: no need to load Alembic's environment (0.1 s)
    with migration_lock(app):
        alembic_upgrade(directory=str(MIGRATIONS))


def at_head() -> bool:
    """Whether the database is at the newest migration already."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current) == set(_heads())


@functools.cache
def _heads() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory(str(MIGRATIONS)).get_heads())


# Any fixed number: every server asks PostgreSQL for the same advisory lock before migrating.
MIGRATION_LOCK_KEY = 0x706F73746572  # "poster"


@contextmanager
def migration_lock(app: Flask):
    """PostgreSQL's advisory lock, held by all servers alike; for SQLite (one machine) a file
    lock beside the database."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
        return
    with exclusive(Path(app.config["POSTER_DATA_DIR"]) / ".migrate.lock"):
        yield
