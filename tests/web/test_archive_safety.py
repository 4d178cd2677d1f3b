"""A safe import: a crafted archive cannot write or point outside the media folders, overwrite
the secret key, bomb the disk or the memory, or end in a traceback; export skips what is
missing instead of crashing, and writes the archive readable by its owner only."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
import zlib
from pathlib import Path

import pytest
from photo_helpers import jpeg_with_metadata
from test_archive import fingerprint
from web_helpers import EDITOR, password_checked_once

from poster_app.extensions import db
from poster_app.models import Action, Photo

DIGEST = "ab" * 32


@pytest.fixture(scope="module")
def good(tmp_path_factory, demo_db, editor_password_hash) -> Path:
    """An archive made by `export` (made once): the demo, an editor, an action with a photo."""
    from db_helpers import seed_data_dir

    from poster_app import create_app
    from poster_app.models import Editor

    folder = tmp_path_factory.mktemp("good")
    data = seed_data_dir(folder / "data", demo_db)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "WTF_CSRF_ENABLED": False,
            "POSTER_DATA_DIR": str(data),
        }
    )
    with app.app_context():  # anna, her password hashed once per process (conftest)
        db.session.add(Editor(name=EDITOR[0], password_hash=editor_password_hash))
        db.session.commit()
    client = app.test_client()
    with password_checked_once():  # the archive is tested, not the log-in
        client.post("/login", data={"name": EDITOR[0], "password": EDITOR[1]})
    client.post(
        "/actions/new",
        content_type="multipart/form-data",
        data={"title": "With a photo", "date": "2020-02", "country": "PG"}
        | {"photos": [(io.BytesIO(jpeg_with_metadata()), "p.jpg")]},
    )
    path = folder / "good.zip"
    assert app.test_cli_runner().invoke(args=["export", str(path)]).exit_code == 0
    return path


def rewrite(good: Path, out: Path, change) -> Path:
    """A copy of the archive with `change(manifest, members)` applied (both editable)."""
    with zipfile.ZipFile(good) as src:
        manifest = json.loads(src.read("archive.json"))
        members = {n: src.read(n) for n in src.namelist() if n != "archive.json"}
    change(manifest, members)
    with zipfile.ZipFile(out, "w") as dst:
        dst.writestr("archive.json", json.dumps(manifest))
        for name, data in members.items():
            dst.writestr(name, data)
    return out


@pytest.fixture
def import_into(make_app):
    """Import into a fresh data dir; return (result, data dir, app)."""

    def run(tmp_path, archive: Path):
        app = make_app(tmp_path / "fresh")
        data_dir = Path(app.config["POSTER_DATA_DIR"])
        result = app.test_cli_runner().invoke(args=["import", str(archive)])
        return result, data_dir, app

    return run


def assert_refused(result, app, data_dir: Path, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert message in result.output, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    tables = fingerprint(app)["tables"]
    assert all(count == 0 for count, _ in tables.values())
    assert not list(data_dir.glob("photos/*")) and not list(data_dir.glob("banners/*.png"))


def photo_row_file(value: str):
    def change(manifest, members):
        manifest["tables"]["photo"][0]["file"] = value

    return change


OUTSIDE = [
    ("photo row → /etc/hostname", photo_row_file("/etc/hostname"), "unsafe file name"),
    ("photo row → ../../file", photo_row_file("../../outside.jpg"), "unsafe file name"),
    ("photo row → secret_key", photo_row_file("secret_key"), "unsafe file name"),
    (
        "file listed → ../outside.png",
        lambda m, _: m["files"].update({"../outside.png": DIGEST}),
        "unsafe file name in the archive: '../outside.png'",
    ),
    (
        "member media/../secret_key",
        lambda m, members: members.update({"media/../secret_key": b"0" * 64}),
        "unexpected member 'media/../secret_key'",
    ),
    (
        "member secret_key",
        lambda m, members: members.update({"secret_key": b"0" * 64}),
        "unexpected member 'secret_key'",
    ),
    (
        "member media/secret_key",
        lambda m, members: members.update({"media/secret_key": b"0" * 64}),
        "unexpected member 'media/secret_key'",
    ),
    (
        "member /etc/cron.d/x",
        lambda m, members: members.update({"/etc/cron.d/x": b"* * * * * root sh"}),
        "unexpected member '/etc/cron.d/x'",
    ),
    (
        "member media/poster.db",
        lambda m, members: members.update({"media/poster.db": b"SQLite format 3\0"}),
        "unexpected member 'media/poster.db'",
    ),
]


@pytest.mark.parametrize(("name", "change", "message"), OUTSIDE, ids=[c[0] for c in OUTSIDE])
def test_nothing_outside_the_media_folders(good, tmp_path, name, change, message, import_into):
    crafted = rewrite(good, tmp_path / "crafted.zip", change)
    result, data_dir, app = import_into(tmp_path, crafted)
    assert_refused(result, app, data_dir, message)
    assert not (tmp_path / "outside.png").exists() and not (tmp_path / "outside.jpg").exists()
    assert not (data_dir / "secret_key").exists()  # the app was given its key: none is written


def test_the_secret_key_is_never_written(good, tmp_path):
    from poster_app import create_app

    data_dir = tmp_path / "fresh"
    app = create_app({"TESTING": True, "POSTER_DATA_DIR": str(data_dir)})  # makes its key
    key = (data_dir / "secret_key").read_bytes()
    assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600
    for member in ("secret_key", "media/secret_key", "media/../secret_key", "../secret_key"):
        crafted = rewrite(
            good,
            tmp_path / "k.zip",
            lambda m, members, name=member: members.update({name: b"f" * 64}),
        )
        result = app.test_cli_runner().invoke(args=["import", str(crafted)])
        assert result.exit_code == 1 and "unexpected member" in result.output
        assert (data_dir / "secret_key").read_bytes() == key


def bomb(path: Path, name: str, size: int) -> Path:
    """A small zip whose one member unpacks to `size` bytes of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive.json", json.dumps({"format": 1, "tables": {}, "files": {}}))
        with z.open(name, "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            member._compressor = RepeatedChunk(chunk)
            for _ in range(size >> 20):
                member.write(chunk)
    return path


class RepeatedChunk:
    """A deflate compressor for one chunk written again and again: the chunk compressed once
    with a full flush (which empties the window, so every copy compresses to the same bytes)
    stands for each copy, and an empty final block ends the stream. zipfile still counts the
    sizes and the CRC of every byte written; the member inflates to the same zeros as one
    compressed whole, without deflating a gigabyte (3.3 s of CPU)."""

    def __init__(self, chunk: bytes):
        self.chunk = chunk
        deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.packed = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
        self.end = deflate.flush()

    def compress(self, data: bytes) -> bytes:
        assert data == self.chunk
        return self.packed

    def flush(self) -> bytes:
        return self.end


def test_a_zip_bomb_is_refused_from_its_declared_size(tmp_path, import_into):
    crafted = bomb(tmp_path / "bomb.zip", f"media/photos/{DIGEST}.jpg", 1 << 30)
    assert crafted.stat().st_size < 2_000_000  # 1 GiB in about 1 MB
    result, data_dir, app = import_into(tmp_path, crafted)
    assert_refused(result, app, data_dir, "is 1073741824 bytes; at most 25000000")


def test_a_huge_archive_json_is_refused_unread(tmp_path, import_into):
    path = tmp_path / "json-bomb.zip"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("archive.json", "w", force_zip64=True) as member,
    ):
        member.write(b'{"format": 1, "tables": {}, "files": {}}')
        for _ in range(210):
            member.write(b" " * (1 << 20))
    assert path.stat().st_size < 1_000_000
    result, data_dir, app = import_into(tmp_path, path)
    assert_refused(result, app, data_dir, "archive.json is larger than 200000000 bytes")


