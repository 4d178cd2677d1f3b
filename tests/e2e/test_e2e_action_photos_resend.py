"""An action's photo chosen in Chromium without JavaScript (it travels with the form) when the
form's token has run out: the page that asks to send it again holds the photo, cleaned, and
one tap adds it to the action. On a phone and on a desktop, with the shipped settings."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from photo_helpers import exiftool_tags, phone_jpeg
from playwright.sync_api import expect
from raster_helpers import colourful_pixels

from poster_app import blobs
from poster_app.extensions import db
from poster_app.models import Action, Editor
from tests.e2e.screenshots import look
from tests.web_helpers import EDITOR

SHOTS = Path(os.environ.get("SCREENSHOTS", "/tmp")) / "action-photos-resend"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def recorded(tokens_expire, editor_password_hash):
    """A server, its editor anna and an action recorded without photos: the app, its URL,
    the action's id and the call that leaves the tab open past its token."""
    app, url, leave_open = tokens_expire
    with app.app_context():
        db.session.add(Editor(name=EDITOR[0], password_hash=editor_password_hash))
        action = Action(title="Vigil at the embassy", year=2026, month=3, day=8, place="Lae")
        db.session.add(action)
        db.session.commit()
        return app, url, action.id, leave_open


def loaded_width(page, selector: str) -> int:
    """The natural width of the first image `selector` finds, once it has loaded (the page
    runs no script: the test asks until it has)."""
    script = f"(img => img.complete ? img.naturalWidth : -1)(document.querySelector({selector!r}))"
    for _ in range(300):
        if (width := page.evaluate(script)) >= 0:
            return width
        time.sleep(0.1)
    raise AssertionError(f"{selector} did not load in 30 s")


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_a_photo_added_without_javascript_survives_an_expired_token(
    browser, recorded, tmp_path, screen
):
    app, url, action_id, leave_open = recorded
    context = browser.new_context(
        base_url=url, viewport=VIEWPORTS[screen], locale="en-US", java_script_enabled=False
    )
    page = context.new_page()
    photo = tmp_path / "PXL_20260308_181502.jpg"
    photo.write_bytes(phone_jpeg())  # 12 Mpx, GPS and camera in its EXIF
    page.goto(f"/login?next=/actions/{action_id}/edit")
    page.fill("#name", EDITOR[0])
    page.fill("#password", EDITOR[1])
    page.click("#submit")
    page.wait_for_url(f"**/actions/{action_id}/edit")
    page.set_input_files("#photos", str(photo))
    leave_open()  # the tab stays open past the token's life
    page.click("#submit")  # cleaning a 12 Mpx photo on a busy machine: seconds
    main = page.locator("main")
    expect(main).to_contain_text("The photo you chose is kept too.", timeout=30_000)
    expect(main).not_to_contain_text("could not be kept")
    expect(page.locator(".held-photos img")).to_be_visible()
    assert loaded_width(page, ".held-photos img") == 320  # its display copy
    held = page.locator('input[name="kept_photo"]').get_attribute("value") or ""
    assert re.fullmatch("[0-9a-f]{64}[.]jpg", held)
    look(page, SHOTS / f"{screen}-resend.png", full_page=True)

    page.get_by_role("button", name="Send again").click()  # the one tap
    page.wait_for_url(f"**/actions/{action_id}")
    shown = page.locator(".photo-grid img").first
    expect(shown).to_be_visible()
    shown.scroll_into_view_if_needed()
    assert loaded_width(page, ".photo-grid img") > 0
    assert colourful_pixels(shown.screenshot()) > 5_000  # the photo is drawn on the page
    look(page, SHOTS / f"{screen}-action.png", full_page=True)
    with app.app_context():
        [kept] = db.session.get(Action, action_id).photos
        stored = blobs.read(kept.file)
    assert kept.file == f"photos/{held}" and stored
    (tmp_path / "stored.jpg").write_bytes(stored)
    assert exiftool_tags(tmp_path / "stored.jpg") == {}  # no GPS, no camera
    context.close()
