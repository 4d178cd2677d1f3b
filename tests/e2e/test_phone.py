"""The maker on a phone, with the keyboard up, on a desktop and without JavaScript.

Each test writes screenshots of the states it checks to SCREENSHOTS (look at them), when
POSTER_SCREENSHOTS is set (`make screenshots`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.screenshots import look
from tests.e2e.test_e2e_banner import wait_for_preview

SCREENSHOTS = Path(os.environ.get("POSTER_SCREENSHOTS") or "/tmp/poster-screenshots") / "phone"
SCREENS = {
    "phone": {"width": 390, "height": 844},
    "keyboard": {"width": 390, "height": 470},  # a phone with the on-screen keyboard up
    "desktop": {"width": 1366, "height": 900},
}


def open_page(browser, base_url: str, screen: str, **options):
    mobile = screen != "desktop"
    context = browser.new_context(
        base_url=base_url,
        viewport=SCREENS[screen],
        device_scale_factor=2 if mobile else 1,
        is_mobile=mobile,
        has_touch=mobile,
        locale=options.pop("locale", "en-US"),
        **options,
    )
    return context, context.new_page()


def shot(page, name: str, full_page: bool = False) -> None:
    look(page, SCREENSHOTS / f"{name}.png", full_page)


def box_in_view(page, selector: str) -> dict:
    """The element's box, and how much of its height lies inside the viewport (px)."""
    return page.locator(selector).evaluate(
        """el => { const r = el.getBoundingClientRect();
                   const seen = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
                   return {top: r.top, bottom: r.bottom, height: r.height,
                           seen: Math.max(0, seen), innerHeight}; }"""
    )


def fully_in_view(box: dict) -> bool:
    return box["top"] >= 0 and box["bottom"] <= box["innerHeight"]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_preview_stays_in_sight_while_typing(browser, live_server, screen):
    context, page = open_page(browser, live_server, screen)
    page.goto("/")
    shot(page, f"maker-{screen}-start")
    assert fully_in_view(box_in_view(page, "#submit")), "Make the banner needs no scrolling"

    page.locator("#text").click()
    page.locator("#text").press_sequentially("Free them all\nStop torture", delay=15)
    wait_for_preview(page)
    page.wait_for_timeout(200)  # the box settles below the preview (one frame)
    preview, text = box_in_view(page, "#preview-image"), box_in_view(page, "#text")
    submit = box_in_view(page, "#submit")
    shot(page, f"maker-{screen}-typing")
    assert preview["seen"] >= 120, preview
    assert fully_in_view(text), text
    assert text["top"] >= preview["bottom"] or screen == "desktop", "the preview covers the box"
    assert fully_in_view(submit) and submit["top"] >= text["bottom"] - 1, submit
    context.close()


def test_more_options_fold_and_remember_being_open(browser, live_server):
    context, page = open_page(browser, live_server, "phone")
    page.goto("/")
    more = page.locator("#more-options")
    assert more.get_attribute("open") is None
    assert page.locator("#style").is_hidden()
    page.locator("#more-options > summary").click()
    page.check("input[name=style][value=stack]")
    page.check("input[name=colours][value=white-on-red]")
    page.check("input[name=orientation][value=landscape]")
    summary = page.locator("#more-options-choices").inner_text()
    assert summary == "Landscape · Stack · White on red"
    shot(page, "more-options-open", full_page=True)
    page.reload()
    assert more.get_attribute("open") is not None, "the panel remembers being open"
    page.locator("#more-options > summary").click()
    page.reload()
    assert more.get_attribute("open") is None
    context.close()


def test_an_error_inside_more_options_opens_it_without_javascript(browser, live_server):
    context, page = open_page(browser, live_server, "phone", java_script_enabled=False)
    page.goto("/")
    page.fill("#text", "Hands off")
    page.locator("#more-options > summary").click()
    page.fill("#also_text_1", "Lepas kan mereka")  # with no language chosen for it
    page.click("#submit")
    assert page.locator("#more-options").get_attribute("open") is not None
    assert page.locator("#also_text_1-error").is_visible()
    shot(page, "more-options-error-nojs")
    context.close()


