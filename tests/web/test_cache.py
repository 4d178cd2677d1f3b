"""Rendered files are a cache with a quota: least recently used pruned past it, made again
from the spec on a miss; a full disk answers 507 and leaves nothing behind."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from poster_app.cache import DiskCache
from poster_app.extensions import db
from poster_app.models import Banner, Campaign


def test_past_the_quota_the_least_recently_used_files_go(tmp_path):
    cache = DiskCache(tmp_path / "c", max_bytes=10_000, grace=0)
    for i in range(8):
        cache.put(f"f{i}", b"x" * 1000)
        os.utime(cache.path(f"f{i}"), (1000 + i, 1000 + i))  # f0 oldest
    os.utime(cache.path("f1"), (5000, 5000))  # f1 used recently
    cache.put("big", b"y" * 3000)  # 11,000 bytes: over the quota
    left = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert cache.size() <= 8_000  # pruned to 80 % of the quota
    assert "f0" not in left and "f2" not in left and "f3" not in left
    assert {"f1", "big", "f7"} <= set(left)


def test_a_hit_refreshes_the_files_time(tmp_path):
    cache = DiskCache(tmp_path / "c", max_bytes=10_000)
    path = cache.put("f", b"x")
    os.utime(path, (1000, 1000))
    assert cache.get("f") == path and path.stat().st_mtime > time.time() - 60
    assert cache.get("nothing") is None


def test_young_files_are_never_pruned(tmp_path):
    cache = DiskCache(tmp_path / "c", max_bytes=1000, grace=60)
    cache.put("a", b"x" * 900)
    cache.put("b", b"x" * 900)  # over the quota, but both may be on their way to a client
    assert cache.path("a").exists() and cache.path("b").exists()


def test_downloads_and_thumbnails_are_made_again_after_pruning(app, client):
    made = client.post("/api/banners", json={"text": "Pruned", "lang": "en"}).json
    first_pdf = client.get(made["pdf_url"]).data
    first_thumb = client.get(made["thumb_url"]).data
    folder = Path(app.config["POSTER_DATA_DIR"], "banners")
    for path in folder.iterdir():
        path.unlink()  # as if pruned
    assert client.get(made["pdf_url"]).data == first_pdf  # deterministic: the same bytes
    assert client.get(made["thumb_url"]).data == first_thumb
    assert client.get(made["thumb_url"].replace("thumb", "small")).status_code == 200
    assert client.get("/banners/0123456789abcdef0123/thumb.png").status_code == 404


def test_the_quota_is_a_setting(tmp_path, monkeypatch):
    from poster_app import create_app

    monkeypatch.setenv("POSTER_CACHE_MAX_MB", "1")
    app = create_app({"SECRET_KEY": "t", "POSTER_DATA_DIR": str(tmp_path / "d")})
    client = app.test_client()
    for i in range(6):  # each A4 PNG is ~100 kB, its thumbnails ~60 kB, its PDF ~20 kB
        made = client.post("/api/banners", json={"text": f"Quota {i}", "lang": "en"}).json
        assert client.get(made["png_url"], buffered=True).status_code == 200
    folder = Path(app.config["POSTER_DATA_DIR"], "banners")
    assert sum(p.stat().st_size for p in folder.iterdir()) < 1_000_000 * 1.1


# --- A full disk


@pytest.fixture
def small_disk(tmp_path):
    """A 6 MB tmpfs for the data dir (root only: CI runs as root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    """Take every free byte of the disk."""
    with open(disk / "filler", "wb", buffering=0) as f:
        for size in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError:
                pass


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "filler" not in p.name}


@pytest.mark.sqlite
def test_a_full_disk_answers_507_and_leaves_nothing_behind(small_disk):
    from poster_app import create_app

    app = create_app(
        {"SECRET_KEY": "t", "POSTER_DATA_DIR": str(small_disk / "data"), "TESTING": True}
    )
    client = app.test_client()
    before_banner = client.post("/api/banners", json={"text": "Before", "lang": "en"})
    assert before_banner.status_code == 201
    fill(small_disk)
    before = files_in(small_disk)

    response = client.post("/api/banners", json={"text": "No room", "lang": "en"})
    assert response.status_code == 507 and response.is_json
    assert (
        "disk is full" in response.json["error"] and "nothing was saved" in response.json["error"]
    )
    page = client.post(
        "/",
        data={"text": "No room", "lang": "en", "size": "a4", "style": "fill", "family": "sans"}
        | {"colours": "black-on-white", "csrf_token": _token(client)},
    )
    assert page.status_code == 507 and "disk is full" in page.get_data(as_text=True)
    campaign = client.post(
        "/api/campaigns", json={"texts": {"en": "No room"}, "sizes": ["a4", "a5"]}
    )
    assert campaign.status_code == 507
    assert files_in(small_disk) == before  # no file, no folder, no temporary file
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Banner.id))) == 1
        assert db.session.scalar(db.select(db.func.count(Campaign.id))) == 0
    # Room again: everything works.
    (small_disk / "filler").unlink()
    assert client.post("/api/banners", json={"text": "Room", "lang": "en"}).status_code == 201


def _token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
