"""App servers that share only the database: any data dir serves every banner (made again
from the spec) and every photo (kept in the database); one SECRET_KEY for all, never two;
migrations under a lock every server honours."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from photo_helpers import jpeg_with_metadata

from poster_app import create_app
from tests.web_helpers import BufferedClient

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_servers(tmp_path):
    """Two apps on separate data dirs sharing one database (PostgreSQL when the suite runs on
    it; else a SQLite file outside both data dirs stands in for the server)."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'shared.db'}"
    apps = [
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "shared",
                "WTF_CSRF_ENABLED": False,
                "POSTER_DATA_DIR": str(tmp_path / name),
                "SQLALCHEMY_DATABASE_URI": url,
            }
        )
        for name in ("a", "b")
    ]
    for app in apps:
        app.test_client_class = BufferedClient
    return [app.test_client() for app in apps]


def test_a_banner_made_on_one_server_downloads_from_another(two_servers, tmp_path):
    a, b = two_servers
    made = a.post("/api/banners", json={"text": "Shared nothing", "lang": "en"}).json
    files = {url: a.get(made[url]).data for url in ("png_url", "pdf_url")}
    assert not list((tmp_path / "b" / "banners").iterdir())  # B has no file of it
    for url, data in files.items():
        response = b.get(made[url])
        assert response.status_code == 200 and response.data == data  # made again, identical
    assert b.get(made["thumb_url"]).data == a.get(made["thumb_url"]).data
    assert b.get(made["page_url"]).status_code == 200


def test_a_photo_uploaded_on_one_server_shows_on_another(two_servers):
    a, b = two_servers
    from poster_app.extensions import db
    from poster_app.models import Editor

    with a.application.app_context():
        person = Editor(name="ivan")
        person.set_password("correct horse battery")
        db.session.add(person)
        db.session.commit()
    login = a.post("/login", data={"name": "ivan", "password": "correct horse battery"})
    assert login.status_code == 303
    response = a.post(
        "/actions/new",
        data={
            "title": "Vigil",
            "date": "2026-03-08",
            "place": "Port Moresby",
            "country": "PG",
            "description": "",
            "photos": [(io.BytesIO(jpeg_with_metadata()), "vigil.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[-500:]
    page = b.get(response.headers["Location"]).get_data(as_text=True)
    url = re.search(r'src="(/photos/[0-9a-f]{64}\.jpg)"', page)[1]
    photo = b.get(url)
    assert photo.status_code == 200 and photo.data == a.get(url).data
    assert photo.data.startswith(b"\xff\xd8")


def test_with_a_database_server_and_no_secret_key_the_app_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("POSTER_DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit, match="Set SECRET_KEY"):
        create_app()
    assert not (tmp_path / "secret_key").exists()


def test_processes_starting_together_agree_on_the_generated_secret_key(tmp_path):
    """20 trials of 4 processes starting at once on an empty data dir: one key each time.
    The processes are forks of this one, let go together by one pipe's end (new interpreters
    importing the config cost 0.06 s of CPU each, 80 in all, and started a few ms apart)."""
    from poster_app.config import _stored_secret

    for trial in range(20):
        folder = tmp_path / f"trial{trial}"
        folder.mkdir()
        start_read, start_write = os.pipe()
        children = []
        for _ in range(4):
            key_read, key_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # wait for the start, then make or read the key and say it
                status = 1
                try:
                    os.close(start_write)
                    os.read(start_read, 1)  # returns when the parent closes its end
                    os.write(key_write, _stored_secret(folder / "secret_key").encode())
                    status = 0
                finally:
                    os._exit(status)
            os.close(key_write)
            children.append((pid, key_read))
        os.close(start_read)
        os.close(start_write)  # all four go
        keys = set()
        for pid, key_read in children:
            with os.fdopen(key_read) as key:
                keys.add(key.read().strip())
            assert os.waitpid(pid, 0)[1] == 0, f"trial {trial}"
        assert len(keys) == 1 and len(keys.pop()) == 64, f"trial {trial}"
        assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no temporary file left
        assert (folder / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="the advisory lock is PostgreSQL's (make test-postgres)",
)
def test_servers_migrating_one_empty_database_together_all_succeed(tmp_path):
    """Four `flask db upgrade` at once on an empty PostgreSQL database: without the advisory
    lock the second dies on CREATE TABLE alembic_version."""
    env = {**os.environ, "SECRET_KEY": "race"}

    def upgrade(n: int) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(Path(sys.executable).parent / "flask"), "--app", "poster_app", "db", "upgrade"],
            cwd=ROOT,
            env={**env, "POSTER_DATA_DIR": str(tmp_path / f"server{n}")},
            capture_output=True,
            text=True,
            timeout=180,
        )

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(upgrade, range(4)))
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]


def test_the_start_up_check_knows_the_heads_and_the_database_revision_as_alembic_does(app):
    """database.at_head reads Alembic's version table and the migration files itself (a start
    imports no Alembic): the same heads as Alembic's ScriptDirectory, and a database at an
    older revision, or with no version table, is not at head."""
    from alembic.script import ScriptDirectory

    from poster_app import database
    from poster_app.extensions import db

    assert database.heads() == set(ScriptDirectory(str(database.MIGRATIONS)).get_heads())
    with app.app_context():
        assert database.at_head()
        with db.engine.begin() as connection:
            connection.execute(db.text("UPDATE alembic_version SET version_num = '0004'"))
        assert not database.at_head()
        with db.engine.begin() as connection:
            connection.execute(db.text("DROP TABLE alembic_version"))
        assert not database.at_head()


START = """
import sys
from poster_app import create_app
from poster_app.app import warm
from poster_app.extensions import db

def unconfigured():
    return sum(not mapper.configured for mapper in db.Model.registry.mappers)

app = create_app()
print(unconfigured())
warm(app)  # as gunicorn's master does before forking its workers
print(unconfigured())
print(sorted(name for name in sys.modules if name.startswith(("alembic", "flask_migrate"))))
print(app.test_cli_runner().invoke(args=["db", "current"]).output.strip().splitlines()[-1])
"""


def test_a_server_starting_on_a_database_at_head_imports_no_alembic(migrated_db, tmp_path):
    """Alembic's import was a sixth of a start's CPU (a gunicorn master, `flask worker`, every
    `flask` command): at head it is not imported, and `flask db …` loads it when run. The
    master's warm-up configures the models' mappers, which each new worker did at its first
    query (25 ms a fork)."""
    from db_helpers import seed_data_dir

    data = seed_data_dir(tmp_path / "data", migrated_db)
    started = subprocess.run(
        [sys.executable, "-c", START],
        cwd=ROOT,
        env={**os.environ, "POSTER_DATA_DIR": str(data), "SECRET_KEY": "start"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr[-2000:]
    before_warm, after_warm, imported, current = started.stdout.splitlines()
    assert int(before_warm) > 0 and int(after_warm) == 0
    assert imported == "[]"
    assert current.endswith("(head)"), started.stdout
