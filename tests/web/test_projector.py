"""The projector view: the banner alone on black, as large as the screen, for tracing."""

from __future__ import annotations

import re

from web_helpers import png_size

from poster_app.rendering import SCREEN_WIDTHS


def _banner(client, **spec) -> dict:
    answer = client.post("/api/banners", json={"text": "Free *them* all", **spec})
    assert answer.status_code == 201, answer.json
    return answer.json


def test_the_banner_page_links_the_projector_view(client):
    banner = _banner(client)
    page = client.get(banner["page_url"]).get_data(as_text=True)
    link = re.search(
        r'<a class="button" id="projector-link" href="([^"]+)" type="text/html"', page
    )[1]
    assert link == f"/banners/{banner['id']}/projector"


def test_the_projector_view_is_the_banner_alone_at_screen_sizes(client):
    banner = _banner(client, theme="outline", size="300x100cm", grid="25cm")
    html = client.get(f"/banners/{banner['id']}/projector").get_data(as_text=True)
    assert '<header class="site">' not in html and "<footer" not in html  # the banner only
    assert "<title>Projector view: Free them all" in html
    image = re.search(r'<img class="projector-image"[^>]*>', html, re.S).group(0)
    assert 'alt="Banner with the slogan: Free them all"' in image
    srcset = re.search(r'srcset="([^"]+)"', image).group(1)
    offered = [re.fullmatch(r"(\S+) (\d+)w", part.strip()).groups() for part in srcset.split(",")]
    assert [int(w) for _url, w in offered] == list(SCREEN_WIDTHS)
    # A 3:1 banner takes the whole width of any screen less than three times as wide as tall.
    assert 'sizes="min(100vw, 300.00vh)"' in image
    for url, width in offered:
        with client.get(url) as answer:
            assert answer.status_code == 200 and answer.mimetype == "image/png"
            assert png_size(answer.data) == (int(width), round(int(width) / 3))
            assert "immutable" in answer.headers["Cache-Control"]
    assert client.get(f"/banners/{banner['id']}/screen-1000.png").status_code == 404
    assert client.get("/banners/0123456789abcdef0123/projector").status_code == 404


def test_the_projector_pictures_count_against_the_render_limit(make_app, tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_RENDER="3 per minute")
    client = app.test_client()
    banner = _banner(client)  # 1
    url = f"/banners/{banner['id']}/screen-960.png"
    codes = []
    for _ in range(3):
        with client.get(url) as answer:
            codes.append(answer.status_code)
    assert codes == [200, 200, 429]


def test_the_projector_page_is_a_html_document_from_its_first_byte(client):
    banner = _banner(client)
    assert client.get(f"/banners/{banner['id']}/projector").data.startswith(b"<!doctype html>")
