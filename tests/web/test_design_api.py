"""The design options (issue 13) through POST /api/banners: theme, accent, qr, qr_caption and
grid are taken as JSON keys, drawn on the files, and bad values answer 422 naming the field."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from web_helpers import pdf_text

QR_URL = "https://example.org/free-them"


def _rgb(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _share(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 40) -> float:
    """The part of the picture within `tolerance` of a colour, 0 to 1."""
    small = image.resize((200, round(200 * image.height / image.width)))
    pixels = list(small.get_flattened_data())
    near = sum(
        1 for p in pixels if all(abs(a - b) <= tolerance for a, b in zip(p, colour, strict=True))
    )
    return near / len(pixels)


def test_a_themed_banner_with_emphasis_and_a_qr_code(client):
    spec = {
        "text": "Free *them* all",
        "lang": "en",
        "theme": "bars",
        "accent": "#ffd400",
        "qr": QR_URL,
        "qr_caption": "example.org",
    }
    answer = client.post("/api/banners", json=spec)
    assert answer.status_code == 201, answer.json
    banner = answer.json

    png = _rgb(client.get(banner["png_url"]).data)
    assert _share(png, (0, 0, 0)) > 0.15  # the bars: ink under every line
    assert _share(png, (255, 212, 0)) > 0.005  # "them" in the accent colour
    zxingcpp = pytest.importorskip("zxingcpp")
    assert [r.text for r in zxingcpp.read_barcodes(png)] == [QR_URL]

    words = pdf_text(client.get(banner["pdf_url"]).data)
    assert "them" in words and "*" not in words

    # The thumbnails are made from the same layout: the theme is on them too.
    for url in (banner["thumb_url"], banner["thumb_url"].replace("thumb.png", "small.png")):
        thumb = _rgb(client.get(url).data)
        assert _share(thumb, (0, 0, 0)) > 0.15, url

    # The spec reads back with every design key (kept in the gallery first).
    row = client.get(banner["page_url"])
    assert row.status_code == 200


def test_the_design_keys_are_kept_in_the_spec(app, client):
    from poster_app.storage import banner_store

    spec = {"text": "Paint me", "theme": "outline", "grid": "25cm", "size": "300x100cm"}
    answer = client.post("/api/banners", json=spec)
    assert answer.status_code == 201, answer.json
    with app.app_context():
        stored = banner_store().get(answer.json["id"]).spec
    assert (stored.theme, stored.grid) == ("outline", 250.0)
    assert stored.fg == "#000000" and stored.accent  # the theme's palette, made concrete
    pdf = client.get(answer.json["pdf_url"]).data
    assert b"Painting grid" in pdf  # the grid's optional layer


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"theme": "psychedelic"}, "theme", "psychedelic"),
        ({"qr": "https://example.org/" + "ж" * 100}, "qr", "too long to be read"),  # capacity
        ({"qr": "x" * 201}, "qr", "200"),
        ({"text": "Free *them all"}, "text", "*"),
        ({"signature": "Group *A"}, "signature", "*"),
        ({"qr_caption": "scan me"}, "qr_caption", "QR"),
        ({"accent": "blurple"}, "accent", "blurple"),
        ({"grid": "5mm"}, "grid", "grid"),
        ({"grid": "ten cm"}, "grid", "ten cm"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_design_values_name_the_field_and_store_nothing(app, client, changes, field, words):
    from poster_app.models import Banner

    answer = client.post("/api/banners", json={"text": "Free them all", **changes})
    assert answer.status_code == 422, answer.json
    assert answer.json["field"] == field
    assert words.lower() in answer.json["error"].lower()
    with app.app_context():
        from poster_app.extensions import db

        assert db.session.query(Banner).count() == 0


def test_slogans_are_shown_without_their_marks(app, client):
    """Pages, titles, alt texts and the feed show the words, never the `*` that colours them."""
    from poster_app.extensions import db
    from poster_app.layout import Spec
    from poster_app.storage import save_banner

    with app.test_request_context():
        spec = Spec.from_options({"text": "Free *them* all\nnow", "signature": "Group *A*"})
        banner = save_banner(spec)
        banner.published = True
        db.session.commit()
        banner_id = banner.id

    page = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    assert "<title>Free them all" in page
    assert 'alt="Banner with the slogan: Free them all' in page
    assert 'content="Free them all · now"' in page  # og:description
    assert ">Group A</p>" in page
    # The gallery's search finds the words as the banner shows them.
    assert banner_id in client.get("/gallery?q=them+all").get_data(as_text=True)
    for where in ("/gallery", "/gallery.atom", f"/banners/{banner_id}"):
        text = client.get(where).get_data(as_text=True)
        assert "Free them all" in text, where
        assert "*them*" not in text and "Group *A*" not in text, where
