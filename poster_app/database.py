"""The database: bind SQLAlchemy and Alembic, tune SQLite, bring the schema to head at start-up."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event

from .extensions import db, migrate
from .files import exclusive
from .storage import adopt_legacy_banners

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def init_app(app: Flask) -> None:
    """Bind the extensions; on start-up run the migrations unless told not to."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
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


def _sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers go on while one writer writes; foreign keys are off by default."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upgrade(app: Flask) -> None:
    """Bring the database to the newest migration (`flask db upgrade`), one process at a time."""
    from flask_migrate import upgrade as alembic_upgrade

    with exclusive(Path(app.config["POSTER_DATA_DIR"]) / ".migrate.lock"):
        alembic_upgrade(directory=str(MIGRATIONS))
