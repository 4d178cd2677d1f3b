"""A fresh PostgreSQL database for each test, when the suite runs with DATABASE_URL set
(copied from a template that the migrations ran into once)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager


@contextmanager
def fresh_database(url: str, template: str | None = None):
    """Create a database on DATABASE_URL's server (empty, or a copy of the database named
    `template`); yield its URL; drop it afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"poster_test_{uuid.uuid4().hex[:12]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
