"""The database: migrations build exactly the models' schema; SQLite settings; banner rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from poster_app.extensions import db
from poster_app.models import Action, Banner, parse_action_date


def test_migrations_match_the_models(app):
    """The schema made by `db upgrade` (what create_app ran) has nothing the models differ on."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
        assert context.get_current_revision() is not None


@pytest.mark.sqlite
def test_start_up_brings_an_empty_data_dir_to_head(tmp_path):
    """(Test apps start from a migrated copy; this one starts empty, as a new server does.)"""
    from poster_app import create_app

    create_app({"TESTING": True, "SECRET_KEY": "t", "POSTER_DATA_DIR": str(tmp_path / "data")})
    path = tmp_path / "data" / "poster.db"
    with sqlite3.connect(path) as con:
        tables = {
            row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        journal = con.execute("PRAGMA journal_mode").fetchone()[0]
    assert {"action", "photo", "banner", "editor", "alembic_version"} <= tables
    assert journal == "wal"


@pytest.mark.sqlite
def test_sqlite_connections_wait_and_check_foreign_keys(app):
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(db.text("PRAGMA busy_timeout")).scalar() == 15000


def test_flask_db_upgrade_is_idempotent(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["db", "current"]).exit_code == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-02-15", (2020, 2, 15)),
        ("2020-02", (2020, 2, None)),
        (" 2020-12 ", (2020, 12, None)),
    ],
)
def test_action_dates(text, expected):
    assert parse_action_date(text) == expected


@pytest.mark.parametrize("text", ["2020", "2020-13", "2020-02-30", "15.02.2020", "20-02-15", ""])
def test_bad_action_dates(text):
    with pytest.raises(ValueError):
        parse_action_date(text)


def test_a_made_banner_is_a_row_with_thumbnail_files(app, client):
    banner_id = client.post("/api/banners", json={"text": "Свободу", "lang": "ru"}).json["id"]
    data = app.config["POSTER_DATA_DIR"]
    with app.app_context():
        banner = db.session.get(Banner, banner_id)
        assert (banner.lang, banner.text, banner.published, banner.action) == (
            "ru",
            "Свободу",
            False,
            None,
        )
        assert banner.spec.text == "Свободу"
    for width in (800, 400):
        assert Path(data, "banners", f"{banner_id}.thumb{width}.png").exists(), width


def test_deleting_an_action_keeps_its_banners(demo):
    with demo.app_context():
        action = db.session.scalars(db.select(Action).filter_by(place="Colombo")).one()
        banner_ids = [b.id for b in action.banners]
        db.session.delete(action)
        db.session.commit()
        assert all(db.session.get(Banner, b).action_id is None for b in banner_ids)


def test_legacy_json_banners_are_adopted(tmp_path):
    """Banners stored as JSON files (before the database) become rows at start-up."""
    import json

    from poster_app import create_app
    from poster_app.layout import ENGINE_VERSION, Spec

    spec = Spec.from_options({"text": "Old one", "lang": "en"})
    key = spec.key(ENGINE_VERSION)
    banners = tmp_path / "data" / "banners"
    banners.mkdir(parents=True)
    (banners / f"{key}.json").write_text(
        json.dumps(
            {
                "id": key,
                "engine": ENGINE_VERSION,
                "spec": spec.to_dict(),
                "created": "2026-01-01T00:00:00+00:00",
            }
        )
    )
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "POSTER_DATA_DIR": str(tmp_path / "data")}
    )
    with app.app_context():
        assert db.session.get(Banner, key).text == "Old one"
    assert (banners / f"{key}.thumb400.png").exists()


def test_photos_kept_only_as_files_are_stored_at_start_up(tmp_path):
    """Photos an older version kept only as files go into the database at start-up; with no
    photo file under the data dir, start-up does not ask the database for them."""
    import hashlib
    import os
    import shutil

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from poster_app import blobs, create_app
    from poster_app.models import Photo

    config = {"TESTING": True, "SECRET_KEY": "t", "POSTER_DATA_DIR": str(tmp_path / "data")}
    app = create_app(config)
    data = os.urandom(64)  # a name no other test's row has (PostgreSQL runs share a database)
    name = f"photos/{hashlib.sha256(data).hexdigest()}.jpg"
    with app.app_context():
        action = Action(title="Vigil", year=2020, month=2)
        action.photos.append(Photo(file=name, width=1, height=1))
        db.session.add(action)
        db.session.commit()
        assert not blobs.exists(name)
    (tmp_path / "data" / "photos").mkdir()
    (tmp_path / "data" / name).write_bytes(data)

    asked = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT") and "photo" in statement.lower():
            asked.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        with create_app(config).app_context():
            assert blobs.read(name) == data
        assert asked
        asked.clear()
        shutil.rmtree(tmp_path / "data" / "photos")
        with create_app(config).app_context():
            assert blobs.read(name) == data  # kept in the database
        assert asked == []
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def test_a_database_from_before_reasons_had_codes_upgrades_keeping_them(app):
    """A database at 0005 (a failed campaign's reasons in English only) is brought to the
    newest migration at start-up: its rows stay, and the campaign's page shows their English."""
    from flask_migrate import downgrade

    from poster_app import create_app
    from poster_app.database import MIGRATIONS, migrations

    with app.app_context():
        migrations(app)
        downgrade(directory=str(MIGRATIONS), revision="0005")
        with db.engine.begin() as connection:
            connection.execute(
                db.text(
                    "INSERT INTO campaign (id, title, phrase, created_at, options_json, state, "
                    "error, job_id, owner, attempts) VALUES ('00000000000000000005', 'Stop', '', "
                    "'2026-11-30 10:00:00', '{}', 'failed', 'No banner could be made.', '', '', 1)"
                )
            )
            connection.execute(
                db.text(
                    "INSERT INTO banner_task (campaign_id, lang, size, text, label, state, error, "
                    "job_id, owner, attempts) VALUES ('00000000000000000005', 'en', 'a6', 'Stop', "
                    "'English (en) - A6', 'failed', 'the printer caught fire', '', '', 1)"
                )
            )
        db.engine.dispose()
    upgraded = create_app({**app.config, "AUTO_MIGRATE": True})
    with upgraded.app_context(), db.engine.connect() as connection:
        rows = connection.execute(
            db.text(
                "SELECT error, error_data FROM banner_task UNION ALL "
                "SELECT error, error_data FROM campaign ORDER BY 1"
            )
        ).all()
        assert [tuple(row) for row in rows] == [
            ("No banner could be made.", ""),
            ("the printer caught fire", ""),
        ]
        assert MigrationContext.configure(connection).get_current_revision() == "0006"
    page = upgraded.test_client().get("/campaigns/00000000000000000005").get_data(as_text=True)
    assert "English (en) - A6 (105 × 148 mm): the printer caught fire" in page
    assert "The ZIP could not be made: No banner could be made." in page
