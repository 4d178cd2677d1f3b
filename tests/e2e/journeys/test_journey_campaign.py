"""A campaign from a phrase in three languages, run to its ZIP; typed slogans are never replaced
without asking; without JavaScript, Enter makes the campaign instead of pressing "Fill in"."""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile

from playwright.sync_api import expect

from tests.e2e import screenshots
from tests.e2e.journeys.walk import MAGIC, SCREENSHOTS, follow_links, new_context, shoot


def test_run_a_campaign_to_its_zip(visitor, viewport, links):
    page = visitor
    page.goto("/campaigns/new")
    page.fill("#text_en", "Our own words")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    # The question comes once the phrasebook is fetched (asynchronously): wait for it.
    with page.expect_event("dialog"):
        page.select_option("#phrase", "stop-torture")
    expect(page.locator("#text_en")).to_have_value("Our own words")  # kept: they said no
    page.fill("#text_en", "")
    page.select_option("#phrase", "stop-torture")  # nothing typed now: filled without asking
    expect(page.locator("#text_en")).to_have_value("Stop torture")
    assert asked == ["Replace the words you typed with this phrase?"]
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
    sheet = next(archive.read(n) for n in archive.namelist() if n.endswith("contact-sheet.pdf"))
    archive.close()
    assert_captions_apart(sheet)
    if viewport == "phone" and screenshots.WANTED:  # to look at
        SCREENSHOTS.mkdir(exist_ok=True)
        out = SCREENSHOTS / "campaign-4-contact-sheet"
        subprocess.run(
            ["pdftoppm", "-r", "50", "-png", "-singlefile", "-", str(out)], input=sheet, check=True
        )
    follow_links(page, links)


def assert_captions_apart(pdf: bytes) -> None:
    """No two words of the contact sheet overlap (its captions ran into each other)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    boxes = [
        tuple(map(float, m))
        for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', out)
    ]
    for a, b in itertools.combinations(boxes, 2):
        assert (
            min(a[2], b[2]) - max(a[0], b[0]) <= 0.2 or min(a[3], b[3]) - max(a[1], b[1]) <= 0.2
        ), (a, b)


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
    # The banner's label as the page names it (in the interface language: English here).
    expect(page.locator("#campaign-items li")).to_have_text(["English (en) - A4 (210 × 297 mm)"])
    context.close()
