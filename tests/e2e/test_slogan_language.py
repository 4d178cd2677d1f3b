"""In a real browser: the slogan's language follows the letters typed, never overriding a
language picked by hand; the search box finds languages by the names people use."""

from __future__ import annotations

import pytest

from tests.e2e.test_e2e_banner import wait_for_preview
from tests.e2e.test_phone import open_page, shot

# The parametrised cases below each start from a new visitor's form. A context of their own
# per case cost ~0.1-0.3 s of CPU more than a tab shared by the cases and reset (`afresh`): a
# renderer started, every file of the site fetched and compiled again.


@pytest.fixture(scope="module")
def phone_tab(browser, live_server):
    context, page = open_page(browser, live_server, "phone")
    yield context, page
    context.close()


@pytest.fixture(scope="module")
def desktop_tab(browser, live_server):
    """At the size and language of the `page` fixture."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="en-US"
    )
    yield context, context.new_page()
    context.close()


def afresh(context, page):
    """The form as a new visitor gets it: no cookies, nothing the site stored, loaded anew.

    What the tab keeps from earlier cases is the browser's cache: the site's hashed files
    (immutable: the same bytes the server would send) and earlier cases' previews, which no
    later case asks for (each types other letters, or none)."""
    if page.url.startswith(("http:", "https:")):
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    context.clear_cookies()
    page.goto("/")
    return page


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
def test_the_language_follows_the_letters(phone_tab, name, text, lang, offered):
    page = afresh(*phone_tab)
    assert page.input_value("#lang") == "en"  # Accept-Language: en-US
    page.locator("#text").press_sequentially(text, delay=10)
    page.wait_for_function(f"() => document.getElementById('lang').value === '{lang}'")
    note = page.locator("#lang-offer")
    assert note.is_visible() and "Language set from your letters" in note.inner_text()
    assert offered <= set(chips(page))
    wait_for_preview(page)
    shot(page, f"language-{name}")


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
def test_the_search_box_finds_names_people_use(desktop_tab, query, lang):
    page = afresh(*desktop_tab)
    page.fill("#lang-filter", query)
    assert page.input_value("#lang") == lang
    visible = page.locator("#lang option:not([hidden])").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert "be" not in visible
