"""The slogan's language: the script table the browser guesses from, the default from
Accept-Language (with or without an interface catalog), and the search by names people use."""

from __future__ import annotations

import re

import pytest

from poster_app.layout import supported_languages
from poster_app.slogan_languages import (
    default_language,
    script_table,
    search,
    supported_tag,
)


@pytest.mark.parametrize(
    ("script", "first", "also"),
    [
        ("Cyrl", "ru", {"uk", "be", "kk", "ky", "sr-Cyrl"}),
        ("Sinh", "si", set()),
        ("Arab", "ar", {"fa", "ur", "ps"}),
        ("Thai", "th", set()),
        ("Hani", "zh-Hans", {"zh-Hant", "ja", "ko"}),
        ("Hira", "ja", set()),
        ("Kana", "ja", set()),
        ("Hang", "ko", set()),
        ("Latn", "en", {"fr", "tpi", "ms", "sr-Latn"}),
    ],
)
def test_the_script_table_names_the_likeliest_language_first(script, first, also):
    table = script_table()
    assert table[script][0] == first
    assert set(table[script]) == {first} | also or also <= set(table[script])


def test_every_offered_language_is_in_the_table_and_only_those():
    table = script_table()
    listed = {tag for tags in table.values() for tag in tags}
    assert listed == {lang.tag for lang in supported_languages()}


def test_the_likeliest_language_of_each_script_is_read_as_language_reads_it():
    """The table reads CLDR's likely tag ('ru_Cyrl_RU') itself, without building its
    Language (which loads that locale's data): the same offered language either way."""
    from babel.core import get_global

    from poster_app.slogan_languages import _likeliest

    likely = get_global("likely_subtags")
    for script in script_table():
        tag = likely.get(f"und_{script}") or likely["und"]
        assert _likeliest(script) == supported_tag(tag.replace("_", "-")), script


@pytest.mark.parametrize(
    ("accepted", "chosen_ui", "expected"),
    [
        (["si-LK", "en"], None, "si"),
        (["tpi-PG", "en-AU"], None, "tpi"),
        (["zh-TW", "en"], None, "zh-Hant"),
        (["zh-CN"], None, "zh-Hans"),
        (["sr-RS"], None, "sr-Cyrl"),
        (["tl-PH"], None, "fil"),
        (["gsw-CH", "de-CH"], None, "de"),  # Swiss German is not offered: the next one is
        (["*"], None, "en"),
        ([], None, "en"),
        (["en-US", "en"], "ru", "ru"),  # the interface language the person picked comes first
        (["si-LK"], "ta", "ta"),
    ],
)
def test_the_default_follows_the_browser(accepted, chosen_ui, expected):
    assert default_language(accepted, chosen_ui) == expected


@pytest.mark.parametrize(
    ("accept", "selected"),
    [
        ("si-LK,si;q=0.9,en;q=0.5", "si"),  # Sinhala: the interface has a catalog now
        ("tpi-PG,en;q=0.8", "tpi"),
        ("my-MM,en;q=0.5", "my"),  # Burmese: no interface catalog, still the slogan's language
        ("km,fr;q=0.5", "km"),
        ("fr-FR", "fr"),
        ("de-AT,de;q=0.9", "de"),
    ],
)
def test_the_form_preselects_the_browsers_language(client, accept, selected):
    html = client.get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    select = re.search(r'(?s)<select[^>]*id="lang".*?</select>', html)[0]
    assert re.search(rf'<option [^>]*selected[^>]* value="{selected}"', select), accept


@pytest.mark.parametrize(
    ("query", "ui", "first"),
    [
        ("Bahasa", "en", "id"),
        ("Farsi", "en", "fa"),
        ("Sinhalese", "en", "si"),
        ("Mandarin", "en", "zh-Hans"),
        ("Cantonese", "en", "zh-Hant"),
        ("Pidgin", "en", "tpi"),
        ("Tok Pisin", "en", "tpi"),
        ("tok", "en", "tpi"),
        ("Burmese", "en", "my"),
        ("Myanmar", "en", "my"),
        ("Filipino", "en", "fil"),
        ("Tagalog", "en", "fil"),
        ("ру", "en", "ru"),
        ("ру", "ru", "ru"),  # before румынский, Romanian's Russian name
        ("рус", "ru", "ru"),
        ("anglais", "fr", "en"),  # the name in the interface language
        ("espanol", "en", "es"),  # accents need not be typed
        ("සිං", "en", "si"),  # the language's own name
        ("kifaransa", "sw", "fr"),
        ("Sinhala", "ru", "si"),  # English names work in any interface
    ],
)
def test_the_search_finds_languages_by_the_names_people_use(query, ui, first):
    assert search(query, ui)[0] == first


def test_bahasa_finds_both_indonesian_and_malay():
    assert set(search("Bahasa", "en")) == {"id", "ms"}


@pytest.mark.parametrize("ui", ["en", "ru", "be"])
def test_ru_never_finds_belarusian(ui):
    assert "be" not in search("ру", ui)


def test_tags_the_form_does_not_offer():
    assert supported_tag("xx-YY") is None and supported_tag("gsw") is None


def test_the_form_names_languages_in_the_interface_language(client):
    client.set_cookie("ui_lang", "ru")
    html = client.get("/").get_data(as_text=True)
    assert ">English — английский</option>" in html
    assert ">Русский</option>" in html  # one name when the two agree
    assert 'data-aliases="farsi|фарси"' in html
