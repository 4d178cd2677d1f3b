"""In a real browser: the slogan's language follows the letters typed, never overriding a
language picked by hand; the search box finds languages by the names people use."""

from __future__ import annotations

import pytest

from tests.e2e.test_e2e_banner import wait_for_preview
from tests.e2e.test_phone import open_page, shot


def chips(page) -> list[str]:
    return page.locator("#lang-offer .chip").all_inner_texts()


@pytest.mark.parametrize(
    ("name", "text", "lang", "offered"),
    [
        ("cyrillic", "Свободу всем", "ru", {"Українська", "Беларуская"}),
        ("sinhala", "සියලු දෙනාට නිදහස", "si", set()),
        ("arabic", "الحرية للجميع", "ar", {"فارسی", "اردو"}),
        ("thai", "เสรีภาพ", "th", set()),
        ("han", "人人自由", "zh-Hans", {"日本語"}),
        ("kana", "自由をすべての人に", "ja", set()),
        ("hangul", "모두에게 자유를", "ko", set()),
    ],
)
def test_the_language_follows_the_letters(browser, live_server, name, text, lang, offered):
    context, page = open_page(browser, live_server, "phone")
    page.goto("/")
    assert page.input_value("#lang") == "en"  # Accept-Language: en-US
    page.locator("#text").press_sequentially(text, delay=10)
    page.wait_for_function(f"() => document.getElementById('lang').value === '{lang}'")
    note = page.locator("#lang-offer")
    assert note.is_visible() and "Language set from your letters" in note.inner_text()
    assert offered <= set(chips(page))
    wait_for_preview(page)
    shot(page, f"language-{name}")
    context.close()


def test_latin_letters_leave_a_chosen_language_alone(page):
    page.goto("/")
    page.select_option("#lang", "fr")
    page.fill("#text", "Liberté pour tous")
    wait_for_preview(page)
    assert page.input_value("#lang") == "fr"
    assert page.locator("#lang-offer").is_hidden()


def test_a_language_picked_by_hand_is_only_offered_another(page):
    page.goto("/")
    page.select_option("#lang", "fr")
    page.locator("#text").press_sequentially("Свободу", delay=10)
    page.locator("#lang-offer .chip").first.wait_for()
    assert page.input_value("#lang") == "fr"
    assert "Русский" in chips(page)
    page.locator("#lang-offer .chip", has_text="Русский").click()
    assert page.input_value("#lang") == "ru"
    assert page.locator("#lang-offer").is_hidden()
    wait_for_preview(page)


def test_a_default_language_that_fits_stays(browser, live_server):
    context, page = open_page(browser, live_server, "phone", locale="ru-RU")
    page.goto("/")
    assert page.input_value("#lang") == "ru"
    page.locator("#text").press_sequentially("Нет войне", delay=10)
    wait_for_preview(page)
    assert page.input_value("#lang") == "ru" and page.locator("#lang-offer").is_hidden()
    context.close()


def test_an_other_language_row_gets_the_language_of_its_text(page):
    page.goto("/")
    page.click("#more-options > summary")
    page.fill("#also_text_1", "அனைவருக்கும் விடுதலை")
    assert page.input_value("#also_lang_1") == "ta"


@pytest.mark.parametrize(
    ("query", "lang"),
    [("ру", "ru"), ("Pidgin", "tpi"), ("Farsi", "fa"), ("Bahasa", "id"), ("sinhalese", "si")],
)
def test_the_search_box_finds_names_people_use(page, query, lang):
    page.goto("/")
    page.fill("#lang-filter", query)
    assert page.input_value("#lang") == lang
    visible = page.locator("#lang option:not([hidden])").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert "be" not in visible
