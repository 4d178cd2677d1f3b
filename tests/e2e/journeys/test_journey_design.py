"""Issue 13's journey: a themed banner with an emphasised word, a symbol from the picker, an
uploaded logo and a QR code, made on the real server (CSRF on) at phone and desktop size, with
and without JavaScript; its PDF checked with poppler: no `*` in its text, the logo embedded
(pdfimages), the QR code read back from pdftoppm's raster with zxing-cpp."""

from __future__ import annotations

import re
import subprocess

import pytest
from PIL import Image

from tests.e2e.journeys.walk import press_make, shoot, wait_for_preview

QR_URL = "https://example.org/free-them"
FIST = "\u270a"
LOGO_SIZE = (480, 480)


@pytest.fixture
def logo(tmp_path):
    """A group's logo as people have one: a PNG with a transparent ground."""
    from PIL import ImageDraw

    image = Image.new("RGBA", LOGO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 460, 460), fill=(200, 16, 46, 255))
    draw.polygon(
        [
            (240, 70),
            (290, 200),
            (420, 200),
            (315, 280),
            (355, 410),
            (240, 330),
            (125, 410),
            (165, 280),
            (60, 200),
            (190, 200),
        ],
        fill=(255, 255, 255, 255),
    )
    path = tmp_path / "logo.png"
    image.save(path)
    return path


def check_logo(path) -> None:
    """The PDF embeds the logo once, at its own resolution."""
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    rows = [line.split() for line in listing.stdout.splitlines()[2:]]
    sizes = [(int(row[3]), int(row[4])) for row in rows if row[2] == "image"]
    assert sizes == [LOGO_SIZE], listing.stdout


def check_pdf(path, tmp_path, words: str) -> None:
    """The PDF says the words (no marks), and its QR code reads back from a raster of it."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "*" not in text
    assert words in " ".join(text.split()), text
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), str(tmp_path / "page")], check=True)
    zxingcpp = pytest.importorskip("zxingcpp")
    (raster,) = sorted(tmp_path.glob("page*.png"))
    with Image.open(raster) as image:
        assert [r.text for r in zxingcpp.read_barcodes(image)] == [QR_URL]


def download_pdf(page, tmp_path):
    with page.expect_download() as info:
        page.locator("#download-pdf").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert "*" not in info.value.suggested_filename
    return path


def test_a_themed_banner_with_emphasis_a_symbol_a_logo_and_a_qr_code(
    visitor, viewport, tmp_path, logo
):
    page = visitor
    page.goto("/")
    page.select_option("#lang", "en")
    page.fill("#text", "Free *them* all")
    wait_for_preview(page)
    page.click("#more-options > summary")
    page.wait_for_function("() => document.getElementById('banner-form').dataset.swatches")
    page.click("label:has(input[name=theme][value=bars])")

    # The symbol goes at the end of the slogan, where the cursor is.
    page.focus("#text")
    page.press("#text", "End")
    page.click(f"button.symbol:text-is('{FIST}')")
    assert page.input_value("#text") == f"Free *them* all {FIST}"

    # The logo goes up as soon as it is chosen; the preview shows it.
    page.set_input_files("#image", str(logo))
    page.wait_for_function("() => document.getElementById('image_id').value")
    page.fill("#qr", QR_URL)
    page.fill("#qr_caption", "example.org")
    wait_for_preview(page)
    shoot(page, "design-1-form")
    press_make(page)
    assert page.locator("blockquote.slogan").inner_text() == f"Free them all {FIST}"
    assert "*" not in page.title()
    shoot(page, "design-2-page")

    pdf = download_pdf(page, tmp_path)
    check_pdf(pdf, tmp_path, "Free them all")
    check_logo(pdf)

    # The projector view shows the same banner, alone on black.
    page.click("#projector-link")
    # The click only starts the navigation: until the projector page has come, the banner
    # page has no #projector-image (run 9 of ten read .complete of null).
    page.wait_for_url(re.compile(r"/banners/[0-9a-f]{20}/projector$"))
    page.wait_for_function(
        "() => { const i = document.getElementById('projector-image');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert page.locator("header.site").count() == 0
    shoot(page, "design-3-projector")


def test_without_javascript_the_design_options_post_and_work(browser, instance, tmp_path, logo):
    from tests.e2e.journeys.walk import new_context

    context = new_context(browser, instance, "phone", java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.select_option("#lang", "en")
    page.fill("#text", f"Free *them* all (A) {FIST}")
    page.click("#more-options > summary")
    page.check("input[name=theme][value=diagonal]")
    page.check("input[name=accent][value=yellow]")
    page.check("input[name=symbols]")
    page.fill("#qr", QR_URL)
    page.set_input_files("#image", str(logo))  # goes with the form
    shoot(page, "design-nojs-1-form")
    page.click("#submit")
    page.wait_for_url(re.compile(r"/banners/[0-9a-f]{20}$"))
    assert page.locator("blockquote.slogan").inner_text() == f"Free them all \u24b6 {FIST}"
    shoot(page, "design-nojs-2-page")
    pdf = download_pdf(page, tmp_path)
    check_pdf(pdf, tmp_path, "Free them all")
    check_logo(pdf)
    context.close()
