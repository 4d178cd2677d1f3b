"""The JSON API: POST /api/banners and the reads, with every error answered as JSON."""

from __future__ import annotations

import json

import pytest
from web_helpers import has_words, png_size

from poster_app.layout import ENGINE_VERSION, Spec

BANNERS = [
    # (spec, expected PNG size at the page's print DPI)
    ({"text": "Свободу анархистам", "lang": "ru", "size": "a4"}, (2480, 3508)),
    (
        {"text": "الحرية للجميع", "lang": "ar", "size": "a3", "orientation": "landscape"},
        (4961, 3508),
    ),
    ({"text": "人人享有自由", "lang": "zh", "size": "1080x1080px"}, (1080, 1080)),
]


@pytest.mark.parametrize(
    ("options", "png_px"), BANNERS, ids=lambda v: v.get("lang") if isinstance(v, dict) else None
)
def test_create_banner_then_fetch_its_urls(client, options, png_px):
    response = client.post("/api/banners", json=options)
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) == {"id", "page_url", "png_url", "pdf_url", "thumb_url"}
    assert len(body["id"]) == 20 and body["id"] != Spec.from_options(options).key(ENGINE_VERSION)
    assert response.headers["Location"] == body["page_url"]

    page = client.get(body["page_url"])
    assert page.status_code == 200
    assert options["text"] in page.get_data(as_text=True)

    png = client.get(body["png_url"])
    assert png.status_code == 200 and png.mimetype == "image/png"
    width, height = png_size(png.data)
    assert abs(width - png_px[0]) <= 1 and abs(height - png_px[1]) <= 1

    pdf = client.get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert has_words(pdf.data, options["text"])

    thumb = client.get(body["thumb_url"])
    assert thumb.status_code == 200 and png_size(thumb.data)[0] == 800


def test_same_spec_same_id(client):
    first = client.post("/api/banners", json={"text": "One", "lang": "en"}).json
    again = client.post("/api/banners", json={"lang": "en", "text": "One"}).json
    other = client.post("/api/banners", json={"text": "Two", "lang": "en"}).json
    assert first["id"] == again["id"] != other["id"]


@pytest.mark.parametrize(
    ("data", "content_type", "status", "message"),
    [
        ('{"text": "x"}', "text/plain", 415, "application/json"),
        ("text=x", "application/x-www-form-urlencoded", 415, "application/json"),
        ('{"text": "x"', "application/json", 400, "malformed JSON"),
        ("\xff\xfe", "application/json", 400, "malformed JSON"),
        ('["text"]', "application/json", 400, "JSON object"),
        (json.dumps({"text": "x" * 70_000}), "application/json", 413, ""),
    ],
)
def test_bad_requests_answer_json(client, data, content_type, status, message):
    response = client.post("/api/banners", data=data, content_type=content_type)
    assert response.status_code == status
    assert response.is_json
    assert message in response.json["error"]
    assert client.get("/api/banners").status_code == 200  # still serving


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"lang": "ru"}, "text", "slogan is missing"),
        ({"text": "   "}, "text", "slogan is empty"),
        ({"text": 5}, "text", "must be text"),
        ({"text": "x", "size": "a11"}, "size", "unknown page size 'a11'"),
        ({"text": "x", "size": "1x1cm"}, "size", "too small"),
        ({"text": "x", "fg": "blurple"}, "fg", "colour"),
        ({"text": "x", "style": "wavy"}, "style", "'wavy'"),
        ({"text": "x", "orientation": "diagonal"}, "orientation", "'diagonal'"),
        ({"text": "x", "family": "comic"}, "family", "'comic'"),
        ({"text": "x", "lang": "xx-Qqqq-99"}, "lang", ""),
        ({"text": "x", "dpi": 5}, "dpi", "dpi must be"),
        ({"text": "x", "colour": "red"}, "colour", "unknown option 'colour'"),
        ({"text": "a\u202eb"}, "text", "bidi"),
    ],
)
def test_bad_spec_is_422_naming_the_field(client, options, field, message):
    response = client.post("/api/banners", json=options)
    assert response.status_code == 422
    assert response.json["field"] == field
    assert message in response.json["error"]


def test_missing_glyphs_are_named(client):
    response = client.post("/api/banners", json={"text": "ok \U000f0001", "lang": "en"})
    assert response.status_code == 422
    assert response.json["field"] == "text"
    assert "\U000f0001" in response.json["chars"]


def test_list_and_read_banners(app, client):
    made = [client.post("/api/banners", json=options).json for options, _px in BANNERS[:2]]
    # The list is the gallery: banners an editor kept, not every banner anyone made.
    assert client.get("/api/banners").json["banners"] == []
    from poster_app.extensions import db
    from poster_app.models import Banner

    with app.app_context():
        db.session.execute(db.update(Banner).values(published=True))
        db.session.commit()
    listed = client.get("/api/banners").json["banners"]
    assert {b["id"] for b in listed} == {m["id"] for m in made}
    assert {b["lang"] for b in listed} == {"ru", "ar"}
    only_ru = client.get("/api/banners?lang=ru").json["banners"]
    assert [b["lang"] for b in only_ru] == ["ru"]
    one = client.get(f"/api/banners/{made[0]['id']}")
    assert one.status_code == 200 and one.json["text"] == "Свободу анархистам"
    assert one.json["pdf_url"] == made[0]["pdf_url"]


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/banners/0123456789abcdef0123", 404),
        ("get", "/api/banners/../../etc/passwd", 404),
        ("delete", "/api/banners", 405),
        ("get", "/api/nothing-here", 404),
    ],
)
def test_api_errors_are_json(client, method, url, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response.is_json and "error" in response.json
