"""The design options in a real browser: theme swatches of the slogan, the symbol picker, the
"(A)" offer, the grid shown for the outline theme, and the projector view (with and without
JavaScript). Screenshots go to SCREENSHOTS/design (look at them)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.screenshots import look
from tests.e2e.test_e2e_banner import wait_for_preview
from tests.e2e.test_phone import SCREENSHOTS, open_page

THEMES = ["plain", "outline", "bars", "diagonal", "frame", "band"]


def shot(page, name: str, full_page: bool = False) -> None:
    look(page, SCREENSHOTS.parent / "design" / f"{name}.png", full_page)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_swatches_symbols_and_the_offer(browser, live_server, screen):
    context, page = open_page(browser, live_server, screen)
    page.goto("/")
    page.fill("#text", "Free *them* all")
    wait_for_preview(page)
    page.click("#more-options > summary")
    page.wait_for_function("() => document.getElementById('banner-form').dataset.swatches")
    sizes = page.eval_on_selector_all(
        "#theme img.theme-swatch", "images => images.map(i => i.complete && i.naturalWidth)"
    )
    assert len(sizes) == len(THEMES) and all(sizes), sizes
    values = page.eval_on_selector_all(
        "#theme img.theme-swatch",
        "images => images.map(i => i.closest('label').querySelector('input').value)",
    )
    assert values == THEMES

    # The grid is offered with the outline theme only (and not sent with another).
    assert page.is_hidden("#grid")
    page.click("label:has(input[name=theme][value=outline])")
    assert page.is_visible("#grid")
    page.click("label:has(input[name=theme][value=bars])")
    assert page.is_hidden("#grid") and page.is_disabled("#grid")
    shot(page, f"themes-{screen}", full_page=True)

    # A symbol goes where the cursor was in the slogan.
    page.focus("#text")
    page.evaluate(
        "t => { const box = document.getElementById('text'); box.setSelectionRange(4, 4); }", None
    )
    page.click("button.symbol[title='raised fist']")
    assert page.input_value("#text") == "Free \u270a *them* all"

    # "(A)" is offered as Ⓐ, and swapped only when the person says yes.
    assert page.is_hidden("#symbol-offer")
    page.fill("#text", "No gods no masters (A)")
    page.wait_for_selector("#symbol-offer", state="visible")
    # In sight while typing: on a phone under the sticky preview, above the "Make" bar.
    top, bottom, bar = page.evaluate(
        "() => { const o = document.getElementById('symbol-offer').getBoundingClientRect();"
        " const bar = document.querySelector('.action-bar').getBoundingClientRect();"
        " return [o.top, o.bottom, bar.top]; }"
    )
    assert top >= 0 and (bottom <= bar or screen == "desktop"), (top, bottom, bar)
    shot(page, f"offer-{screen}")
    page.get_by_role("button", name="Draw it as \u24b6", exact=True).click()
    assert page.input_value("#text") == "No gods no masters \u24b6"
    assert page.is_hidden("#symbol-offer")
    context.close()


def test_without_javascript_the_options_are_plain_controls(browser, live_server):
    context, page = open_page(browser, live_server, "phone", java_script_enabled=False)
    page.goto("/")
    page.fill("#text", "No gods (A)")
    page.click("#more-options > summary")
    page.check("input[name=theme][value=outline]")
    page.fill("#grid", "10")
    page.check("input[name=symbols]")
    page.check("input[name=accent][value=purple]")
    page.fill("#qr", "https://example.org")
    assert page.locator("#symbol-list .symbol").count() == 16  # characters to copy
    shot(page, "nojs-options", full_page=True)
    page.click("#submit")
    page.wait_for_url("**/banners/*")
    assert "No gods \u24b6" in page.inner_text(".slogan")
    context.close()


def _banner(page, **spec) -> str:
    answer = page.request.post("/api/banners", data={"text": "Free *them* all", **spec})
    assert answer.status == 201, answer.text()
    return answer.json()["id"]


def test_the_projector_view_goes_full_screen(browser, live_server):
    context, page = open_page(browser, live_server, "desktop")
    banner = _banner(page, theme="outline", size="300x100cm", grid="25cm")
    page.goto(f"/banners/{banner}")
    page.click("#projector-link")
    # The click only starts the navigation: until the projector page has come, the banner
    # page has no #projector-image (run 9 of ten read .complete of null).
    page.wait_for_url(re.compile(r"/banners/[0-9a-f]{20}/projector$"))
    page.wait_for_function(
        "() => { const i = document.getElementById('projector-image');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    box = page.locator("#projector-image").bounding_box()
    assert box["width"] == pytest.approx(1366, abs=1)  # a 3:1 banner: the whole width
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    shot(page, "projector-desktop")
    page.click("#fullscreen")
    page.wait_for_function(
        "() => document.fullscreenElement && document.fullscreenElement.id === 'projector-stage'"
    )
    page.click("#projector-stage")
    page.wait_for_function("() => !document.fullscreenElement")
    page.click("#projector-back")
    page.wait_for_url(f"**/banners/{banner}")
    context.close()


def test_the_projector_view_without_javascript(browser, live_server):
    context, page = open_page(browser, live_server, "phone", java_script_enabled=False)
    banner = _banner(page, size="a4")
    page.goto(f"/banners/{banner}/projector")
    assert page.is_hidden("#fullscreen")
    chosen = page.evaluate("document.getElementById('projector-image').currentSrc")
    assert chosen.endswith("/screen-960.png")  # 390 px at 2x: the smallest that is sharp
    box = page.locator("#projector-image").bounding_box()
    assert box["width"] == pytest.approx(390, abs=1)  # A4 on a phone: the whole width
    shot(page, "projector-phone-nojs")
    context.close()
