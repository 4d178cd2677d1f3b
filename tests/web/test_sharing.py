"""Sharing and keeping: JPEG downloads beside the PNGs, the sizes people post (a story of
1080 × 1920 px, a square, a portrait image), the picture the Share button sends, and the
"My banners" page (kept by the browser; the server only says what was just made)."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image

from tests.web_helpers import png_size

FORM = {
    "text": "Свободу анархистам",
    "lang": "ru",
    "size": "a4",
    "style": "fill",
    "family": "sans",
    "colours": "white-on-red",
}


def make(client, **changes) -> str:
    response = client.post("/", data={**FORM, **changes})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"].split("/banners/")[1].split("?")[0]


def test_a_jpeg_beside_each_png(client):
    banner_id = make(client)
    html = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    jpegs = re.findall(r'href="(/banners/[0-9a-f]+\.jpg[^"]*)"', html)
    assert len(jpegs) == len(re.findall(r'href="/banners/[0-9a-f]+\.png[^"]*"', html)) >= 2
    for url in jpegs:
        url = url.replace("&amp;", "&")
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert re.search(r"attachment; filename=.+\.jpg", response.headers["Content-Disposition"])
        with Image.open(io.BytesIO(response.get_data())) as image:
            assert image.format == "JPEG" and image.mode == "RGB"
            assert not image.getexif() and "icc_profile" not in image.info
            png = client.get(url.replace(".jpg", ".png")).get_data()
            assert image.size == png_size(png)
            corner = image.getpixel((2, 2))
            assert abs(corner[0] - 0xC8) < 6 and corner[1] < 25  # the red ground


def test_a_jpeg_is_its_png_download_re_encoded_not_rendered_again(client, monkeypatch):
    """The JPEG is made from the PNG download's file (cached by whichever was asked first):
    one render for both, the same pixels. Posting sizes too."""
    from poster_app import rendering

    banner_id = make(client)
    renders = []
    render_file = rendering.render_file
    monkeypatch.setattr(
        rendering,
        "render_file",
        lambda *args, **kw: renders.append(args) or render_file(*args, **kw),
    )
    jpeg = client.get(f"/banners/{banner_id}.jpg?dpi=150").get_data()  # asked first
    png = client.get(f"/banners/{banner_id}.png?dpi=150").get_data()
    assert len(renders) == 1
    assert jpeg == rendering.to_jpeg(png)
    png = client.get(f"/banners/{banner_id}/post/story.png").get_data()  # asked first
    jpeg = client.get(f"/banners/{banner_id}/post/story.jpg").get_data()
    assert len(renders) == 2
    assert jpeg == rendering.to_jpeg(png)


@pytest.mark.parametrize(
    ("post", "size"),
    [("story", (1080, 1920)), ("square", (1080, 1080)), ("portrait", (1080, 1350))],
)
@pytest.mark.parametrize("ext", ["jpg", "png"])
def test_the_sizes_people_post(client, post, size, ext):
    banner_id = make(client)
    html = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    url = f"/banners/{banner_id}/post/{post}.{ext}"
    assert f'href="{url}"' in html
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == ("image/jpeg" if ext == "jpg" else "image/png")
    assert f"-ru-{post}-1080" in response.headers["Content-Disposition"]
    with Image.open(io.BytesIO(response.get_data())) as image:
        assert image.size == size
        assert image.convert("RGB").getpixel((3, 3))[0] > 180  # the banner's red, not white


def test_a_banner_already_posting_size_is_not_offered_again(client):
    banner_id = make(client, size="story-1080x1920px")
    html = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    assert "/post/story." not in html and "/post/square.jpg" in html
    assert "Story image (1080 × 1920 px)" in html


def test_unknown_posting_sizes_are_not_found(client):
    banner_id = make(client)
    assert client.get(f"/banners/{banner_id}/post/billboard.jpg").status_code == 404
    assert client.get(f"/banners/{banner_id}/post/story.gif").status_code == 404


def test_the_shared_picture_is_the_banner_1080_px_wide(client):
    banner_id = make(client, size="banner-300x100cm")
    html = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    assert f'data-share-url="/banners/{banner_id}/share.png"' in html
    response = client.get(f"/banners/{banner_id}/share.png")
    assert response.mimetype == "image/png" and "immutable" in response.headers["Cache-Control"]
    assert png_size(response.get_data()) == (1080, 360)


def test_my_banners_learns_only_what_was_just_made_here(client):
    banner_id = make(client)
    html = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    mine = json.loads(
        re.search(r'data-mine="([^"]+)"', html)[1].replace("&#34;", '"').replace("&quot;", '"')
    )
    assert mine["id"] == banner_id and mine["text"] == FORM["text"] and mine["kind"] == "banner"
    again = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    assert "data-mine=" not in again  # a visit is not making it


def test_the_my_banners_page_is_a_shell_for_the_browser(client):
    html = client.get("/mine").get_data(as_text=True)
    assert 'id="mine-list"' in html and "needs JavaScript" in html
