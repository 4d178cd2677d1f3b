"""The database: bind SQLAlchemy and Alembic, tune SQLite, bring the schema to head at start-up.

Alembic (through Flask-Migrate) is imported only to migrate: checking that the database is
at head reads Alembic's version table and the migration files' revision ids, and the
`flask db` commands load when one is run. Its import was a sixth of the CPU of every start
— a gunicorn master, a `flask worker`, each `flask` command (0.18 of 1.1-1.2 s)."""

from __future__ import annotations

import ast
import functools
import os
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import make_url

from .extensions import db
from .files import exclusive
from .storage import adopt_legacy_banners, adopt_photo_files

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def init_app(app: Flask) -> None:
    """Bind the extensions; on start-up run the migrations unless told not to."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    # A database error quotes its statement's values (a slogan, a search) unless told not to,
    # and its message may reach the log (the disk-full line in web/errors.py).
    options.setdefault("hide_parameters", True)
    if uri.startswith("sqlite"):
        private_file(make_url(uri).database)
        # Wait for a writer instead of failing at once: several workers share one file.
        options.setdefault("connect_args", {}).setdefault("timeout", 15)
    db.init_app(app)
    app.cli.add_command(MigrationCommands(app))
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
    if at_head():
        return  # the usual start: Alembic is not even imported
    from flask_migrate import upgrade as alembic_upgrade

    migrations(app)
    with migration_lock(app):
        alembic_upgrade(directory=str(MIGRATIONS))


def at_head() -> bool:
    """Whether the database is at the newest migration already: the revisions Alembic keeps
    in its version table (none in a new database) are the heads of migrations/versions."""
    with db.engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return False
        current = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return set(current.scalars()) == heads()


VERSION_TABLE = "alembic_version"  # Alembic's default, which migrations/env.py keeps


@functools.cache
def heads() -> frozenset[str]:
    """The newest migrations: the revisions no migration names as its down_revision, read
    from the files' `revision = …` and `down_revision = …` (literals: script.py.mako), as
    Alembic's ScriptDirectory reads them by importing each file."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        ids = {
            node.targets[0].id: ast.literal_eval(node.value)
            for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
            if node.targets[0].id in ("revision", "down_revision")
        }
        revisions.add(ids["revision"])
        down = ids.get("down_revision")
        followed.update((down,) if isinstance(down, str) else down or ())
    return frozenset(revisions - followed)


def migrations(app: Flask) -> click.Group:
    """Flask-Migrate bound to the app (once), and its `flask db` commands."""
    from flask_migrate import Migrate
    from flask_migrate.cli import db as commands  # type: ignore[import-untyped]

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    return commands


class MigrationCommands(click.Group):
    """`flask db …`: Flask-Migrate's commands, loaded when one is run (they import Alembic)."""

    def __init__(self, app: Flask):
        super().__init__("db", help="Perform database migrations.")
        self.app = app

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        return migrations(self.app).make_context(info_name, args, parent, **extra)


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
