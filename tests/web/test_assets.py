"""Slow links: static files under hashed names kept for good, responses compressed, the
phrasebook fetched once (web/assets.py, banners.phrasebook)."""

from __future__ import annotations

import gzip
import os
import re

import brotli
import pytest

from poster_app.web.assets import Assets

STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def static_urls(html: str) -> list[str]:
    return STATIC.findall(html)


@pytest.mark.parametrize("path", ["/", "/gallery"])
def test_pages_are_compressed_and_their_static_files_immutable(client, demo, path):
    response = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    html = brotli.decompress(response.get_data()).decode("utf-8")
    assert len(response.get_data()) < len(html) / 3
    urls = static_urls(html)
    assert {"css", "js", "svg"} <= {url.rsplit(".", 1)[1] for url in urls}
    for url in urls:
        assert re.search(r"\.[0-9a-f]{10}\.\w+$", url), url
        asset = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200
        cache = asset.headers["Cache-Control"]
        assert "immutable" in cache and "max-age=31536000" in cache, (url, cache)
        if url.endswith((".css", ".js")):
            assert asset.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(asset.get_data())


def test_a_hashed_name_changes_with_the_file(tmp_path):
    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "a.css"
    sheet.write_text("body { color: red }")
    assets = Assets(tmp_path)
    first = assets.hashed_name("css/a.css")
    assert re.fullmatch(r"css/a\.[0-9a-f]{10}\.css", first)
    sheet.write_text("body { color: blue }")
    os.utime(sheet, (1, 1))  # a different mtime, as an edit gives
    assert assets.hashed_name("css/a.css") != first
    assert assets.hashed_name("css/missing.css") == "css/missing.css"


def test_stylesheets_point_at_hashed_names(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "ui.woff2").write_bytes(b"wOF2 not really")
    (tmp_path / "css" / "a.css").write_text(
        '@font-face { src: url("../fonts/ui.woff2") format("woff2"); }\n'
        "a { background: url(data:image/png;base64,AAAA) } b { background: url(../nope.png) }"
    )
    assets = Assets(tmp_path)
    font = assets.hashed_name("fonts/ui.woff2")
    css = assets.get("css/a.css")[1].decode()
    assert f"url(../{font})" in css
    assert "url(data:image/png;base64,AAAA)" in css and "url(../nope.png)" in css


def test_plain_and_outdated_names_are_revalidated(client):
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and "no-cache" in plain.headers["Cache-Control"]
    old = client.get("/static/css/app.0123456789.css")
    assert old.status_code == 200 and "immutable" not in old.headers["Cache-Control"]
    assert old.get_data() == plain.get_data()
    again = client.get("/static/css/app.css", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path", ["/static/../poster_app/app.py", "/static/%2e%2e/pyproject.toml", "/static/nope.js"]
)
def test_nothing_outside_the_static_folder(client, path):
    assert client.get(path).status_code == 404


def test_an_editors_pages_are_not_compressed(editor_client):
    """A page with the session's CSRF token and words someone chose (?q=) is sent as it is."""
    page = editor_client.get("/gallery?q=token", headers={"Accept-Encoding": "br"})
    assert page.status_code == 200 and "Content-Encoding" not in page.headers
    html = page.get_data(as_text=True)
    sheet = editor_client.get(static_urls(html)[0], headers={"Accept-Encoding": "br"})
    assert sheet.headers["Content-Encoding"] == "br"  # nothing secret in a stylesheet


def test_the_phrasebook_is_a_file_of_its_own(client):
    html = client.get("/").get_data(as_text=True)
    assert "data-phrases=" not in html and "Нет пыткам" not in html
    url = re.search(r'data-phrases-url="([^"]+)"', html)[1]
    assert re.fullmatch(r"/phrasebook\.[0-9a-f]{10}\.json", url)
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "br"
    assert "Нет пыткам" in brotli.decompress(response.get_data()).decode()
    campaign = client.get("/campaigns/new").get_data(as_text=True)
    assert f'data-phrases-url="{url}"' in campaign
    stale = client.get("/phrasebook.0123456789.json")
    assert stale.status_code == 200 and "no-cache" in stale.headers["Cache-Control"]
