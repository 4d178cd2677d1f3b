"""The banner form's image upload in Chromium, on a phone: chosen from the phone's files, sent
at once (the preview shows it), kept by the form, on the banner; and without JavaScript."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from photo_helpers import exiftool_tags, phone_jpeg
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from raster_helpers import colourful_pixels

from poster_app.extensions import db
from poster_app.images import image_bytes
from poster_app.models import Banner
from tests.e2e.screenshots import look

PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("SCREENSHOTS", "/tmp")) / "banner-image"
RED = (212, 0, 0)


def logo_png() -> bytes:
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((20, 20, 380, 380), fill=(*RED, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def red_pixels(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        return sum(
            count
            for count, (r, g, b) in rgb.getcolors(1 << 24) or []
            if r > 180 and g < 60 and b < 60
        )


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def phone(browser, live_server, request):
    context = browser.new_context(
        base_url=live_server,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-US",
        java_script_enabled=request.param,
    )
    page = context.new_page()
    page.js = request.param
    yield page
    context.close()


def test_a_logo_uploaded_on_a_phone_goes_on_the_banner(phone, tmp_path):
    page = phone
    logo = tmp_path / "logo.png"
    logo.write_bytes(logo_png())
    page.goto("/")
    page.fill("#text", "Free them *all*")
    page.click("#more-options > summary")
    page.set_input_files("#image", str(logo))
    page.select_option("#image_position", "top")
    if page.js:
        # Sent at once: the form shows the kept image and the preview draws it.
        page.wait_for_selector("#image-kept:not([hidden])")
        expect(page.locator("#image_id")).to_have_value(re.compile("^[0-9a-f]{64}$"))
        page.locator("#image-choice").scroll_into_view_if_needed()
        look(page, SHOTS / "phone-js-image-chosen.png")
        page.wait_for_selector("#preview-frame:not(.stale) #preview-image:not([hidden])")
        page.evaluate("window.scrollTo(0, 0)")
        look(page, SHOTS / "phone-js-preview.png")
        assert page.input_value("#image") == ""  # the file is not sent a second time
    page.click("#submit")
    page.wait_for_url("**/banners/**")
    look(page, SHOTS / f"phone-{'js' if page.js else 'nojs'}-banner.png")
    png = page.request.get(page.url.split("?")[0] + ".png")
    assert png.ok
    assert red_pixels(png.body()) > 1000  # the logo is on the banner


def test_a_refused_form_shows_the_kept_image_without_javascript(browser, live_server, tmp_path):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    logo = tmp_path / "logo.png"
    logo.write_bytes(logo_png())
    page.goto("/")
    page.set_input_files("#image", str(logo))
    page.click("#submit")  # no slogan: refused
    page.click("#more-options > summary")  # (folded: the error is the slogan's)
    assert page.is_visible("#image-kept-picture")
    assert page.evaluate("document.getElementById('image-kept-picture').naturalWidth") == 400
    page.locator("#image-choice").scroll_into_view_if_needed()
    look(page, SHOTS / "phone-nojs-refused.png")
    page.fill("#text", "Free them all")
    page.click("#submit")
    page.wait_for_url("**/banners/**")
    png = page.request.get(page.url.split("?")[0] + ".png")
    assert red_pixels(png.body()) > 1000
    context.close()


@pytest.mark.parametrize(
    "viewport", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desktop"]
)
def test_a_photo_chosen_without_javascript_survives_an_expired_token(
    browser, tokens_expire, tmp_path, viewport
):
    """No JavaScript: the photo travels with the form. The token has run out when it is sent;
    the page that asks to send it again holds the photo (cleaned), and the banner has it."""
    app, url, leave_open = tokens_expire
    context = browser.new_context(base_url=url, viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    photo = tmp_path / "PXL_20261107_140309.jpg"
    photo.write_bytes(phone_jpeg())  # 12 Mpx, GPS and camera in its EXIF
    page.goto("/")
    page.fill("#text", "Free them all")
    page.click("#more-options > summary")
    page.set_input_files("#image", str(photo))
    leave_open()  # the tab stays open past the token's life
    page.click("#submit")  # cleaning a 12 Mpx photo on a busy machine: seconds
    expect(page.locator("main")).to_contain_text("The image you chose is kept too.", timeout=30_000)
    expect(page.locator("main")).not_to_contain_text("could not be kept")
    held = page.locator('input[name="image_id"]').get_attribute("value")
    assert re.fullmatch("[0-9a-f]{64}", held or "")
    look(page, SHOTS / f"{'phone' if viewport is PHONE else 'desktop'}-nojs-resend.png")

    page.click("button[type=submit]")
    page.wait_for_url("**/banners/**")
    with app.app_context():
        banner = db.session.scalars(db.select(Banner)).one()
        stored = image_bytes(held)
    assert (banner.text, banner.spec.image) == ("Free them all", held)
    (tmp_path / "stored.jpg").write_bytes(stored)
    assert exiftool_tags(tmp_path / "stored.jpg") == {}  # no GPS, no camera
    png = page.request.get(page.url.split("?")[0] + ".png")
    assert colourful_pixels(png.body()) > 10_000  # the photo is on the banner
    context.close()
