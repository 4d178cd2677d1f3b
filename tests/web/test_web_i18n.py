"""The UI language: Accept-Language, the switcher's cookie, <html lang dir>, complete catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from poster_app.config import LANGUAGES

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
HEADINGS = {
    "en": "Make a banner",
    "ru": "Сделать баннер",
    "es": "Hacer una pancarta",
    "ms": "Buat sepanduk",
    "ta": "பதாகை உருவாக்கு",
    "zh": "制作横幅",
    "si": "බැනරයක් සාදන්න",
    "tpi": "Wokim benar",
    "ar": "اصنع لافتة",
}


def heading(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html).group(1)


@pytest.mark.parametrize(
    ("accept", "lang", "title"),
    [
        (None, "en", "Make a banner"),
        ("ru-RU,ru;q=0.9,en;q=0.5", "ru", "Сделать баннер"),
        ("es-AR", "es", "Hacer una pancarta"),
        ("ms-MY", "ms", "Buat sepanduk"),
        ("ta-LK", "ta", "பதாகை உருவாக்கு"),
        ("zh-CN,zh;q=0.9", "zh", "制作横幅"),
        ("si-LK,en;q=0.5", "si", "බැනරයක් සාදන්න"),
        ("tpi-PG,en;q=0.8", "tpi", "Wokim benar"),
        ("ar-EG,ar;q=0.9", "ar", "اصنع لافتة"),
        ("fr-FR", "en", "Make a banner"),
    ],
)
def test_locale_from_accept_language(client, accept, lang, title):
    headers = {"Accept-Language": accept} if accept else {}
    html = client.get("/", headers=headers).get_data(as_text=True)
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert heading(html) == title


def test_switcher_remembers_the_choice(client):
    response = client.get("/ui-language/ru?next=/banners/x")
    assert response.status_code == 303 and response.headers["Location"] == "/banners/x"
    assert "ui_lang=ru" in response.headers["Set-Cookie"]
    html = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert heading(html) == "Сделать баннер"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_switcher_stays_on_this_site(client, next_url):
    response = client.get("/ui-language/es", query_string={"next": next_url})
    assert response.headers["Location"] == "/"


def test_switcher_refuses_unknown_languages(client):
    assert client.get("/ui-language/xx").status_code == 404


def test_switcher_links_every_ui_language(client, app):
    html = client.get("/").get_data(as_text=True)
    for code, name in app.config["LANGUAGES"].items():
        assert f'lang="{code}"' in html and name in html


@pytest.mark.parametrize("lang", sorted(set(LANGUAGES) - {"en"}))
def test_catalog_is_complete(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    with (TRANSLATIONS / "messages.pot").open("rb") as f:
        template = read_po(f)
    missing = [
        m.id
        for m in template
        if m.id and not (catalog.get(m.id) and all(forms(catalog.get(m.id).string)))
    ]
    assert missing == []
    for message in catalog:  # placeholders survive translation, in every plural form
        if message.id and message.string:
            wanted = sorted(re.findall(r"%\(\w+\)\w", forms(message.id)[-1]))
            for form in forms(message.string):
                assert sorted(re.findall(r"%\(\w+\)\w", form)) == wanted, message.id


PAGES = ["/", "/gallery", "/actions", "/campaigns/new", "/mine", "/login", "/no-such-page"]


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_page_renders_in_every_ui_language(demo, lang):
    """Each page in each interface language: its own words, <html lang dir>, no English
    left in the main headings (the demo's banner and action pages too)."""
    client = demo.test_client()
    client.set_cookie("ui_lang", lang)
    banner = client.get("/api/banners").json["banners"][0]["id"]
    action = client.get("/api/actions").json["actions"][0]["id"]
    direction = "rtl" if lang == "ar" else "ltr"
    for path in PAGES + [f"/banners/{banner}", f"/actions/{action}"]:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}" dir="{direction}">' in html, path
        if lang != "en":
            english = {"Make a banner", "Gallery", "Download", "Page not found", "My banners"}
            assert not english & set(re.findall(r"<h[12][^>]*>([^<]+)</h[12]>", html)), path


def forms(text) -> tuple:
    """A message's text as a tuple: plural messages have one string per form."""
    return text if isinstance(text, tuple) else (text,)


@pytest.mark.parametrize("lang", list(HEADINGS))
def test_error_pages_are_translated(client, lang):
    client.set_cookie("ui_lang", lang)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert f'<html lang="{lang}"' in response.get_data(as_text=True)


def test_a_right_to_left_ui_sets_dir(make_app, tmp_path):
    """An Arabic UI (no catalog yet: English words) is laid out right to left."""
    app = make_app(tmp_path, LANGUAGES={"en": "English", "ar": "العربية"})
    client = app.test_client()
    client.set_cookie("ui_lang", "ar")
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)
