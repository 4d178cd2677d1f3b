"""An editor whose log-in ended while an action's form was open, a phone photo chosen without
JavaScript: the body is over the site's limit for someone not logged in, and the page says the
log-in ended (not "Too much at once"), in the interface language, keeps what was typed, and
after logging in on it the action is saved. Shipped settings, real server, Chromium."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from photo_helpers import phone_jpeg
from playwright.sync_api import expect

from poster_app.extensions import db
from poster_app.models import Action, Editor, Login
from tests.e2e.screenshots import look
from tests.e2e.serving import e2e_app, served
from tests.web_helpers import EDITOR

SHOTS = Path(os.environ.get("SCREENSHOTS", "/tmp")) / "login-ended"
SCREENS = {  # a phone in Spanish, a desktop in English
    "phone": ({"width": 390, "height": 844}, "es-ES"),
    "desktop": ({"width": 1280, "height": 900}, "en-US"),
}
SAID = {
    "es-ES": (
        "Tu sesión ha terminado. Entra de nuevo para enviar lo que escribiste.",
        "No se pudo guardar 1 foto que elegiste: añádela de nuevo después.",
        "Has entrado de nuevo. Pulsa el botón para enviar lo que escribiste.",
    ),
    "en-US": (
        "Your log-in has ended. Log in again to send what you typed.",
        "One photo you chose could not be kept: add it again afterwards.",
        "You are logged in again. Press the button to send what you typed.",
    ),
}
DESCRIPTION = "We stood at the gate for two hours. The guards took photos of us."


@pytest.fixture
def server(tmp_path, migrated_db, editor_password_hash):
    """The app as shipped, with its editor anna: the app and its URL."""
    app = e2e_app(tmp_path / "data", migrated_db)
    with app.app_context():
        db.session.add(Editor(name=EDITOR[0], password_hash=editor_password_hash))
        db.session.commit()
    with served(app) as url:
        yield app, url


@pytest.mark.parametrize("screen", SCREENS)
def test_a_phone_photo_sent_after_the_log_in_ended(browser, server, tmp_path, screen):
    app, url = server
    viewport, locale = SCREENS[screen]
    ended, lost, again = SAID[locale]
    context = browser.new_context(
        base_url=url, viewport=viewport, locale=locale, java_script_enabled=False
    )
    page = context.new_page()
    photo = tmp_path / "PXL_20260308_181502.jpg"
    photo.write_bytes(phone_jpeg())  # 12 Mpx, 3-5 MB: far over the 64 KB of a visitor
    page.goto("/login?next=/actions/new")
    page.fill("#name", EDITOR[0])
    page.fill("#password", EDITOR[1])
    page.click("#submit")
    page.wait_for_url("**/actions/new")
    page.fill("#title", "Vigil at the embassy")
    page.fill("#date", "2026-03-08")
    page.fill("#place", "Port Moresby")
    page.select_option("#country", "PG")
    page.fill("#description", DESCRIPTION)
    page.set_input_files("#photos", str(photo))
    with app.app_context():  # a day and more goes by before "Save" is pressed
        login = db.session.scalars(db.select(Login)).one()
        login.seen_at -= timedelta(hours=25)
        db.session.commit()
    page.click("#submit")

    main = page.locator("main")
    expect(main).to_contain_text(ended)
    expect(main).to_contain_text(lost)
    look(page, SHOTS / f"{screen}-ended.png", full_page=True)
    page.fill("#name", EDITOR[0])
    page.fill("#password", EDITOR[1])
    page.locator("main form button[type=submit]").click()
    expect(main).to_contain_text(again)
    look(page, SHOTS / f"{screen}-again.png", full_page=True)
    page.locator("main form button[type=submit]").click()  # "Send again"

    page.wait_for_url("**/actions/*")
    expect(page.locator("h1")).to_contain_text("Vigil at the embassy")
    expect(main).to_contain_text(DESCRIPTION)
    look(page, SHOTS / f"{screen}-saved.png", full_page=True)
    with app.app_context():
        saved = db.session.scalars(db.select(Action)).one()
        assert (saved.place, saved.description, saved.photos) == ("Port Moresby", DESCRIPTION, [])
    context.close()
