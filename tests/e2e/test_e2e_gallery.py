"""In a real browser: the first editor sets up, records an action with a GPS-tagged photo, and
the stored photo has no metadata; screenshots of the gallery, an action and a banner page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.screenshots import look
from tests.e2e.serving import served
from tests.photo_helpers import SECRET, jpeg_with_metadata, metadata_of
from tests.web_helpers import EDITOR

SCREENSHOTS = "/tmp"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, demo_db, editor_password_hash):
    """The app with the demo actions and banners, CSRF on, on a free local port; its first
    editor is EDITOR, with the hash of EDITOR's password that `Editor.set_password` made once
    per test process (conftest's `editor_password_hash`: the log-in below checks it)."""
    from db_helpers import seed_data_dir

    from poster_app import create_app
    from poster_app.extensions import db
    from poster_app.models import Editor

    data = seed_data_dir(tmp_path_factory.mktemp("gallery"), demo_db)
    app = create_app({"SECRET_KEY": "e2e", "POSTER_DATA_DIR": str(data)})
    with app.app_context():
        # The first editor, as `flask editors add` makes it.
        db.session.add(Editor(name=EDITOR[0], password_hash=editor_password_hash))
        db.session.commit()
    with served(app) as url:
        yield app, url


@pytest.fixture
def site(browser, demo_server):
    app, url = demo_server
    context = browser.new_context(
        base_url=url, viewport={"width": 1280, "height": 900}, locale="en-US"
    )
    yield app, context.new_page()
    context.close()


def log_in(page) -> None:
    """Log in as the demo server's editor."""
    page.goto("/login")
    page.fill("#name", EDITOR[0])
    page.fill("#password", EDITOR[1])
    page.click("#submit")
    page.wait_for_url("**/gallery")
    assert page.get_by_role("button", name="Log out").is_visible()


def test_editor_records_an_action_and_the_photo_loses_its_gps(site):
    app, page = site
    log_in(page)
    page.goto("/actions/new")
    page.fill("#title", "Banner at the embassy gate")
    page.fill("#date", "2020-02-15")
    page.fill("#place", "Kuala Lumpur")
    page.select_option("#country", "MY")
    page.fill("#description", "Hung before dawn.")
    page.set_input_files(
        "#photos",
        files=[{"name": "gate.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_metadata()}],
    )
    page.click("#submit")
    page.wait_for_url(re.compile(r"/actions/\d+$"))
    assert page.locator("h1").inner_text() == "Banner at the embassy gate"
    assert "February 15, 2020" in page.locator("time").inner_text()
    photo = page.locator(".photo-grid img").first
    photo.wait_for()
    # lazy and in flight: wait for the browser to have decoded it before reading its size
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    # The photo's link gives the stored photo itself, 640 px wide; the grid shows it too: its
    # tile is 288 px square here and draws it 384 px wide, more than the 320 px copy has.
    full = page.locator(".photo-grid a").first.get_attribute("href")
    name = full.rsplit("/", 1)[1]
    assert photo.evaluate("img => img.currentSrc").endswith(f"/photos/{name}")
    stored = Path(app.config["POSTER_DATA_DIR"], "photos", name).read_bytes()
    assert metadata_of(stored) == {} and SECRET not in stored and b"Exif" not in stored
    assert page.request.get(full).body() == stored
    shown = page.request.get(photo.evaluate("img => img.currentSrc")).body()
    assert metadata_of(shown) == {} and SECRET not in shown and b"Exif" not in shown
    look(page, f"{SCREENSHOTS}/poster-action-photo-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    look(page, f"{SCREENSHOTS}/poster-action-photo-phone.png", full_page=True)
    page.goto(page.url + "/edit")
    look(page, f"{SCREENSHOTS}/poster-action-form-phone.png", full_page=True)


@pytest.mark.parametrize(("width", "name"), [(390, "phone"), (1280, "desktop")])
def test_gallery_screenshots(browser, demo_server, width, name):
    _app, url = demo_server
    context = browser.new_context(
        base_url=url, viewport={"width": width, "height": 900}, locale="en-US"
    )
    page = context.new_page()
    page.goto("/gallery")
    images = page.locator(".banner-grid img")
    assert images.count() >= 6
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    look(page, f"{SCREENSHOTS}/poster-gallery-{name}.png", full_page=True)
    if width < 640:  # on a phone the filters are folded away
        page.click(".filters-panel > summary")
    page.select_option("#f-lang", "ru")
    page.click("text=Show")
    # The filtered page is a new navigation: count its cards once it is there (count() does not
    # wait, and right after the click the old page or a half-parsed new one may be showing).
    expect(page.locator(".banner-grid img")).to_have_count(1)
    assert "lang=ru" in page.url
    page.goto("/actions")
    look(page, f"{SCREENSHOTS}/poster-actions-{name}.png", full_page=True)
    page.click("text=Children's poster for the Network prisoners")
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    look(page, f"{SCREENSHOTS}/poster-action-{name}.png", full_page=True)
    page.locator(".banner-grid a.card").first.click()
    page.wait_for_url(re.compile(r"/banners/[0-9a-f]{20}$"))
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    look(page, f"{SCREENSHOTS}/poster-kept-banner-{name}.png", full_page=True)
    context.close()