def test_the_maker_without_javascript_on_a_phone(browser, live_server):
    context, page = open_page(browser, live_server, "phone", java_script_enabled=False)
    page.goto("/")
    shot(page, "maker-nojs-start")
    assert fully_in_view(box_in_view(page, "#submit"))
    assert page.locator("#preview-frame").is_hidden(), "no empty frame when nothing can fill it"
    page.fill("#text", "Liberté")
    page.select_option("#lang", "fr")
    page.click("#submit")
    page.wait_for_url("**/banners/*")
    page.locator(".banner-image").evaluate("img => img.decode()")
    shot(page, "banner-nojs")
    assert page.locator("blockquote.slogan").inner_text() == "Liberté"
    context.close()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_header_is_compact_and_switches_the_ui_language(browser, live_server, screen):
    context, page = open_page(browser, live_server, screen)
    page.goto("/gallery")
    header = box_in_view(page, "header.site")
    assert header["height"] <= (100 if screen == "phone" else 70), header
    page.locator(".ui-languages summary").click()
    shot(page, f"header-{screen}-languages")
    page.click(".ui-languages a[lang=ru]")
    page.wait_for_url("**/gallery")
    assert page.locator("h1").inner_text() == "Галерея"
    assert page.locator(".ui-languages summary [lang]").inner_text() == "Русский"
    context.close()


def test_the_gallery_filters_fold_on_a_phone(browser, live_server):
    context, page = open_page(browser, live_server, "phone")
    page.goto("/gallery")
    assert page.locator("#f-q").is_hidden()
    shot(page, "gallery-phone")
    page.locator(".filters-panel > summary").click()
    page.fill("#f-q", "free")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**/gallery?*")
    assert page.locator("#f-q").is_visible(), "filters in use stay open"
    assert "1 filter in use" in page.locator(".filters-panel > summary").inner_text()
    context.close()
    context, page = open_page(browser, live_server, "desktop")
    page.goto("/gallery")
    assert page.locator("#f-q").is_visible()
    assert page.locator(".filters-panel > summary").is_hidden()
    context.close()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_other_layouts_beside_the_preview(browser, live_server, screen):
    context, page = open_page(browser, live_server, screen)
    page.goto("/")
    page.fill("#text", "Free them all\nStop torture")
    wait_for_preview(page)
    choices = page.locator("#alternatives .alternative")
    choices.nth(3).wait_for()
    assert choices.count() == 4
    assert choices.nth(0).get_attribute("aria-pressed") == "true"
    changes = choices.locator(".alternative-change").all_inner_texts()
    assert changes[0] == "now"
    assert all(c[0] in "+−" and c.endswith("%") or c == "same size" for c in changes[1:]), changes
    page.locator("#text").blur()
    shot(page, f"alternatives-{screen}")
    label = choices.nth(2).get_attribute("aria-label")
    assert label.startswith("Landscape, Fill: text ")
    choices.nth(2).click()
    assert page.locator("input[name=orientation][value=landscape]").is_checked()
    page.wait_for_function(
        "() => document.querySelectorAll('#alternatives .alternative')[2]"
        ".getAttribute('aria-pressed') === 'true'"
    )
    wait_for_preview(page)
    image = page.locator("#preview-image").evaluate("i => [i.naturalWidth, i.naturalHeight]")
    assert image[0] > image[1], "the preview is landscape now"
    shot(page, f"alternatives-{screen}-landscape")
    context.close()


@pytest.mark.parametrize(
    ("locale", "lang", "slogan", "title"),
    [
        ("ar-EG", "ar", "الحرية للجميع", "اصنع لافتة"),
        ("si-LK", "si", "සියලු දෙනාට නිදහස", "බැනරයක් සාදන්න"),
        ("tpi-PG", "tpi", "Fridom long olgeta", "Wokim benar"),
    ],
)
def test_the_interface_in_the_languages_of_the_report(
    browser, live_server, locale, lang, slogan, title
):
    """Sinhala, Tok Pisin and Arabic: the maker and the banner page, Arabic right to left."""
    context, page = open_page(browser, live_server, "phone", locale=locale)
    page.goto("/")
    assert page.locator("h1").inner_text() == title
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.input_value("#lang") == lang  # the slogan's language follows the browser's
    if lang == "ar":  # right to left: the brand at the right edge, the language menu at the left
        brand = page.locator(".brand").bounding_box()
        menu = page.locator(".ui-languages summary").bounding_box()
        assert brand["x"] > menu["x"]
    if lang != "tpi":  # the interface's own script has a web font of this site's
        faces = page.evaluate(f"() => document.fonts.load('16px \"Poster UI\"', '{title}')")
        assert len(faces) >= 1
    page.locator("#text").press_sequentially(slogan, delay=10)
    wait_for_preview(page)
    shot(page, f"ui-{lang}-maker")
    page.click("#more-options > summary")
    shot(page, f"ui-{lang}-maker-options", full_page=True)
    page.click("#submit")
    page.wait_for_url("**/banners/*")
    page.locator(".banner-image").evaluate("img => img.decode()")
    shot(page, f"ui-{lang}-banner", full_page=True)
    context.close()
