"""In a real browser: type a slogan, watch the preview, make the banner, download the PDF."""

from __future__ import annotations

import io
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from tests.e2e.screenshots import look
from tests.web_helpers import squeeze

SCREENSHOTS = "/tmp"


def fill_slogan(page, text: str, lang_search: str, lang: str):
    """Open the form, choose the language, type the slogan; the form page's response."""
    response = page.goto("/")
    page.fill("#lang-filter", lang_search)
    page.select_option("#lang", lang)
    page.fill("#text", text)
    wait_for_preview(page)
    return response


def wait_for_preview(page, timeout: float = 15_000) -> None:
    """Wait until the latest preview request has answered and the image shows.

    Checked every 100 ms: a preview comes after the form's pause (250 ms) and a render, and
    the default check at every animation frame kept the page's renderer busy 60 times a
    second for that long (the CPU of the browser tests, not their outcome)."""
    page.wait_for_function(
        "() => { const f = document.getElementById('banner-form');"
        " const img = document.getElementById('preview-image');"
        " return f.dataset.previewSeq && !img.hidden && img.complete && img.naturalWidth > 0"
        " && !document.getElementById('preview-frame').classList.contains('stale'); }",
        polling=100,
        timeout=timeout,
    )


def preview_of(url: str) -> str | None:
    """The slogan a preview request asks for (None: not a preview request)."""
    parts = urlsplit(url)
    return parse_qs(parts.query).get("text", [None])[0] if parts.path == "/preview.png" else None


def download_pdf(page, tmp_path) -> str:
    with page.expect_download() as info:
        page.click("#download-pdf")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.mark.parametrize(
    ("text", "search", "lang", "filename"),
    [
        ("Свободу анархистам", "russ", "ru", "svobodu-anarkhistam-ru-a4.pdf"),
        ("الحرية للجميع", "arab", "ar", None),
    ],
)
def test_make_a_banner_and_download_the_pdf(page, tmp_path, text, search, lang, filename):
    fill_slogan(page, text, search, lang)
    preview = page.locator("#preview-image")
    assert preview.evaluate("img => img.naturalWidth") >= 300
    assert page.locator("#text").get_attribute("dir") == "auto"
    look(page, f"{SCREENSHOTS}/poster-form-{lang}-desktop.png", full_page=True)

    page.click("#submit")
    page.wait_for_url("**/banners/*")
    assert page.locator(".banner-image").evaluate("img => img.complete && img.naturalWidth") > 0
    with page.expect_download() as info:
        page.click("#download-pdf")
    if filename:
        assert info.value.suggested_filename == filename
    text_in_pdf = download_pdf(page, tmp_path)
    assert squeeze(text) in squeeze(text_in_pdf)


def test_stale_previews_are_ignored(page):
    """Type fast: the image shown at the end is the preview of the final text."""
    page.goto("/")
    page.select_option("#lang", "en")
    # Until the form's pause after the last key has passed, an earlier answer can be the one
    # shown and nothing is stale yet: wait until the final text's preview has been asked for.
    with page.expect_response(lambda r: preview_of(r.url) == "NO WAR BUT CLASS WAR"):
        page.locator("#text").press_sequentially("NO WAR BUT CLASS WAR", delay=20)
    wait_for_preview(page)
    shown = page.locator("#preview-image").get_attribute("alt")
    assert shown.endswith("NO WAR BUT CLASS WAR")


def test_errors_show_without_a_page_load(page):
    page.goto("/")
    page.fill("#text", "ok \U000f0001")
    page.wait_for_selector("#preview-status.error")
    assert "No bundled font" in page.locator("#preview-status").inner_text()


def test_contrast_warning_follows_the_colours(page):
    page.goto("/")
    warning = page.locator("#contrast-warning")
    assert warning.is_hidden()
    page.click("#more-options > summary")
    page.check("input[name=colours][value=red-on-black]")
    assert warning.is_visible()
    page.check("input[name=colours][value=custom]")
    page.locator("#fg").fill("#777777")
    page.locator("#bg").fill("#888888")
    assert warning.is_visible() and "1.3:1" in warning.inner_text()


def test_switch_the_ui_language(page):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Make a banner"
    page.click("nav.ui-languages summary")
    page.click("nav.ui-languages a[lang=ru]")
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Сделать баннер"
    assert page.locator("html").get_attribute("lang") == "ru"
    page.goto("/")  # remembered
    assert page.locator("#submit").input_value() == "Сделать баннер"
    page.click("nav.ui-languages summary")
    page.click("nav.ui-languages a[lang=zh]")
    assert page.locator("h1").inner_text() == "制作横幅"


def test_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.fill("#text", "Liberté")
    page.select_option("#lang", "fr")
    page.click("#submit")
    page.wait_for_url("**/banners/*")
    assert page.locator("blockquote.slogan").inner_text() == "Liberté"
    context.close()


def ink_in(shot: bytes, box: dict, scale: float) -> tuple[float, float]:
    """The share of dark and of light pixels inside `box` (CSS px) of a screenshot."""
    with Image.open(io.BytesIO(shot)) as image:
        crop = image.convert("L").crop(
            tuple(
                round(v * scale)
                for v in (box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"])
            )
        )
    counts = crop.histogram()
    return sum(counts[:80]) / sum(counts), sum(counts[201:]) / sum(counts)


@pytest.mark.parametrize(("width", "name"), [(390, "phone"), (1280, "desktop")])
def test_screenshots(browser, live_server, width, name):
    """Screenshots to look at (/tmp/poster-form-*.png, /tmp/poster-banner-*.png): the form with
    its preview and the banner page, each fitting the screen's width with the slogan drawn."""
    scale = 2 if name == "phone" else 1
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 844},
        device_scale_factor=scale,
        locale="ru-RU",
    )
    page = context.new_page()
    fill_slogan(page, "Свободу\nанархистам", "рус", "ru")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    shot = page.screenshot(path=f"{SCREENSHOTS}/poster-form-{name}.png", full_page=True)
    preview = page.locator("#preview-image").bounding_box()
    assert preview["width"] >= 120 and 0 <= preview["x"] <= width - preview["width"]
    dark, light = ink_in(shot, preview, scale)  # black letters on white
    assert 0.03 < dark < 0.6 and light > 0.3, (dark, light)

    page.click("#submit")
    page.wait_for_url("**/banners/*")
    page.locator(".banner-image").evaluate("img => img.decode()")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot = page.screenshot(path=f"{SCREENSHOTS}/poster-banner-{name}.png", full_page=True)
    banner = page.locator(".banner-image").bounding_box()
    assert banner["x"] >= 0 and banner["x"] + banner["width"] <= width
    dark, light = ink_in(shot, banner, scale)
    assert 0.03 < dark < 0.6 and light > 0.3, (dark, light)
    assert "Русский" in page.locator("main").inner_text()
    context.close()
