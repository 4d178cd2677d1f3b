"""Faults: a real server (gunicorn, 2 workers) killed with SIGKILL while banners and photos are
being saved loses nothing that a row points at (thumbnails on disk, photos in the database);
`flask check` finds the strays and `--fix` removes them; 30 concurrent saves all succeed
(SQLite in WAL mode with a busy timeout)."""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click.testing
import pytest
from db_helpers import seed_data_dir
from photo_helpers import jpeg_with_metadata

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EDITOR = ("anna", "correct horse battery")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir: Path) -> dict:
    env = {
        **os.environ,
        "POSTER_DATA_DIR": str(data_dir),
        "SECRET_KEY": "faults",
        "RATELIMIT_RENDER": "100000 per minute",
    }
    return env


def flask(data_dir: Path, *args: str, stdin: str = "") -> click.testing.Result:
    """`flask --app poster_app ARGS` on the data dir: the command run by Click's test runner
    on an app built here, as the `flask` command builds it (a new interpreter importing the
    app again cost 1.5 s of CPU a command, four times in the SIGKILL test)."""
    from poster_app import create_app
    from poster_app.extensions import db

    app = create_app({"SECRET_KEY": "faults", "POSTER_DATA_DIR": str(data_dir)})
    try:
        return app.test_cli_runner().invoke(args=list(args), input=stdin, catch_exceptions=False)
    finally:
        with app.app_context():
            db.engine.dispose()


class Server:
    """gunicorn with 2 workers in its own process group, so SIGKILL reaches every process."""

    def __init__(self, data_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-w",
                "2",
                "--threads",
                "4",
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "critical",
                "poster_app:create_app()",
            ],
            cwd=ROOT,
            env=server_env(data_dir),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError("gunicorn did not start")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(20)


def save_banner(url: str, text: str) -> int:
    request = urllib.request.Request(
        url + "/api/banners",
        method="POST",
        data=f'{{"text": "{text}", "lang": "en"}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


class Editor:
    """A browser-like client: cookies, CSRF tokens from the forms, multipart photo uploads."""

    def __init__(self, url: str):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        token = self.token("/login")
        self.post("/login", {"csrf_token": token, "name": EDITOR[0], "password": EDITOR[1]})

    def token(self, path: str) -> str:
        page = self.opener.open(self.url + path, timeout=60).read().decode()
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]

    def post(self, path: str, fields: dict, files: list[tuple[str, bytes]] = ()) -> str:
        """POST the form; return the address it ends on (after redirects), or the error."""
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in fields.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        for filename, data in files:
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            body += data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.url + path,
            data=body,
            method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.geturl()
        except urllib.error.HTTPError as e:
            return str(e.code)

    def record_action(self, i: int, photo: bytes) -> bool:
        """Record an action with one photo; True once it is saved (the form goes to its page)."""
        token = self.token("/actions/new")
        landed = self.post(
            "/actions/new",
            {
                "csrf_token": token,
                "title": f"Action {i}",
                "date": "2024-05-01",
                "place": "Here",
                "country": "",
                "description": "",
            },
            [(f"p{i}.jpg", photo)],
        )
        return re.search(r"/actions/\d+$", landed) is not None


# What a client sees when the server is killed mid-request: a refused or reset connection
# (OSError), or a response cut short (http.client.IncompleteRead, BadStatusLine).
SERVER_GONE = (OSError, http.client.HTTPException)


