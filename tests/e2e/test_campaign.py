"""In a real browser: a phrase fills the banner form; a campaign of 12 languages × 2 sizes
shows its progress and downloads as one ZIP holding every file."""

from __future__ import annotations

import re
import zipfile

from playwright.sync_api import expect

from poster_app import phrasebook
from tests.e2e.screenshots import look
from tests.e2e.test_e2e_banner import wait_for_preview

SCREENSHOTS = "/tmp"
PHRASE = "political-prisoners"
SIZES = ("a4", "square-1080px")
# Every text the progress line shows, from now until the end, recorded in the page itself:
# reading it from the test every 50 ms took ~120 round trips to the browser per campaign.
RECORD_PROGRESS = """() => {
  const text = document.getElementById('progress-text');
  window.progressSeen = [text.innerText];
  new MutationObserver(() => window.progressSeen.push(text.innerText))
    .observe(text, {childList: true, characterData: true, subtree: true});
}"""


def test_choosing_a_phrase_fills_the_slogan_and_the_other_language(page):
    page.goto("/")
    page.fill("#lang-filter", "russ")
    page.select_option("#lang", "ru")
    page.click("#more-options > summary")
    page.select_option("#also_lang_1", "tpi")
    assert page.locator("#phrase-fill").count() == 0  # JS fills; the button is for no-JS
    page.wait_for_selector("#phrase[data-ready]", state="attached")  # the phrasebook is fetched
    page.select_option("#phrase", "stop-torture")
    # The phrase is filled in once the phrasebook's promise resolves: wait for the outcome.
    expect(page.locator("#text")).to_have_value("Нет пыткам")
    expect(page.locator("#also_text_1")).to_have_value("")  # no Tok Pisin translation: no guess
    note = page.locator("#phrase-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("no translation in Tok Pisin")
    page.select_option("#phrase", PHRASE)
    expect(page.locator("#also_text_1")).to_have_value("Larim ol kalabus bilong politik i go fri")
    expect(note).to_be_hidden()
    wait_for_preview(page)
    page.select_option("#also_lang_1", "ar")  # the row follows its language
    expect(page.locator("#also_text_1")).to_have_value("الحرية للمعتقلين السياسيين")
    wait_for_preview(page)
    look(page, f"{SCREENSHOTS}/poster-form-phrase-desktop.png", full_page=True)
    page.click("#submit")
    page.wait_for_url("**/banners/*")


def test_a_campaign_of_12_languages_and_2_sizes(page, browser, live_server, tmp_path):
    langs = [lang for lang in phrasebook.languages() if phrasebook.translate(PHRASE, lang)][:12]
    assert len(langs) == 12
    page.goto("/campaigns/new")
    page.wait_for_selector("#phrase[data-ready]", state="attached")
    page.select_option("#phrase", PHRASE)
    expect(page.locator("#text_ru")).to_have_value("Свободу политзаключённым")
    for lang in langs:
        page.check(f"#lang-{lang}")
    for box in page.locator("input[name=sizes]").all():
        box.set_checked(box.get_attribute("value") in SIZES)
    look(page, f"{SCREENSHOTS}/poster-campaign-form-desktop.png", full_page=True)

    page.click("#submit")
    page.wait_for_url(re.compile(r".*/campaigns/[0-9a-f]{20}$"))
    page.evaluate(RECORD_PROGRESS)
    page.wait_for_function(
        "() => document.getElementById('campaign').dataset.state === 'done'",
        polling=100,
        timeout=60_000,
    )
    seen = page.evaluate("window.progressSeen")
    final = page.inner_text("#progress-text")
    assert final.startswith("24 of 24 done")
    assert re.match(r"\d+ of 24 done", seen[0]) and seen[0] != final, seen[:3]
    assert page.locator("#campaign-items li.done").count() == 24
    # The built banners are gallery rows now: the page shows their grid without a reload.
    assert page.locator("#campaign-banners .campaign-grid > li").count() == 24
    assert not page.locator("#campaign-items li.done").first.is_visible()
    look(page, f"{SCREENSHOTS}/poster-campaign-desktop.png", full_page=True)

    with page.expect_download() as info:
        page.click("#download-zip")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = {name.split("/", 1)[1] for name in archive.namelist()}
    wanted = {f"{lang}-{size}.{ext}" for lang in langs for size in SIZES for ext in ("png", "pdf")}
    assert names == wanted | {"contact-sheet.pdf"}

    phone = browser.new_context(
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        locale="en-US",
    )
    small = phone.new_page()
    small.goto(page.url)
    small.wait_for_function("document.getElementById('campaign').dataset.state === 'done'")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    look(small, f"{SCREENSHOTS}/poster-campaign-phone.png", full_page=True)
    small.goto("/campaigns/new")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    look(small, f"{SCREENSHOTS}/poster-campaign-form-phone.png", full_page=True)
    phone.close()
