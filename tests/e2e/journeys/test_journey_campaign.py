"""A campaign from a phrase in three languages, run to its ZIP; typed slogans are never replaced
without asking; without JavaScript, Enter makes the campaign instead of pressing "Fill in"."""

from __future__ import annotations

import re
import zipfile

from tests.e2e.journeys.walk import MAGIC, follow_links, new_context, shoot


def test_run_a_campaign_to_its_zip(visitor, viewport, links):
    page = visitor
    page.goto("/campaigns/new")
    page.fill("#text_en", "Our own words")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.select_option("#phrase", "stop-torture")
    assert asked and page.input_value("#text_en") == "Our own words"  # kept: they said no
    page.fill("#text_en", "")
    page.select_option("#phrase", "stop-torture")  # nothing typed now: filled without asking
    assert len(asked) == 1 and page.input_value("#text_en") == "Stop torture"
    for tag in ("en", "ru", "ar"):
        page.check(f"#lang-{tag}")
    page.uncheck("input[name=sizes][value=a3]")
    page.check("input[name=sizes][value=square-1080px]")
    # Each viewport its own banners: a banner made by an earlier campaign stays with that one.
    page.select_option("#colours", "black-on-white" if viewport == "phone" else "white-on-red")
    shoot(page, "campaign-1-form")
    page.get_by_role("button", name="Make all the banners").click()
    page.wait_for_url(re.compile(r"/campaigns/[0-9a-f]{20}$"))
    shoot(page, "campaign-2-working")
    page.locator("#download-zip").wait_for(state="visible", timeout=180_000)
    page.locator("#campaign-records .campaign-grid").wait_for()
    shoot(page, "campaign-3-done")
    with page.expect_download() as info:
        page.locator("#download-zip").click()
    archive = zipfile.ZipFile(info.value.path())
    names = sorted(name.split("/", 1)[1] for name in archive.namelist())
    expected = {
        f"{tag}-{size}.{ext}"
        for tag in ("en", "ru", "ar")
        for size in ("a4", "square-1080px")
        for ext in ("png", "pdf")
    }
    assert set(names) == expected | {"contact-sheet.pdf"}
    for name in archive.namelist():
        kind = "application/pdf" if name.endswith(".pdf") else "image/png"
        assert archive.read(name).startswith(MAGIC[kind]), name
    archive.close()
    follow_links(page, links)


def test_without_javascript_enter_makes_the_campaign_and_keeps_the_edited_slogan(
    browser, instance, viewport
):
    context = new_context(browser, instance, viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto("/campaigns/new")
    page.select_option("#phrase", "stop-torture")
    page.get_by_role("button", name="Fill in").click()
    assert page.input_value("#text_en") == "Stop torture"
    page.check("#lang-en")
    page.uncheck("input[name=sizes][value=a3]")
    page.fill("#text_en", "Stop torture now")
    page.press("#text_en", "Enter")
    page.wait_for_url(re.compile(r"/campaigns/[0-9a-f]{20}$"))
    shoot(page, "campaign-nojs-started")
    assert page.locator("#campaign-items li").first.inner_text().startswith("English (en)")
    context.close()