def rows_and_files(data_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """(banner ids, photo files, rows whose files are missing), read with the app itself."""
    from poster_app import blobs, create_app
    from poster_app.extensions import db
    from poster_app.models import Banner, Photo

    app = create_app({"SECRET_KEY": "faults", "POSTER_DATA_DIR": str(data_dir)})
    missing = []
    with app.app_context():
        banners = list(db.session.scalars(db.select(Banner.id)))
        photos = list(db.session.scalars(db.select(Photo.file)))
        for banner_id in banners:
            for width in (app.config["THUMB_WIDTH"], app.config["GALLERY_THUMB_WIDTH"]):
                if not (data_dir / "banners" / f"{banner_id}.thumb{width}.png").exists():
                    missing.append(f"{banner_id} thumb{width}")
        # A photo's bytes are kept in the database (each server's file is a copy).
        missing += [name for name in photos if not blobs.exists(name)]
        db.engine.dispose()
    return banners, photos, missing


@pytest.mark.slow
def test_sigkill_while_saving_loses_no_file_a_row_points_at(tmp_path, migrated_db):
    data_dir = seed_data_dir(tmp_path / "data", migrated_db)  # migrated, as on PostgreSQL
    assert (
        flask(
            data_dir, "editors", "add", EDITOR[0], "--password-stdin", stdin=EDITOR[1] + "\n"
        ).exit_code
        == 0
    )
    server = Server(data_dir)
    saved = {"banners": 0, "actions": 0}
    stop = threading.Event()

    def banners(worker: int):
        i = 0
        while not stop.is_set():
            try:
                if save_banner(server.url, f"Crash test {worker}-{i}") == 201:
                    saved["banners"] += 1
            except SERVER_GONE:
                return
            i += 1

    # Both editors log in first: the crash is about the writes, not the log-ins (while the
    # two scrypt checks ran under the writers' load, 60-80 banners were saved, not ~17).
    editors = [Editor(server.url) for _ in range(2)]

    def actions(worker: int):
        photo = jpeg_with_metadata(size=(1600, 1200))
        editor = editors[worker]
        try:
            i = 0
            while not stop.is_set():
                if editor.record_action(worker * 1000 + i, photo):
                    saved["actions"] += 1
                i += 1
        except SERVER_GONE:
            return

    threads = [threading.Thread(target=banners, args=(w,)) for w in range(6)]
    threads += [threading.Thread(target=actions, args=(w,)) for w in range(2)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while (saved["banners"] < 10 or saved["actions"] < 2) and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # in the middle of writes: 8 clients are always mid-request
    finally:
        stop.set()
        server.stop() if server.process.poll() is None else None
        for thread in threads:
            thread.join(60)
    assert saved["banners"] >= 10 and saved["actions"] >= 2, saved

    banners_, photos, missing = rows_and_files(data_dir)
    assert len(banners_) >= saved["banners"] and len(photos) >= saved["actions"]
    assert missing == []

    # The crash may have left files without rows (and .tmp files of half-written ones).
    leftover = flask(data_dir, "check", "--grace", "0")
    strays = [line for line in leftover.stdout.splitlines() if line.startswith("stray file")]
    assert leftover.exit_code == (1 if strays else 0), leftover.output
    fixed = flask(data_dir, "check", "--fix", "--grace", "0")
    assert fixed.exit_code == 0, fixed.output
    again = flask(data_dir, "check", "--grace", "0")
    assert again.exit_code == 0 and "ok:" in again.stdout
    assert rows_and_files(data_dir)[2] == []

    # And the server starts again on the same data and keeps saving.
    server = Server(data_dir)
    try:
        assert save_banner(server.url, "After the crash") == 201
    finally:
        server.stop()


def test_check_reports_and_fixes(app, client, runner):
    made = client.post("/api/banners", json={"text": "Check me"}).json
    data_dir = Path(app.config["POSTER_DATA_DIR"])
    assert client.get(made["pdf_url"]).status_code == 200  # a rendered download: kept
    stray = [
        data_dir / "banners" / "0123456789abcdef0123.thumb800.png",
        data_dir / "banners" / f".{made['id']}.thumb400.png.x1y2.tmp",
        data_dir / "photos" / ("ab" * 32 + ".jpg"),
    ]
    for path in stray:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x")
    thumb = data_dir / "banners" / f"{made['id']}.thumb400.png"
    thumb.unlink()  # a cache file pruned (or lost): made again, not an error

    result = runner.invoke(args=["check", "--grace", "0"])
    assert result.exit_code == 1
    for path in stray:
        assert f"stray file (no row points at it): {path.relative_to(data_dir)}" in result.output
    assert "thumbnail" not in result.output

    assert runner.invoke(args=["check"]).output.count("stray file") == 0  # too young to tell

    result = runner.invoke(args=["check", "--fix", "--grace", "0"])
    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in stray)
    assert thumb.exists() and (data_dir / "banners" / f"{made['id']}.pdf").exists()
    assert client.get(made["thumb_url"].replace("thumb", "small")).status_code == 200
    result = runner.invoke(args=["check", "--grace", "0"])
    assert result.exit_code == 0 and "ok:" in result.output


def test_check_finds_stored_files_no_row_uses(app, client, runner):
    """Files kept in the database (stored_file) that no row uses: a photo whose form was never
    sent again, an image no banner shows, a deleted campaign's files, an expired ZIP."""
    import hashlib
    import json
    from datetime import timedelta

    from poster_app import blobs
    from poster_app.extensions import db
    from poster_app.models import Action, Banner, Campaign, Photo, StoredFile, utcnow

    made = client.post("/api/banners", json={"text": "With a picture"}).json
    images = {b"an image": hashlib.sha256(b"an image").hexdigest()}  # named as the app names
    images[b"another image"] = hashlib.sha256(b"another image").hexdigest()  # them (checked)
    image, other_image = images.values()
    contents = {f"images/{name}": data for data, name in images.items()}
    days_ago, hour_ago = utcnow() - timedelta(days=2), utcnow() - timedelta(hours=1)
    with app.app_context():
        action = Action(title="Vigil", year=2026, month=1, day=5, place="Colombo", country="LK")
        db.session.add(action)
        db.session.flush()
        db.session.add(Photo(action_id=action.id, file="photos/aa.jpg", width=1, height=1))
        banner = db.session.get(Banner, made["id"])  # as a banner with an uploaded image
        banner.spec_json = json.dumps({**json.loads(banner.spec_json), "image": image})
        db.session.add(Campaign(id="c" * 20, title="Live", options_json="{}"))
        files = {
            "photos/aa.jpg": (days_ago, None),  # its photo row uses it
            "photos/bb.jpg": (days_ago, None),  # unused for two days
            "photos/cc.jpg": (hour_ago, None),  # a refused form may send it again: kept a day
            f"images/{image}": (days_ago, None),  # a banner shows it
            f"images/{other_image}": (days_ago, None),
            f"campaigns/{'c' * 20}/campaign.zip": (days_ago, utcnow() + timedelta(hours=1)),
            f"campaigns/{'d' * 20}/campaign.zip": (days_ago, None),  # its campaign is gone
            f"campaigns/{'c' * 20}/contact-sheet.pdf": (days_ago, utcnow() - timedelta(1)),
            "notes/kept-by-someone.txt": (days_ago, None),  # a kind unknown to the check
        }
        for name, (created, expires) in files.items():
            data = contents.get(name, b"bytes of " + name.encode())
            blobs.put(name, data, expires_at=expires)
            db.session.execute(
                db.update(StoredFile).where(StoredFile.name == name).values(created_at=created)
            )
        db.session.commit()
    unused = [
        "campaigns/" + "c" * 20 + "/contact-sheet.pdf",
        "campaigns/" + "d" * 20 + "/campaign.zip",
        f"images/{other_image}",
        "photos/bb.jpg",
    ]

    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    found = [line.split(": ", 1)[1] for line in result.output.splitlines() if "no row" in line]
    assert found == unused, result.output
    assert (
        "stored file of an unknown kind (--fix leaves it): notes/kept-by-someone.txt"
        in result.output
    )

    result = runner.invoke(args=["check", "--fix"])
    assert "1 stored file(s) of an unknown kind" in result.output
    with app.app_context():
        left = set(db.session.scalars(db.select(StoredFile.name)))
        assert left == set(files) - set(unused)
        assert blobs.read("photos/cc.jpg") == b"bytes of photos/cc.jpg"  # chunks kept too
        assert not any(blobs.chunks("photos/bb.jpg"))  # and gone with their file
        blobs.remove("notes/kept-by-someone.txt")
        db.session.commit()
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0 and "ok:" in result.output, result.output


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    from poster_app.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite only")
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(db.text("PRAGMA busy_timeout")).scalar() >= 5000


@pytest.mark.slow
def test_30_concurrent_saves_all_succeed(tmp_path, migrated_db):
    server = Server(seed_data_dir(tmp_path / "data", migrated_db))
    try:
        with ThreadPoolExecutor(30) as pool:
            statuses = list(pool.map(lambda i: save_banner(server.url, f"Together {i}"), range(30)))
    finally:
        server.stop()
    assert statuses == [201] * 30
    banners, _photos, missing = rows_and_files(tmp_path / "data")
    assert len(banners) == 30 and missing == []
