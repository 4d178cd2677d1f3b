"""The banner form, its live preview, the banner page and the downloads."""

from __future__ import annotations

import re

import pytest
from web_helpers import has_words, png_size

from poster_app import rendering
from poster_app.web.filenames import download_name, slug

FORM = {
    "text": "Свободу анархистам",
    "lang": "ru",
    "size": "a3",
    "orientation": "",
    "style": "fill",
    "family": "sans",
    "colours": "black-on-white",
    "fg": "#000000",
    "bg": "#ffffff",
    "signature": "",
}


def make_banner(client, **changes) -> str:
    response = client.post("/", data={**FORM, **changes})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_form_has_every_field(client):
    html = client.get("/").get_data(as_text=True)
    for name in (
        "text",
        "lang",
        "size",
        "custom_width",
        "custom_height",
        "custom_unit",
        "orientation",
        "style",
        "family",
        "colours",
        "fg",
        "bg",
        "signature",
    ):
        assert f'name="{name}"' in html, name
    assert re.search(r'<textarea[^>]*dir="auto"[^>]*name="text"', html)
    assert '<option value="banner-300x100cm">' in html and 'value="custom"' in html
    assert "<optgroup" in html
    assert "Русский — Russian" in html


def test_form_preselects_the_ui_language(client):
    html = client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert re.search(r'<option [^>]*\bselected\b[^>]* value="ru"', html)


def test_valid_post_goes_to_the_banner_page(client):
    banner_id = make_banner(client)
    page = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    assert "Свободу анархистам" in page
    assert f"/banners/{banner_id}.pdf" in page and f"/banners/{banner_id}/thumb.png" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"text": ""}, "text", "Type the words for the banner."),
        ({"text": "x" * 501}, "text", "At most 500 characters"),
        ({"signature": "s" * 121}, "signature", "At most 120 characters"),
        ({"size": "custom", "custom_width": "wide"}, "custom_width", "Give the size as a number"),
        (
            {"size": "custom", "custom_width": "1", "custom_height": "1", "custom_unit": "cm"},
            "custom_width",
            "too small",
        ),
        ({"colours": "custom", "fg": "red"}, "fg", "Pick a colour"),
        ({"text": "ok \U000f0001"}, "text", "No bundled font has these characters"),
        ({"style": "wavy"}, "style", "Not a valid choice"),
    ],
)
def test_errors_show_next_to_their_field(client, changes, field, message):
    response = client.post("/", data={**FORM, **changes})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', html, re.DOTALL)
    assert errors and message in errors.group(1)
    assert 'role="alert"' in html


def test_errors_are_in_the_ui_language(client):
    response = client.post("/", data={**FORM, "text": ""}, headers={"Accept-Language": "ru"})
    assert "Напишите текст для баннера." in response.get_data(as_text=True)


def test_custom_size_and_colours_make_the_spec(app, client):
    banner_id = make_banner(
        client,
        size="custom",
        custom_width="120,5",
        custom_height="80",
        custom_unit="cm",
        colours="custom",
        fg="#FFCC00",
        bg="#112233",
    )
    from poster_app.extensions import db
    from poster_app.models import Banner

    with app.app_context():
        spec = db.session.get(Banner, banner_id).spec
    assert (spec.size, spec.fg, spec.bg) == ("120.5x80cm", "#ffcc00", "#112233")