def test_fifty_thousand_members_are_refused(tmp_path, import_into):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive.json", json.dumps({"format": 1, "tables": {}, "files": {}}))
        for n in range(50_000):
            z.writestr(f"media/banners/{n:020x}.thumb400.png", b"")
    result, data_dir, app = import_into(tmp_path, path)
    assert_refused(result, app, data_dir, "in the archive or in archive.json, not in both")


def test_the_member_count_has_a_limit(tmp_path, make_app):
    from poster_app.archive import ArchiveError, Limits, import_zip

    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive.json", "{}")
        for n in range(101):
            z.writestr(f"media/banners/{n:020x}.thumb400.png", b"")
    app = make_app(tmp_path / "fresh")
    with app.app_context(), pytest.raises(ArchiveError, match="102 members; at most 100"):
        import_zip(path, Path(app.config["POSTER_DATA_DIR"]), Limits(members=100))


def set_in(*keys_and_value):
    *keys, value = keys_and_value

    def change(manifest, members):
        target = manifest
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


MALFORMED = [
    ("not JSON", lambda m, _: m.clear() or m.update({"x": float("nan")}), None),
    ("format 2", set_in("format", 2), "unknown archive format 2"),
    ("tables a list", set_in("tables", []), "needs its 'tables' and 'files'"),
    ("unknown table", set_in("tables", "login", []), "unknown table 'login'"),
    ("rows not a list", set_in("tables", "action", {}), "is not a list of rows"),
    ("row not an object", set_in("tables", "action", [1]), "is not a JSON object"),
    ("unknown column", set_in("tables", "action", 0, "evil", 1), "has no column 'evil'"),
    ("text id", set_in("tables", "action", 0, "id", "1; DROP TABLE"), "is not a INTEGER"),
    ("huge id", set_in("tables", "action", 0, "id", 10**30), "is not a INTEGER"),
    ("bool year", set_in("tables", "action", 0, "year", True), "is not a INTEGER"),
    ("bad date", set_in("tables", "action", 0, "created_at", "yesterday"), "is not a date"),
    ("NUL title", set_in("tables", "action", 0, "title", "a\x00b"), "has a NUL"),
    ("long title", set_in("tables", "action", 0, "title", "x" * 201), "too long"),
    ("banner id", set_in("tables", "banner", 0, "id", "../../x"), "is not one this app makes"),
    ("banner spec", set_in("tables", "banner", 0, "spec_json", "[]"), "not a JSON object"),
    ("editor hash", set_in("tables", "editor", 0, "password_hash", "md5$x"), "not a password"),
    ("dangling action", set_in("tables", "photo", 0, "action_id", 999), "can't be stored here"),
    ("damaged photo", None, "is damaged"),
    ("file hash not a string", None, "is damaged"),
]


