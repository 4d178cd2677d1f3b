"""In Chromium, with the interface in Tamil chosen from its menu, on a phone and on a desktop:
the banner form's script says why an image is refused in Tamil (a scanner's TIFF, a file over
the size limit), and a campaign's page says in Tamil why its banner could not be made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.screenshots import look

SHOTS = Path(os.environ.get("SCREENSHOTS", "/tmp")) / "reasons"
YAZ = "\u2d63"  # the Amazigh yaz, carried at protests; no bundled font has it


@pytest.fixture(params=[(390, 844), (1366, 900)], ids=["phone", "desktop"])
def tamil(browser, live_server, request):
    """A browser page whose person chose Tamil from the interface menu."""
    page = reader_page(browser, live_server, request.param, "ta")
    page.name = request.node.callspec.id
    yield page
    page.context.close()


def reader_page(browser, base_url: str, viewport: tuple[int, int], ui: str):
    """A new browser's page (its own language English) on which the person chose the
    interface language `ui` from the menu."""
    width, height = viewport
    context = browser.new_context(
        base_url=base_url, viewport={"width": width, "height": height}, locale="en-US"
    )
    page = context.new_page()
    page.goto("/")
    page.click(".ui-languages summary")
    page.click(f".ui-languages a[lang={ui}]")
    expect(page.locator("html")).to_have_attribute("lang", ui)
    return page


def tiff_scan(path: Path) -> Path:
    """An A4 page scanned at 150 DPI, saved as TIFF as scanners do: a format not taken."""
    Image.new("RGB", (1240, 1754), "white").save(path, "TIFF", compression="tiff_lzw")
    return path


def big_png(path: Path) -> Path:
    """A 4000 × 3000 photo exported as PNG: about 36 MB, over the 15 MB an upload may be."""
    Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3)).save(path, "PNG")
    return path


def test_a_refused_image_is_explained_in_tamil(tamil, tmp_path):
    page = tamil
    page.click("#more-options > summary")
    status = page.locator("#image-refusal")
    page.set_input_files("#image", str(tiff_scan(tmp_path / "scan.tif")))
    expect(status).to_have_text(
        "scan.tif-ஐப் பயன்படுத்த முடியாது: TIFF கோப்புகள் ஏற்கப்படாது: JPEG, HEIC, PNG, WebP "
        "அல்லது GIF படத்தைத் தேர்ந்தெடுக்கவும்.",
        timeout=30_000,
    )
    # Shown and announced as the form's other errors are: red, an alert, tied to the field.
    expect(status).to_have_class("errors")
    expect(status).to_have_attribute("role", "alert")
    expect(status).to_have_css("color", "rgb(160, 0, 24)")  # --error, not the hints' grey
    expect(page.locator("#image")).to_have_attribute("aria-invalid", "true")
    assert "image-refusal" in page.locator("#image").get_attribute("aria-describedby").split()
    expect(page.locator("#image-status")).to_have_text("")
    status.scroll_into_view_if_needed()
    look(page, SHOTS / f"{page.name}-tiff.png")
    big = big_png(tmp_path / "photo.png")
    assert big.stat().st_size > 15_000_000
    page.set_input_files("#image", str(big))
    expect(status).to_have_text("photo.png 15 MB-ஐ விடப் பெரியது.", timeout=30_000)
    look(page, SHOTS / f"{page.name}-too-large.png")


def campaign_made(page, slogans: dict[str, str], ends: str, timeout: int) -> None:
    """A campaign of `slogans` (by language) on A6 sent through the form; waits until the
    page says it `ends` (done or failed). The French slogan's ⵣ is in no bundled font."""
    page.goto("/campaigns/new")
    for lang, text in slogans.items():
        page.check(f"#lang-{lang}")
        page.fill(f"#text_{lang}", text)
    for box in page.locator("input[name=sizes]").all():
        box.set_checked(box.get_attribute("value") == "a6")
    page.click("#submit")
    page.wait_for_function(
        f"() => document.getElementById('campaign').dataset.state === {ends!r}",
        polling=100,
        timeout=timeout,
    )


REFUSED_FR = f"Liberté pour les détenus du Rif {YAZ}"


def test_a_refused_campaign_banner_is_explained_in_tamil(tamil):
    page = tamil
    campaign_made(page, {"fr": REFUSED_FR}, "failed", timeout=60_000)
    # Written by the page's script as the banner failed, or by the server on a late arrival.
    expect(page.locator("#campaign-items li.failed")).to_have_text(
        "பிரெஞ்சு (fr) - A6 (105 × 148 மி.மீ.): இந்த எழுத்துகள் எந்த உள்ளிணைந்த எழுத்துருவிலும் "
        "இல்லை: ⵣ (U+2D63). அவற்றை நீக்கவும்."
    )
    zip_failed = "ZIP ஐ உருவாக்க முடியவில்லை: ஒரு பதாகையையும் உருவாக்க முடியவில்லை."
    expect(page.locator(".campaign-progress .alert")).to_have_text(zip_failed)  # no reload
    look(page, SHOTS / f"{page.name}-campaign.png", full_page=True)
    page.reload()
    expect(page.locator(".campaign-progress .alert")).to_have_text(zip_failed)