def test_csrf_is_required(app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post("/", data=FORM)
    assert response.status_code == 400


@pytest.mark.parametrize(("colours", "warned"), [("black-on-white", False), ("red-on-black", True)])
def test_contrast_warning(client, colours, warned):
    banner_id = make_banner(client, colours=colours)
    page = client.get(f"/banners/{banner_id}").get_data(as_text=True)
    assert ("Low contrast" in page) is warned


def test_prefill_from_an_existing_banner(client):
    banner_id = make_banner(client, colours="white-on-red", signature="Группа 7")
    html = client.get(f"/?from={banner_id}").get_data(as_text=True)
    assert "Свободу анархистам</textarea>" in html and 'value="Группа 7"' in html
    assert re.search(r'checked[^>]*value="white-on-red"|value="white-on-red"[^>]*checked', html)


@pytest.mark.parametrize("width", [300, 600, 1200])
def test_preview_is_a_png_of_the_asked_width(client, width):
    response = client.get("/preview.png", query_string={**FORM, "width": width})
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert png_size(response.data)[0] == width


@pytest.mark.parametrize("query", ["text=Hi&width=300", "text=自由&lang=zh&width=300"])
def test_preview_fills_in_defaults(client, query):
    response = client.get(f"/preview.png?{query}")
    assert response.status_code == 200 and png_size(response.data)[0] == 300


def test_preview_is_cached_by_spec(client, make_app, tmp_path, monkeypatch):
    """Each app keeps its own previews: the test's app starts with none, whatever ran before."""
    calls = []
    real = rendering.render_png
    monkeypatch.setattr(rendering, "render_png", lambda *a, **k: calls.append(1) or real(*a, **k))
    query = {**FORM, "text": "cache me", "width": 400}
    first = client.get("/preview.png", query_string=query).data
    second = client.get("/preview.png", query_string=query).data
    assert first == second and len(calls) == 1
    other = make_app(tmp_path / "other").test_client()
    assert other.get("/preview.png", query_string=query).data == first and len(calls) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"size": "custom", "custom_width": "x"}, "custom_width"),
        ({"text": "\U000f0001"}, "text"),
        ({"lang": "qq-Zzzz"}, "lang"),
    ],
)
def test_preview_errors_are_json(client, changes, field):
    response = client.get("/preview.png", query_string={**FORM, **changes})
    assert response.status_code == 422
    assert response.json["field"] == field and response.json["error"]


@pytest.mark.parametrize(
    ("suffix", "mimetype", "filename", "etag_suffix"),
    [
        (".pdf", "application/pdf", "svobodu-anarkhistam-ru-a3.pdf", ""),
        (".png", "image/png", "svobodu-anarkhistam-ru-a3.png", ""),
        (".png?dpi=72", "image/png", "svobodu-anarkhistam-ru-a3-72dpi.png", "-72dpi"),
    ],
)
def test_download_headers(client, suffix, mimetype, filename, etag_suffix):
    banner_id = make_banner(client)
    response = client.get(f"/banners/{banner_id}{suffix}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == f"attachment; filename={filename}"
    assert response.headers["ETag"] == f'"{banner_id}{etag_suffix}"'
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "max-age=31536000" in cache and "public" in cache
    again = client.get(
        f"/banners/{banner_id}{suffix}", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(("dpi", "width"), [(None, 4961), (72, 1191), (150, 2480)])
def test_png_dpi(client, dpi, width):
    banner_id = make_banner(client, orientation="landscape")
    url = f"/banners/{banner_id}.png" + (f"?dpi={dpi}" if dpi else "")
    assert abs(png_size(client.get(url).data)[0] - width) <= 1


def test_pdf_has_the_words(client):
    banner_id = make_banner(client)
    assert has_words(client.get(f"/banners/{banner_id}.pdf").data, FORM["text"])


@pytest.mark.parametrize(
    "url",
    [
        "/banners/0123456789abcdef0123",
        "/banners/0123456789abcdef0123.pdf",
        "/banners/0123456789abcdef0123.png",
        "/banners/nope/thumb.png",
    ],
)
def test_unknown_banner_is_an_html_404(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Page not found" in response.get_data(as_text=True)


def test_png_over_the_pixel_cap_suggests_the_pdf(client):
    banner_id = make_banner(client, size="a0")
    response = client.get(f"/banners/{banner_id}.png?dpi=600")
    assert response.status_code == 422 and "PDF" in response.get_data(as_text=True)


def test_bad_dpi_is_400(client):
    banner_id = make_banner(client)
    response = client.get(f"/banners/{banner_id}.png?dpi=7")
    assert response.status_code == 400 and "72, 150, 300, 600" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Свободу анархистам!", "svobodu-anarkhistam"),
        ("Объединяйтесь", "obedinyaytes"),
        ("Ελευθερία", "eleytheria"),
        ("Liberté, égalité", "liberte-egalite"),
        ("Без\nграниц", "bez-granits"),
        ("人人享有自由", ""),
        ("Free 自由", ""),
        ("!!!", ""),
    ],
)
def test_slug(text, expected):
    assert slug(text) == expected


@pytest.mark.parametrize(
    ("text", "lang", "size", "ext", "dpi", "expected"),
    [
        ("Свободу анархистам", "ru", "a3", "pdf", None, "svobodu-anarkhistam-ru-a3.pdf"),
        ("الحرية للجميع", "ar", "a3", "png", 150, "0123abcd-ar-a3-150dpi.png"),
        ("No war", "en", "120x80cm", "pdf", None, "no-war-en-120x80cm.pdf"),
    ],
)
def test_download_name(text, lang, size, ext, dpi, expected):
    assert download_name("0123abcd", text, lang, size, ext, dpi) == expected