@pytest.mark.parametrize(("name", "change", "message"), MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_archives_get_a_message_not_a_traceback(
    good, tmp_path, name, change, message, import_into
):
    if name == "not JSON":
        crafted = tmp_path / "c.zip"
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(crafted, "w") as dst:
            for info in src.infolist():
                data = b"{not json" if info.filename == "archive.json" else src.read(info)
                dst.writestr(info.filename, data)
        message = "archive.json is not valid JSON"
    elif name == "damaged photo":

        def change(manifest, members):
            photo = next(n for n in members if n.startswith("media/photos/"))
            members[photo] = members[photo][:-10] + b"0123456789"

        crafted = rewrite(good, tmp_path / "c.zip", change)
    elif name == "file hash not a string":
        crafted = rewrite(
            good, tmp_path / "c.zip", lambda m, _: m["files"].update(dict.fromkeys(m["files"], 1))
        )
    else:
        crafted = rewrite(good, tmp_path / "c.zip", change)
    result, data_dir, app = import_into(tmp_path, crafted)
    assert_refused(result, app, data_dir, message)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a zip at all", "not a readable zip archive"), (None, "not a readable zip archive")],
)
def test_what_is_not_a_zip_gets_a_message(good, tmp_path, content, message, import_into):
    path = tmp_path / "bad.zip"
    path.write_bytes(content if content is not None else good.read_bytes()[:-200])  # truncated
    result, data_dir, app = import_into(tmp_path, path)
    assert_refused(result, app, data_dir, message)


def test_a_photo_row_can_never_lead_outside(demo, tmp_path):
    """Even a row that got in some other way: deleting its action deletes nothing outside."""
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(b"precious")
    with demo.app_context():
        action = db.session.scalars(db.select(Action)).first()
        db.session.add(Photo(action_id=action.id, file="../../outside.jpg", width=1, height=1))
        db.session.commit()
        action_id = action.id
    from poster_app.storage import photo_store

    with demo.test_request_context(), pytest.raises(ValueError):
        photo_store().path("../../outside.jpg")
    with demo.app_context():
        db.session.delete(db.session.get(Action, action_id))
        db.session.commit()
        photo_store().forget("../../outside.jpg")
    assert outside.read_bytes() == b"precious"


def test_export_skips_a_missing_photo_and_the_archive_still_imports(
    good, tmp_path, import_into, make_app
):
    app = make_app(tmp_path / "restored")
    data_dir = Path(app.config["POSTER_DATA_DIR"])
    assert app.test_cli_runner().invoke(args=["import", str(good)]).exit_code == 0
    photo = next(data_dir.glob("photos/*"))
    photo.unlink()  # this server's copy: the bytes are kept in the database, lost here too
    with app.app_context():
        from poster_app import blobs
        from poster_app.extensions import db

        blobs.remove(f"photos/{photo.name}")
        db.session.commit()
    archive = tmp_path / "after-loss.zip"
    result = app.test_cli_runner().invoke(args=["export", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"left out (missing or misnamed): photos/{photo.name}" in result.output
    assert "0 photo" in result.output
    imported, fresh, app = import_into(tmp_path, archive)
    assert imported.exit_code == 0, imported.output


def test_the_export_is_readable_by_its_owner_only(good):
    assert stat.S_IMODE(os.stat(good).st_mode) == 0o600


def test_a_good_archive_still_imports(good, tmp_path, import_into):
    result, data_dir, app = import_into(tmp_path, good)
    assert result.exit_code == 0, result.output
    names = {p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*.jpg")}
    with zipfile.ZipFile(good) as z:
        manifest = json.loads(z.read("archive.json"))
    assert names == {n for n in manifest["files"] if n.endswith(".jpg")}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((data_dir / name).read_bytes()).hexdigest() == digest
