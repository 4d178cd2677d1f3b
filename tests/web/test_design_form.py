"""The banner form's design options (issue 13): theme, accent colour, symbols and the "(A)"
offer, QR code, painting grid; the theme swatches; per-field errors inside "More options"."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from poster_app.layout import MissingGlyphs, Spec, plan
from poster_app.web.forms import SYMBOLS

FORM = {
    "text": "Free *them* all",
    "lang": "en",
    "size": "a4",
    "orientation": "",
    "style": "fill",
    "family": "sans",
    "colours": "black-on-white",
    "fg": "#000000",
    "bg": "#ffffff",
    "signature": "",
}


def _stored(app, location: str) -> Spec:
    from poster_app.storage import banner_store

    with app.app_context():
        return banner_store().get(location.rsplit("/", 1)[-1]).spec


def _errors_of(html: str, field: str) -> str:
    found = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def test_the_form_offers_every_design_option_without_javascript(client):
    html = client.get("/").get_data(as_text=True)
    for name in ("theme", "accent", "accent_custom", "symbols", "qr", "qr_caption", "grid"):
        assert f'name="{name}"' in html, name
    for theme in ("plain", "outline", "bars", "diagonal", "frame", "band"):
        assert re.search(rf'<input[^>]*name="theme"[^>]*value="{theme}"', html), theme
    assert "Outlined letters, little ink" in html  # each theme says what it draws
    for symbol, _name in SYMBOLS:  # characters to copy, before any script runs
        assert f">{symbol}</span>" in html
    assert 'id="more-options" ' in html and "open" not in re.search(
        r'<details class="more-options"[^>]*>', html
    ).group(0)


def test_a_themed_banner_from_the_form(app, client):
    answer = client.post(
        "/",
        data={
            **FORM,
            "text": "Free *them* all (A)",
            "signature": "Colectivo (A)",
            "theme": "outline",
            "accent": "purple",
            "symbols": "y",
            "qr": "https://example.org/a",
            "qr_caption": "example.org",
            "grid": "12,5",
        },
    )
    assert answer.status_code == 303, answer.get_data(as_text=True)
    spec = _stored(app, answer.headers["Location"])
    assert (spec.theme, spec.accent, spec.grid) == ("outline", "#7b2d8e", 125.0)
    assert (spec.qr, spec.qr_caption) == ("https://example.org/a", "example.org")
    assert spec.text == "Free *them* all \u24b6" and spec.signature == "Colectivo \u24b6"

    # "Make another like this" brings every choice back.
    html = client.get(f"/?from={answer.headers['Location'].rsplit('/', 1)[-1]}").get_data(
        as_text=True
    )
    assert re.search(r'<input checked[^>]*name="theme"[^>]*value="outline"', html)
    assert re.search(r'<input checked[^>]*name="accent"[^>]*value="purple"', html)
    assert 'value="https://example.org/a"' in html and 'value="12.5"' in html


def test_a_typed_a_in_a_circle_is_only_drawn_as_the_symbol_when_asked(app, client):
    answer = client.post("/", data={**FORM, "text": "No gods (A)"})
    assert _stored(app, answer.headers["Location"]).text == "No gods (A)"


def test_the_theme_accent_is_the_default_and_custom_accents_work(app, client):
    plain = _stored(app, client.post("/", data=FORM).headers["Location"])
    assert (plain.theme, plain.accent) == ("plain", "#d40000")  # the theme's own
    custom = client.post("/", data={**FORM, "accent": "custom", "accent_custom": "#00AAFF"})
    assert _stored(app, custom.headers["Location"]).accent == "#00aaff"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"grid": "ten"}, "grid", "in cm"),
        ({"theme": "outline", "grid": "0,5"}, "grid", "grid"),  # the engine: too fine
        ({"qr": "https://example.org/" + "ж" * 100}, "qr", "too long"),  # over the capacity
        ({"qr": "x" * 201}, "qr", "200"),
        ({"qr_caption": "scan me"}, "qr_caption", "QR"),
        ({"accent": "custom", "accent_custom": "red"}, "accent_custom", "#cc0000"),
        ({"theme": "psychedelic"}, "theme", "valid"),
        ({"text": "Free *them all"}, "text", "*"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_design_values_are_said_at_their_field(app, client, changes, field, words):
    from poster_app.extensions import db
    from poster_app.models import Banner

    answer = client.post("/", data={**FORM, **changes})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert words in _errors_of(html, field), _errors_of(html, field) or html[:3000]
    if field != "text":  # an error behind "More options" opens it
        assert re.search(r'<details class="more-options"[^>]*\bopen\b', html)
    with app.app_context():
        assert db.session.query(Banner).count() == 0


def _dark(data: bytes) -> float:
    image = Image.open(io.BytesIO(data)).convert("L")
    return sum(1 for v in image.get_flattened_data() if v < 100) / (image.width * image.height)


def test_theme_swatches_show_the_slogan_in_every_theme(client):
    answer = client.get("/preview/themes.json", query_string={**FORM, "theme": "bars"})
    assert answer.status_code == 200, answer.json
    import base64

    found = {item["theme"]: item for item in answer.json["themes"]}
    assert list(found) == ["plain", "outline", "bars", "diagonal", "frame", "band"]
    assert [name for name, item in found.items() if item["current"]] == ["bars"]
    thumbs = {
        name: base64.b64decode(item["thumb"].removeprefix("data:image/png;base64,"))
        for name, item in found.items()
    }
    assert all(Image.open(io.BytesIO(png)).width == 160 for png in thumbs.values())
    # Each is the slogan drawn in its theme: the outline leaves the page light, bars darken it.
    assert _dark(thumbs["outline"]) < _dark(thumbs["plain"]) < _dark(thumbs["bars"])
    assert len(set(thumbs.values())) == 6

    refused = client.get("/preview/themes.json", query_string={**FORM, "text": ""})
    assert refused.status_code == 422 and refused.json["field"] == "text"


def test_the_swatches_count_against_the_render_limit(make_app, tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_RENDER="2 per minute")
    client = app.test_client()
    codes = [client.get("/preview/themes.json", query_string=FORM).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


@pytest.mark.parametrize(("symbol", "name"), SYMBOLS, ids=[str(n) for _s, n in SYMBOLS])
def test_every_offered_symbol_is_drawn_by_a_bundled_font(symbol, name):
    try:
        plan(Spec(text=f"Free {symbol} all"), budget=None)
    except MissingGlyphs as e:
        pytest.fail(f"{name} ({symbol}) has no font: {e}")


def test_the_picker_font_has_every_offered_symbol():
    """static/css/symbols.css (fonts/build_symbol_webfont.py) covers the form's symbols, so a
    computer without an emoji font shows them too, as the banner draws them."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    css = (root / "static" / "css" / "symbols.css").read_text(encoding="utf-8")
    covered = {int(cp, 16) for cp in re.findall(r"U\+([0-9A-F]+)", css)}
    assert {ord(symbol) for symbol, _name in SYMBOLS} <= covered
    for font in re.findall(r"url\(\.\./fonts/([^)]+)\)", css):
        assert (root / "static" / "fonts" / font).stat().st_size < 20_000, font


def test_the_banner_page_names_its_theme(client):
    answer = client.post("/api/banners", json={"text": "Free them all", "theme": "diagonal"})
    page = client.get(answer.json["page_url"]).get_data(as_text=True)
    assert re.search(r"<dt>Theme</dt>\s*<dd>Diagonal</dd>", page)
    plain = client.post("/api/banners", json={"text": "Free them all"}).json["page_url"]
    assert "<dt>Theme</dt>" not in client.get(plain).get_data(as_text=True)
