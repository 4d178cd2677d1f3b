"""Photo uploads as phones send them, with the shipped settings (CSRF on, default limits):
real-size photos are taken, stripped of every bit of metadata, never spooled to disk; what
was typed and the photos that were fine survive a refusal; deleting an action asks first."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from photo_helpers import (
    exiftool_tags,
    heic_photo,
    iphone_jpeg,
    jpeg_with_metadata,
    metadata_of,
    mpo_photo,
    phone_jpeg,
    png_screenshot,
)
from web_helpers import EDITOR, password_checked_once
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from poster_app.extensions import db
from poster_app.models import Action, Editor

FORM = {
    "title": "Banner at the embassy",
    "date": "2026-11-07",
    "place": "Kuala Lumpur",
    "country": "",
}
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def site(make_app, tmp_path, editor_password_hash):
    """The app as shipped (CSRF on, default limits) and a client logged in as an editor."""
    app = make_app(tmp_path / "data", TESTING=False, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.session.add(Editor(name=EDITOR[0], password_hash=editor_password_hash))
        db.session.commit()
    client = app.test_client()
    login = {"name": EDITOR[0], "password": EDITOR[1], "csrf_token": token(client, "/login")}
    with password_checked_once():
        assert client.post("/login", data=login).status_code == 303
    return app, client


def token(client, url: str) -> str:
    return TOKEN.search(client.get(url).get_data(as_text=True))[1]


def send(client, url: str, photos=(), fields=FORM, csrf: str | None = None, **extra):
    """POST the form as a browser does: one multipart body, built in memory."""
    values = {**fields, **extra, "csrf_token": csrf if csrf is not None else token(client, url)}
    values["photos"] = [FileStorage(io.BytesIO(data), name) for name, data in photos]
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def actions(app) -> list[Action]:
    with app.app_context():
        found = db.session.scalars(db.select(Action)).all()
        for action in found:
            action.photos  # noqa: B018  (loaded before the session closes)
        return found


def assert_bare(app, photo) -> None:
    path = Path(app.config["POSTER_DATA_DIR"], photo.file)
    assert exiftool_tags(path) == {}
    assert metadata_of(path.read_bytes()) == {}
    assert b"SECRET-MARKER" not in path.read_bytes()


def test_a_phone_photo_is_taken_and_stored_without_metadata(site):
    app, client = site
    assert len(phone_jpeg()) > 3_000_000  # as phones make them, far over the site's 64 KB
    response = send(client, "/actions/new", [("PXL_20261107_140309.jpg", phone_jpeg())])
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    [action] = actions(app)
    [photo] = action.photos
    assert (photo.width, photo.height) == (2560, 1920)
    assert_bare(app, photo)


def test_photos_are_added_when_editing_the_action(site):
    app, client = site
    assert send(client, "/actions/new").status_code == 303
    [action] = actions(app)
    url = f"/actions/{action.id}/edit"
    response = send(client, url, [("IMG_0042.jpg", iphone_jpeg()), ("shot.png", png_screenshot())])
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    [action] = actions(app)
    upright, screenshot = action.photos
    assert (upright.width, upright.height) == (1920, 2560)  # turned by its EXIF orientation
    assert (screenshot.width, screenshot.height) == (1170, 2532)  # never scaled up
    for photo in action.photos:
        assert_bare(app, photo)


@pytest.mark.parametrize(
    ("name", "make"), [("IMG_0043.HEIC", heic_photo), ("DSCF0001.MPO", mpo_photo)]
)
def test_heic_and_mpo_photos_are_taken_and_stripped(site, name, make):
    app, client = site
    response = send(client, "/actions/new", [(name, make())])
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    [photo] = actions(app)[0].photos
    assert photo.file.endswith(".jpg")
    assert_bare(app, photo)


def test_a_stranger_cannot_make_the_server_read_a_photo_sized_body(site):
    app, _client = site
    stranger = app.test_client()
    response = send(stranger, "/actions/new", [("a.jpg", phone_jpeg())], csrf="")
    assert response.status_code == 413  # refused before the body is read
    assert actions(app) == []


def test_uploads_are_never_spooled_to_disk(site, monkeypatch):
    """Werkzeug writes uploaded files over 500 KB to a temporary file; the original photo,
    GPS and all, must not touch the disk."""
    import werkzeug.formparser

    def no_disk(*args, **kwargs):
        raise AssertionError("an upload went to a temporary file")

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", no_disk)
    app, client = site
    response = send(client, "/actions/new", [("PXL.jpg", phone_jpeg())])
    assert response.status_code == 303


def test_a_refused_photo_keeps_the_good_ones_and_every_field(site):
    app, client = site
    fields = {**FORM, "description": "Hung before dawn.", "country": "MY"}
    photos = [("good.jpg", jpeg_with_metadata()), ("notes.txt", b"not a photo at all")]
    response = send(client, "/actions/new", photos, fields=fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "notes.txt can&#39;t be used" in html
    for value in ("Banner at the embassy", "2026-11-07", "Kuala Lumpur", "Hung before dawn."):
        assert value in html
    assert '<option selected value="MY">' in html
    kept = re.findall(r'name="kept_photo" value="([0-9a-f]{64}\.jpg)"', html)
    assert len(kept) == 1 and "These 1 photos" not in html
    assert actions(app) == []
    # Sent again as the page now is (the good photo carried, nothing chosen): saved with it.
    response = send(client, "/actions/new", fields=fields, kept_photo=kept[0])
    assert response.status_code == 303
    [action] = actions(app)
    assert [p.file for p in action.photos] == [f"photos/{kept[0]}"]
    assert (action.photos[0].width, action.photos[0].height) == (640, 480)


def test_a_refused_field_keeps_the_photos(site):
    app, client = site
    response = send(client, "/actions/new", [("good.jpg", jpeg_with_metadata())], title="")
    assert response.status_code == 422
    assert re.search(
        r'name="kept_photo" value="[0-9a-f]{64}\.jpg"', response.get_data(as_text=True)
    )


def test_kept_photos_must_be_stored_photos(site):
    app, client = site
    # A photo's name the database does not hold (never, or no longer: held for a day): the
    # form comes back saying so, not saved without it. A name that is no photo's is no file.
    response = send(client, "/actions/new", kept_photo=["../../secret_key", "f" * 64 + ".jpg"])
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "One photo you chose could not be kept" in page and "secret_key" not in page
    assert actions(app) == []
    response = send(client, "/actions/new", kept_photo=["../../secret_key"])
    assert response.status_code == 303
    assert actions(app)[0].photos == []


def test_too_many_photos_is_a_message_that_keeps_the_form(site):
    app, client = site
    photos = [(f"p{n}.jpg", jpeg_with_metadata((64, 48))) for n in range(11)]
    response = send(client, "/actions/new", photos)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "At most 10 photos at a time." in html and "Kuala Lumpur" in html


def test_deleting_an_action_asks_first_and_says_what_goes(site):
    app, client = site
    send(client, "/actions/new", [("a.jpg", jpeg_with_metadata()), ("b.png", png_screenshot())])
    [action] = actions(app)
    page = client.get(f"/actions/{action.id}")
    assert f'href="/actions/{action.id}/delete"' in page.get_data(as_text=True)
    confirm = client.get(f"/actions/{action.id}/delete")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "Its 2 photos are deleted with it" in html and "stay in the gallery" in html
    assert len(actions(app)) == 1  # asking deleted nothing
    files = [Path(app.config["POSTER_DATA_DIR"], p.file) for p in action.photos]
    response = client.post(
        f"/actions/{action.id}/delete", data={"csrf_token": TOKEN.search(html)[1]}
    )
    assert response.status_code == 303
    assert actions(app) == [] and not any(f.exists() for f in files)
