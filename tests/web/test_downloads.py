"""The banner page offers only downloads that work, each saying what it gives."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest

from poster_app.rendering import PRINT_VERSION

# These tests are about the files the banner page offers, not how they are drawn: each test's
# new app remakes the same banners, which the engine makes once per process here.
pytestmark = pytest.mark.usefixtures("engine_work_remembered")

ANCHOR = re.compile(r"<a ([^>]*)>", re.S)
END_OF_ITEM = re.compile(r"</(?:li|p)>")
TAG = re.compile(r"<[^>]+>")
SIZES = ["a4", "a3", "a0", "banner-300x100cm", "200x70cm", "square-1080px", "letter"]
MAGIC = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
    "text/html": b"<!doctype html",  # a page of the banner's own (the projector view)
}


def offered(client, banner_id: str) -> list[tuple[str, str, str]]:
    """The banner page's links to its own files: (href, the type it claims, the words of its
    list item or paragraph: what it gives)."""
    html = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    links = []
    for anchor in ANCHOR.finditer(html):
        attributes = anchor[1]
        href = re.search(r'href="([^"]*)"', attributes)[1].replace("&amp;", "&")
        if not re.match(rf"/banners/{banner_id}[./?]", href):
            continue
        # No `download` attribute: a failure would show as a silently cancelled file.
        assert not re.search(r"(^|\s)download(\s|=|$)", attributes), attributes
        claimed = re.search(r'type="([^"]*)"', attributes)
        start = max(html.rfind("<li", 0, anchor.start()), html.rfind("<p", 0, anchor.start()))
        end = END_OF_ITEM.search(html, anchor.end())
        words = " ".join(TAG.sub(" ", html[start : end.start()]).split())
        links.append((href, claimed[1] if claimed else "", words))
    return links


def make(client, size: str) -> str:
    response = client.post("/api/banners", json={"text": "Free them all", "size": size})
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.mark.parametrize("size", SIZES)
def test_every_offered_download_answers_with_what_it_claims(client, size):
    banner_id = make(client, size)
    links = offered(client, banner_id)
    assert links
    bodies = {}
    for href, claimed, words in links:
        response = client.get(href)
        assert response.status_code == 200, (href, response.get_data(as_text=True)[:200])
        assert response.mimetype == claimed, href
        body = response.get_data()
        assert body.startswith(MAGIC[claimed]), href
        if claimed == "image/png":  # the words say its size in pixels
            width, height = struct.unpack(">II", body[16:24])  # the IHDR chunk
            assert f"{width} × {height} px" in words, (href, words)
        bodies.setdefault(body, []).append(href)
    twice = [hrefs for hrefs in bodies.values() if len(hrefs) > 1]
    assert not twice, f"the same file offered under two names: {twice}"


def test_a_cloth_banner_offers_no_png_over_the_pixel_cap_and_says_why(client):
    banner_id = make(client, "banner-300x100cm")
    hrefs = [href for href, _t, _w in offered(client, banner_id)]
    assert f"/banners/{banner_id}.png?dpi=300" not in hrefs  # 35433 × 11811 px: over the cap
    assert f"/banners/{banner_id}.png?dpi=600" not in hrefs
    assert f"/banners/{banner_id}.png?dpi=150" not in hrefs  # the same file as .png
    html = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    assert "use the PDF" in html


@pytest.mark.parametrize(
    ("size", "sheets"),
    [("a4", None), ("a5", None), ("letter", None), ("a3", 4), ("a0", 25), ("banner-300x100cm", 72)],
)
def test_tiling_is_offered_for_pages_larger_than_a_sheet_with_its_sheet_count(
    client, tmp_path, size, sheets
):
    banner_id = make(client, size)
    tiled = [(href, w) for href, _t, w in offered(client, banner_id) if "tile=a4" in href]
    if sheets is None:
        assert tiled == []
        return
    [(href, words)] = tiled
    assert f"on {sheets} A4 sheets" in words
    (tmp_path / "t.pdf").write_bytes(client.get(href).get_data())
    info = subprocess.run(["pdfinfo", str(tmp_path / "t.pdf")], capture_output=True, text=True)
    assert re.search(r"Pages:\s+(\d+)", info.stdout)[1] == str(sheets + 1)  # the map, then sheets


def test_png_sizes_are_estimated_within_a_factor_of_two(client):
    for size in ("a4", "a0", "banner-300x100cm"):
        banner_id = make(client, size)
        for href, claimed, words in offered(client, banner_id):
            if claimed != "image/png" or "/post/" in href:  # images to post say no size
                continue
            estimate = float(re.search(r"about ([\d.,]+) MB", words)[1].replace(",", ""))
            actual = len(client.get(href).get_data()) / 1e6
            assert max(actual, 0.1) / 2 <= estimate <= max(actual, 0.1) * 2, (href, words, actual)


def test_screen_images_offer_no_print_extras_and_one_png_at_their_size(client):
    banner_id = make(client, "square-1080px")
    links = [
        (href, words) for href, _t, words in offered(client, banner_id) if "/post/" not in href
    ]
    pdfs = [href for href, _w in links if ".pdf" in href]
    pngs = [(href, words) for href, words in links if ".png" in href]
    assert pdfs == [f"/banners/{banner_id}.pdf"]  # no tiling, no print shop, no hem
    [(href, words)] = pngs
    assert href == f"/banners/{banner_id}.png" and "1080 × 1080 px" in words


def test_a_print_variant_cached_before_a_fix_of_the_print_extras_is_made_again(app, client):
    """The tiled and print-shop PDFs change without the layout changing (the assembly map was
    cut off): a variant file cached under its old name must not be served again."""
    banner_id = make(client, "a0")
    stale = Path(app.config["POSTER_DATA_DIR"], "banners", f"{banner_id}.tiled-a4.pdf")
    stale.write_bytes(b"%PDF-1.3 the old map, cut off")
    response = client.get(f"/banners/{banner_id}.pdf?tile=a4")
    assert response.status_code == 200 and b"the old map" not in response.get_data()
    assert response.headers["ETag"].strip('"') == f"{banner_id}-tiled-a4-v{PRINT_VERSION}"
