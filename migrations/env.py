"""Alembic environment: the app's engine and models' metadata (run through Flask-Migrate)."""

from __future__ import annotations

from alembic import context
from flask import current_app

from poster_app import models  # noqa: F401  (registers the tables on the metadata)

config = context.config
db = current_app.extensions["migrate"].db


def run_migrations_offline() -> None:
    context.configure(
        url=str(db.engine.url).replace("%", "%%"),
        target_metadata=db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
