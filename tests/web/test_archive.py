"""Export → import into an empty data dir reproduces every row and file; seed-demo."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from photo_helpers import jpeg_with_metadata

from poster_app.archive import TABLES, media_files
from poster_app.extensions import db


def fingerprint(app) -> dict:
    """A hash of every row of every table and of every media file the rows point at."""
    data_dir = Path(app.config["POSTER_DATA_DIR"])
    with app.app_context():
        tables = {}
        for model in TABLES:
            table = model.__table__
            rows = db.session.execute(db.select(table).order_by(*table.primary_key.columns)).all()
            tables[table.name] = (
                len(rows),
                hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest(),
            )
        files = {
            name: hashlib.sha256((data_dir / name).read_bytes()).hexdigest()
            for name in media_files(data_dir)
        }
    return {"tables": tables, "files": files}


def test_round_trip_loses_nothing(demo, editor_client, runner, make_app, tmp_path):
    editor_client.post(
        "/actions/new",
        content_type="multipart/form-data",
        data={
            "title": "With a photo",
            "date": "2020-02",
            "place": "Here",
            "country": "PG",
            "description": "",
            "photos": [(io.BytesIO(jpeg_with_metadata()), "p.jpg")],
        },
    )
    before = fingerprint(demo)
    assert before["tables"]["photo"][0] == 1 and before["tables"]["editor"][0] == 1
    assert len(before["files"]) == 6 * 2 + 1  # two thumbnails a banner, one photo

    archive = tmp_path / "backup.zip"
    result = runner.invoke(args=["export", str(archive)])
    assert result.exit_code == 0, result.output
    assert "7 action, 1 photo, 6 banner, 13 files" in result.output

    other = make_app(tmp_path / "elsewhere")
    result = other.test_cli_runner().invoke(args=["import", str(archive)])
    assert result.exit_code == 0, result.output
    assert fingerprint(other) == before
    client = other.test_client()
    assert client.get("/gallery?lang=ru").status_code == 200
    assert (
        client.post(
            "/login", data={"name": "anna", "password": "correct horse battery"}
        ).status_code
        == 303
    )


def test_import_refuses_a_data_dir_with_records(demo, runner, tmp_path):
    archive = tmp_path / "backup.zip"
    runner.invoke(args=["export", str(archive)])
    result = runner.invoke(args=["import", str(archive)])
    assert result.exit_code == 1 and "import into an empty one" in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("drop-json", "no archive.json"),
        ("damage-file", "is damaged"),
        ("unsafe-name", "unsafe file name"),
    ],
)
def test_import_checks_the_archive_first(demo, runner, make_app, tmp_path, change, message):
    good = tmp_path / "good.zip"
    runner.invoke(args=["export", str(good)])
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        manifest = json.loads(src.read("archive.json"))
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "archive.json":
                if change == "drop-json":
                    continue
                if change == "unsafe-name":
                    manifest["files"]["../outside.png"] = "0" * 64
                data = json.dumps(manifest)
            elif change == "damage-file" and info.filename.endswith(".png"):
                data = data[:-1] + b"!"
            dst.writestr(info.filename, data)
    empty = make_app(tmp_path / "empty")
    result = empty.test_cli_runner().invoke(args=["import", str(bad)])
    assert result.exit_code == 1 and message in result.output
    assert fingerprint(empty)["tables"]["banner"][0] == 0
    assert not (tmp_path / "outside.png").exists()


def test_seed_demo_command(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "Recorded 6 demo actions" in result.output
    again = runner.invoke(args=["seed-demo"])
    assert "Recorded 0 demo actions" in again.output
    assert runner.invoke(args=["seed-demo", "--if-empty"]).output == ""
    assert fingerprint(app)["tables"]["banner"][0] == 6
