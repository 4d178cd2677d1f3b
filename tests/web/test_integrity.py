"""Private files are private (0600) and `flask check` sees damage, not only absence: a photo
that no longer matches its hash or decodes, a garbage thumbnail (served immutable for a year),
a download cut short, a SQLite file that fails PRAGMA integrity_check."""

from __future__ import annotations

import io
import sqlite3
import stat
from pathlib import Path

import pytest
from photo_helpers import jpeg_with_metadata

from poster_app.extensions import db


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def check(runner, *args: str):
    return runner.invoke(args=["check", "--grace", "0", *args])


@pytest.mark.sqlite
def test_the_database_and_the_secret_key_are_readable_by_their_owner_only(tmp_path):
    from poster_app import create_app

    data_dir = tmp_path / "fresh"
    app = create_app({"TESTING": True, "POSTER_DATA_DIR": str(data_dir)})
    client = app.test_client()
    assert client.post("/api/banners", json={"text": "Private"}).status_code == 201
    assert mode(data_dir) == 0o700
    for name in ("poster.db", "poster.db-wal", "poster.db-shm", "secret_key"):
        assert mode(data_dir / name) == 0o600, name


@pytest.mark.sqlite
def test_an_older_database_made_readable_by_all_is_narrowed_at_start_up(tmp_path):
    from poster_app import create_app

    data_dir = tmp_path / "old"
    create_app({"TESTING": True, "SECRET_KEY": "t", "POSTER_DATA_DIR": str(data_dir)})
    (data_dir / "poster.db").chmod(0o644)
    create_app({"TESTING": True, "SECRET_KEY": "t", "POSTER_DATA_DIR": str(data_dir)})
    assert mode(data_dir / "poster.db") == 0o600


def test_the_check_is_ok_on_a_healthy_data_dir(demo, runner):
    result = check(runner)
    assert result.exit_code == 0 and "ok:" in result.output


def record_action_with_a_photo(editor_client):
    response = editor_client.post(
        "/actions/new",
        content_type="multipart/form-data",
        data={"title": "Photos", "date": "2020-02", "country": "PG"}
        | {"photos": [(io.BytesIO(jpeg_with_metadata()), "p.jpg")]},
    )
    assert response.status_code == 303


def test_a_damaged_photo_copy_is_found_and_made_again_from_the_database(app, editor_client, runner):
    record_action_with_a_photo(editor_client)
    data_dir = Path(app.config["POSTER_DATA_DIR"])
    photo = next(data_dir.glob("photos/*.jpg"))
    whole = photo.read_bytes()
    photo.write_bytes(whole[: len(whole) // 2])  # this server's copy truncated
    result = check(runner)
    assert result.exit_code == 1
    assert f"damaged file: photos/{photo.name}" in result.output
    # The photo's bytes are kept in the database: the copy goes, and comes back whole.
    result = check(runner, "--fix")
    assert result.exit_code == 0 and "everything is consistent now" in result.output
    assert editor_client.get(f"/photos/{photo.name}").data == whole
    assert photo.read_bytes() == whole


@pytest.mark.parametrize("damage", ["bytes changed", "chunk lost"])
def test_damaged_bytes_stored_in_the_database_are_found(app, editor_client, runner, damage):
    """A stored photo is named by the SHA-256 of its bytes: the check reads them back from the
    database and hashes them, as it does a server's copy; a lost chunk is a wrong length."""
    from poster_app.models import StoredChunk

    record_action_with_a_photo(editor_client)
    assert check(runner).exit_code == 0
    with app.app_context():
        chunk = db.session.scalars(db.select(StoredChunk)).one()
        name = chunk.name
        if damage == "bytes changed":
            chunk.data = bytes(chunk.data[:-1]) + bytes([chunk.data[-1] ^ 1])
        else:
            db.session.delete(chunk)
        db.session.commit()
    result = check(runner)
    assert result.exit_code == 1
    assert f"damaged stored file (in the database): {name}" in result.output
    assert "damaged file:" not in result.output  # this server's copy is whole
    result = check(runner, "--fix")  # only a backup brings the bytes back
    assert result.exit_code == 1 and "restore those from a backup" in result.output


@pytest.mark.parametrize(
    ("file", "damage"),
    [
        ("thumb800.png", lambda data: b"garbage, not a PNG"),
        ("thumb400.png", lambda data: data[: len(data) // 2]),
        ("pdf", lambda data: data[: len(data) // 2]),
        ("72dpi.png", lambda data: data[:-40]),
    ],
)
def test_damaged_rendered_files_are_found_and_made_again(app, client, runner, file, damage):
    made = client.post("/api/banners", json={"text": "Whole again"}).json
    assert client.get(made["pdf_url"]).status_code == 200
    assert client.get(made["png_url"] + "?dpi=72").status_code == 200
    path = Path(app.config["POSTER_DATA_DIR"]) / "banners" / f"{made['id']}.{file}"
    good = path.read_bytes()
    path.write_bytes(damage(good))
    result = check(runner)
    assert result.exit_code == 1 and f"damaged file: banners/{path.name}" in result.output
    result = check(runner, "--fix")
    assert result.exit_code == 0 and "everything is consistent now" in result.output, result.output
    if file.startswith("thumb"):
        assert path.read_bytes() == good  # rendered again, the same
    else:
        assert not path.exists()  # a download: made again on the next request
        url = made["pdf_url"] if file == "pdf" else made["png_url"] + "?dpi=72"
        assert client.get(url).data == good
    assert check(runner).exit_code == 0


@pytest.mark.sqlite
def test_a_database_failing_its_integrity_check_is_reported(demo, runner):
    path = Path(demo.config["POSTER_DATA_DIR"]) / "poster.db"
    with demo.app_context():
        db.engine.dispose()
    # Swap two indexes' pages: the file opens, but the indexes no longer match the rows.
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA writable_schema=ON")
    pages = dict(
        connection.execute(
            "SELECT name, rootpage FROM sqlite_schema WHERE name IN "
            "('ix_banner_lang_gallery', 'ix_banner_gallery')"
        )
    )
    for name, other in (
        ("ix_banner_lang_gallery", "ix_banner_gallery"),
        ("ix_banner_gallery", "ix_banner_lang_gallery"),
    ):
        connection.execute(
            "UPDATE sqlite_schema SET rootpage = ? WHERE name = ?", (pages[other], name)
        )
    connection.commit()
    connection.close()
    result = check(runner)
    assert result.exit_code == 1
    assert "database damaged:" in result.output
    assert "ok:" not in result.output
