"""CSRF tokens expire and sessions end, but a form left open a while loses nothing: it comes
back on a page that sends it again with all that was typed (after logging in again on that
page, if the log-in ended). With CSRF on, as shipped."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from db_helpers import seed_data_dir
from photo_helpers import SECRET, exiftool_tags, jpeg_with_metadata, metadata_of, phone_jpeg
from PIL import Image
from web_helpers import EDITOR, BufferedClient, password_checked_once
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from poster_app import blobs
from poster_app.extensions import db
from poster_app.images import image_bytes
from poster_app.models import Action, Banner, Editor, Login, StoredFile, utcnow
from poster_app.photos import DISPLAY_WIDTHS
from poster_app.storage import photo_store

SLOGAN = "Нет пыткам — a slogan typed with care"
DESCRIPTION = "We stood at the gate for two hours.\nThe guards took photos of us."


@pytest.fixture
def make_app(tmp_path, migrated_db):
    """Apps with the shipped settings (CSRF on), their data dir a copy of conftest's migrated
    template: the tables the migrations would make at start-up, made once per process."""
    from poster_app import create_app

    def make(**config):
        data = seed_data_dir(tmp_path / "d", migrated_db)
        return create_app(
            {"TESTING": True, "SECRET_KEY": "k", "POSTER_DATA_DIR": str(data), **config}
        )

    return make


@pytest.fixture(autouse=True)
def _password_checked_once():
    """Forms that survive a log-in are tested here, not passwords: each (hash, password) pair
    is checked with scrypt once per process (0.3 s of CPU each), with the same answer."""
    with password_checked_once():
        yield


def token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


def form_of(page: str) -> tuple[str, list[tuple[str, str]]]:
    """The resend page's form: its action and its hidden fields (not the log-out button's)."""
    main = page[page.index('<main id="main">') :]
    form = re.search(
        r'<form method="post"(?: action="([^"]+)")?[^>]*>(.*?)</form>', main, re.DOTALL
    )
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[2])
    return html.unescape(form[1] or ""), [(html.unescape(k), html.unescape(v)) for k, v in fields]


BANNER_FORM = {
    "text": SLOGAN,
    "lang": "ru",
    "size": "a4",
    "style": "fill",
    "family": "sans",
    "colours": "black-on-white",
}


def test_a_form_left_open_past_its_token_is_sent_again_as_typed(make_app, leave_pages_open):
    app = make_app()
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    leave_pages_open(app)
    response = client.post("/", data={**BANNER_FORM, "csrf_token": token(page)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "open for a long time" in page and "Nothing you typed is lost" in page
    action, fields = form_of(page)
    assert action == "/" and ("text", SLOGAN) in fields
    response = client.post(action, data=MultiDict(fields))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(db.select(Banner.text)).one() == SLOGAN


def test_a_token_of_another_session_gets_no_such_page(make_app, leave_pages_open):
    app = make_app()
    attacker, victim = app.test_client(), app.test_client()
    stale = token(attacker.get("/").get_data(as_text=True))
    victim.get("/")
    leave_pages_open(app)
    response = victim.post("/", data={**BANNER_FORM, "csrf_token": stale})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "CSRF" in page and "Send again" not in page


def editor_in(app, password_hash: str) -> None:
    """anna, with conftest's hash of her password (made once per process by set_password)."""
    with app.app_context():
        person = Editor(name=EDITOR[0], password_hash=password_hash)
        db.session.add(person)
        db.session.commit()


def log_in(client, page_url="/login"):
    page = client.get(page_url).get_data(as_text=True)
    response = client.post(
        page_url,
        data={"name": "anna", "password": "correct horse battery", "csrf_token": token(page)},
    )
    assert response.status_code == 303


def test_an_action_typed_while_the_log_in_ended_is_not_lost(make_app, editor_password_hash):
    app = make_app()
    editor_in(app, editor_password_hash)
    client = app.test_client()
    log_in(client)
    page = client.get("/actions/new").get_data(as_text=True)
    with app.app_context():  # a day and more goes by before "Save" is pressed
        login = db.session.scalars(db.select(Login)).one()
        login.seen_at -= timedelta(hours=25)
        db.session.commit()
    typed = {"title": "Vigil at the embassy", "date": "2026-03-08", "place": "Port Moresby"}
    response = client.post(
        "/actions/new",
        data={**typed, "country": "PG", "description": DESCRIPTION, "csrf_token": token(page)},
    )
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Your log-in has ended" in page
    action, fields = form_of(page)
    assert action.startswith("/login?") and ("keep:description", DESCRIPTION) in fields

    wrong = client.post(
        action, data=MultiDict([*fields, ("name", "anna"), ("password", "wrong one")])
    )
    assert wrong.status_code == 422  # the fields ride along with the log-in form
    _, fields = form_of(wrong.get_data(as_text=True))
    fields = [f for f in fields if f[0] != "csrf_token"]
    fields.append(("csrf_token", token(wrong.get_data(as_text=True))))
    assert ("keep:title", typed["title"]) in fields

    right = client.post(
        action, data=MultiDict([*fields, ("name", "anna"), ("password", "correct horse battery")])
    )
    assert right.status_code == 200
    page = right.get_data(as_text=True)
    assert "You are logged in again" in page
    action, fields = form_of(page)
    assert action == "/actions/new"
    response = client.post(action, data=MultiDict(fields))
    assert response.status_code == 303, (fields, response.get_data(as_text=True)[-3000:])
    with app.app_context():
        saved = db.session.scalars(db.select(Action)).one()
        assert (saved.title, saved.place, saved.description) == (
            typed["title"],
            typed["place"],
            DESCRIPTION,
        )


def test_never_logged_in_is_still_a_plain_refusal(make_app, editor_password_hash):
    app = make_app()
    editor_in(app, editor_password_hash)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/actions/new", data={"title": "x", "csrf_token": token(page)})
    assert response.status_code == 403
    assert "Log in again" not in response.get_data(as_text=True)


# --- A phone photo is over the site's limit for someone not logged in (64 KB): the log-in
# that ended while the form was open must not turn it into "Too much at once".


def send_counted(client, url: str, values: dict, **headers) -> tuple[object, io.BytesIO]:
    """POST a multipart form as a browser does; the response and the body (its position:
    how much of it the app read)."""
    boundary, data = encode_multipart(values)
    body = io.BytesIO(data)
    response = client.post(
        url,
        input_stream=body,
        content_length=len(data),
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers,
    )
    return response, body


def log_in_ends(app) -> None:
    """A day and more goes by before the form is sent."""
    with app.app_context():
        login = db.session.scalars(db.select(Login)).one()
        login.seen_at -= timedelta(hours=25)
        db.session.commit()


def test_a_phone_photo_sent_after_the_log_in_ended_keeps_what_was_typed(
    make_app, editor_password_hash
):
    app = make_app()
    editor_in(app, editor_password_hash)
    client = app.test_client()
    log_in(client)
    page = client.get("/actions/new").get_data(as_text=True)
    log_in_ends(app)
    photo = phone_jpeg()
    assert len(photo) > 3_000_000  # what a phone makes: far over the 64 KB limit
    typed = {"title": "Vigil at the embassy", "date": "2026-03-08", "place": "Port Moresby"}
    typed |= {"country": "PG", "description": DESCRIPTION}
    values = {**typed, "csrf_token": token(page), "photos": FileStorage(io.BytesIO(photo), "a.jpg")}
    response, body = send_counted(client, "/actions/new", values, **{"Accept-Language": "es"})

    assert response.status_code == 403
    page = html.unescape(response.get_data(as_text=True))
    assert "Tu sesión ha terminado. Entra de nuevo para enviar lo que escribiste." in page
    assert "No se pudo guardar 1 foto que elegiste: añádela de nuevo después." in page
    assert "Entrar y seguir" in page
    assert body.tell() == len(body.getvalue())  # read to its end: the browser gets the page
    action, fields = form_of(page)
    assert action == "/login?next=/actions/new&resend=1"
    assert {("keep:" + k, v) for k, v in typed.items()} <= set(fields)

    right = client.post(
        action, data=MultiDict([*fields, ("name", "anna"), ("password", "correct horse battery")])
    )
    assert "You are logged in again" in right.get_data(as_text=True)
    action, fields = form_of(right.get_data(as_text=True))
    assert client.post(action, data=MultiDict(fields)).status_code == 303
    with app.app_context():
        saved = db.session.scalars(db.select(Action)).one()
        assert (saved.title, saved.description, saved.photos) == (typed["title"], DESCRIPTION, [])
        assert db.session.scalars(db.select(StoredFile.name)).all() == []  # nothing held


@pytest.mark.parametrize("who", ["never logged in", "another session's form", "over the limit"])
def test_a_big_body_is_still_refused_as_too_much(make_app, editor_password_hash, who):
    """Only a form of this session's own, from a log-in that ended, no larger than an editor
    may send, gets the log-in page; the site's limit refuses a stranger's body unread."""
    app = make_app(PHOTO_MAX_FILES=1 if who == "over the limit" else 10)
    editor_in(app, editor_password_hash)
    client, other = app.test_client(), app.test_client()
    csrf = token(other.get("/login").get_data(as_text=True))
    if who != "never logged in":
        log_in(client)
        page = client.get("/actions/new").get_data(as_text=True)
        csrf = csrf if who == "another session's form" else token(page)
        log_in_ends(app)
    photos = [FileStorage(io.BytesIO(phone_jpeg()), f"{n}.jpg") for n in range(5)]
    values = MultiDict([("title", "x"), ("csrf_token", csrf), *(("photos", p) for p in photos)])
    response, body = send_counted(client, "/actions/new", values)
    assert response.status_code == 413
    assert "Too much at once" in response.get_data(as_text=True)
    assert body.tell() == (len(body.getvalue()) if who == "another session's form" else 0)


# --- An image chosen without JavaScript comes with the form: it is held for the resend.


def sent_with_an_expired_token(app, client, image: tuple[bytes, str], leave_pages_open):
    """The banner form with an image chosen (no JavaScript: the file comes with the form),
    sent after its token ran out."""
    page = client.get("/").get_data(as_text=True)
    leave_pages_open(app)
    return post_multipart(client, token(page), image)


def post_multipart(client, csrf: str, image: tuple[bytes, str]):
    """POST the banner form with its image, as a browser does."""
    image_file = FileStorage(io.BytesIO(image[0]), image[1])
    return send_multipart(client, "/", {**BANNER_FORM, "csrf_token": csrf, "image": image_file})


def send_multipart(client, url: str, values: dict):
    """POST a form as a browser does: one multipart body, built in memory."""
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_an_image_chosen_without_javascript_survives_an_expired_token(
    make_app, leave_pages_open, tmp_path
):
    app = make_app()
    client = app.test_client()
    photo = phone_jpeg()  # 12 Mpx, 3-5 MB, GPS and all
    response = sent_with_an_expired_token(app, client, (photo, "IMG_2041.jpg"), leave_pages_open)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The image you chose is kept too." in page and "could not be kept" not in page
    action, fields = form_of(page)
    held = dict(fields)["image_id"]
    assert re.fullmatch("[0-9a-f]{64}", held)
    with app.app_context():  # held cleaned, as the form's script would have stored it
        stored = image_bytes(held)
    assert stored is not None and SECRET not in stored and metadata_of(stored) == {}
    (tmp_path / "held.jpg").write_bytes(stored)
    assert exiftool_tags(tmp_path / "held.jpg") == {}

    response = client.post(action, data=MultiDict(fields))
    assert response.status_code == 303
    with app.app_context():
        banner = db.session.scalars(db.select(Banner)).one()
        assert (banner.text, banner.spec.image) == (SLOGAN, held)


def test_an_image_that_cannot_be_held_is_said_to_be_lost(make_app, leave_pages_open):
    app = make_app()
    image = (b"not a picture", "x.jpg")
    response = sent_with_an_expired_token(app, app.test_client(), image, leave_pages_open)
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "The image you chose could not be kept: choose it again" in page
    assert "image_id" not in dict(form_of(page)[1])


def test_holding_images_counts_as_rendering(make_app, leave_pages_open):
    """A stale token can be sent again and again: each held image is counted like an upload."""
    app = make_app(RATELIMIT_RENDER="1 per minute")
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    leave_pages_open(app)
    pages = []
    for colour in ("red", "blue"):
        out = io.BytesIO()
        Image.new("RGB", (64, 64), colour).save(out, "PNG")
        response = post_multipart(client, token(page), (out.getvalue(), "a.png"))
        assert response.status_code == 400
        pages.append(response.get_data(as_text=True))
    assert "is kept too" in pages[0] and "could not be kept" in pages[1]


# --- An action's photos chosen without JavaScript come with the form: held for the resend too.


@pytest.fixture
def editing(make_app, editor_password_hash):
    """anna, logged in, and a recorded action to add photos to: the app, the client and the
    action's id."""
    app = make_app()
    editor_in(app, editor_password_hash)
    with app.app_context():
        action = Action(title="Vigil at the embassy", year=2026, month=3, day=8, place="Lae")
        db.session.add(action)
        db.session.commit()
        action_id = action.id
    app.test_client_class = BufferedClient  # photos are sent as files: read and closed
    client = app.test_client()
    log_in(client)
    return app, client, action_id


@pytest.fixture
def photos_sent_late(editing, leave_pages_open):
    """Sends the edit form with photos chosen (no JavaScript: they come with the form) after
    its token ran out."""
    app, client, action_id = editing

    def send(photos: list[tuple[bytes, str]]):
        url = f"/actions/{action_id}/edit"
        page = client.get(url).get_data(as_text=True)
        leave_pages_open(app)
        values = {
            "title": "Vigil at the embassy",
            "date": "2026-03-08",
            "place": "Lae",
            "country": "PG",
            "description": DESCRIPTION,
            "csrf_token": token(page),
            "photos": [FileStorage(io.BytesIO(data), name) for data, name in photos],
        }
        return send_multipart(client, url, values)

    return send


def stored_file(app, name: str) -> StoredFile | None:
    with app.app_context():
        return db.session.get(StoredFile, name)


def test_a_photo_chosen_without_javascript_survives_an_expired_token(
    editing, photos_sent_late, tmp_path
):
    app, client, action_id = editing
    response = photos_sent_late([(phone_jpeg(), "PXL_20260308_181502.jpg")])
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The photo you chose is kept too." in page and "could not be kept" not in page
    action, fields = form_of(page)
    assert action == f"/actions/{action_id}/edit" and ("description", DESCRIPTION) in fields
    [held] = [v for k, v in fields if k == "kept_photo"]
    assert re.fullmatch("[0-9a-f]{64}[.]jpg", held)
    assert f'src="/photos/320/{held}"' in page  # its thumbnail
    assert stored_file(app, f"photos/{held}").expires_at is not None  # held, for now
    assert client.get(f"/photos/320/{held}").status_code == 200  # the page shows it

    response = client.post(action, data=MultiDict(fields))  # the one tap: "Send again"
    assert response.status_code == 303
    assert response.headers["Location"] == f"/actions/{action_id}"
    with app.app_context():
        [photo] = db.session.get(Action, action_id).photos
        assert (photo.file, photo.width, photo.height) == (f"photos/{held}", 2560, 1920)
    assert stored_file(app, photo.file).expires_at is None  # kept for good with the action
    shown = client.get(f"/actions/{action_id}").get_data(as_text=True)
    assert f"/photos/640/{held}" in shown
    # Nothing stored carries metadata: the photo in the database, this server's copy of it,
    # the display copies the pages show.
    data_dir = Path(app.config["POSTER_DATA_DIR"])
    with app.app_context():
        kept = {"database.jpg": blobs.read(photo.file)}
    kept["copy.jpg"] = (data_dir / photo.file).read_bytes()
    for width in DISPLAY_WIDTHS:
        kept[f"{width}.jpg"] = client.get(f"/photos/{width}/{held}").get_data()
    for name, data in kept.items():
        assert data and SECRET not in data and metadata_of(data) == {}, name
        (tmp_path / name).write_bytes(data)
        assert exiftool_tags(tmp_path / name) == {}, name


def test_a_held_photo_never_confirmed_is_deleted_after_a_day(editing, photos_sent_late):
    app, client, action_id = editing
    response = photos_sent_late([(jpeg_with_metadata(), "gate.jpg")])
    [held] = [v for k, v in form_of(response.get_data(as_text=True))[1] if k == "kept_photo"]
    with app.app_context():
        blobs.prune_expired(utcnow() + timedelta(hours=23))
        assert blobs.exists(f"photos/{held}")  # the resend page may still be sent
        blobs.prune_expired(utcnow() + timedelta(hours=25))
        assert not blobs.exists(f"photos/{held}")
        assert db.session.get(Action, action_id).photos == []
    assert client.get(f"/photos/{held}").status_code == 404


def test_a_held_photo_nobody_kept_leaves_no_copy_on_the_server(editing, photos_sent_late):
    """Its day over, the next upload deletes it with this server's copy and display copies:
    a photo of people that nobody published is not left on a disk either."""
    app, client, action_id = editing
    response = photos_sent_late([(jpeg_with_metadata(), "gate.jpg")])
    [held] = [v for k, v in form_of(response.get_data(as_text=True))[1] if k == "kept_photo"]
    assert client.get(f"/photos/320/{held}").status_code == 200  # a display copy is made
    data_dir = Path(app.config["POSTER_DATA_DIR"])
    copies = list(data_dir.rglob(f"*{held.split('.')[0]}*"))
    assert len(copies) == 2  # the photo and its 320 px copy
    with app.app_context():
        stored = db.session.get(StoredFile, f"photos/{held}")
        stored.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        out = io.BytesIO()
        Image.new("RGB", (40, 30), "green").save(out, "JPEG")
        photo_store().save(out.getvalue(), "jpg")  # someone's next photo
        assert not blobs.exists(f"photos/{held}")
    assert [path for path in copies if path.exists()] == []


def test_a_held_photo_gone_when_the_page_is_sent_brings_the_form_back(editing, photos_sent_late):
    """The resend page sent more than a day later: its photo is gone. The form comes back
    with what was typed and says so, rather than saving the action without the photo."""
    app, client, action_id = editing
    response = photos_sent_late([(jpeg_with_metadata(), "gate.jpg")])
    action, fields = form_of(response.get_data(as_text=True))
    with app.app_context():
        blobs.prune_expired(utcnow() + timedelta(hours=25))
    response = client.post(action, data=MultiDict(fields))
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "One photo you chose could not be kept: add it again afterwards." in page
    assert DESCRIPTION in page and 'value="Vigil at the embassy"' in page
    with app.app_context():
        assert db.session.get(Action, action_id).photos == []


def test_photos_that_cannot_be_held_are_counted_as_lost(editing, photos_sent_late):
    app, client, action_id = editing
    photos = [(jpeg_with_metadata(), "gate.jpg"), (b"not a picture", "notes.jpg")]
    response = photos_sent_late(photos)
    page = html.unescape(response.get_data(as_text=True))
    assert "The photo you chose is kept too." in page
    assert "One photo you chose could not be kept: add it again afterwards." in page
    assert len([k for k, _ in form_of(page)[1] if k == "kept_photo"]) == 1


def test_holding_photos_counts_as_rendering(editing, photos_sent_late):
    """Each held photo is cleaned, which costs what a render does: counted as one."""
    app, client, action_id = editing
    app.config["RATELIMIT_RENDER"] = "2 per minute"
    photos = [(jpeg_with_metadata((64 + n, 48)), f"p{n}.jpg") for n in range(3)]
    page = html.unescape(photos_sent_late(photos).get_data(as_text=True))
    assert "The 2 photos you chose are kept too." in page
    assert "One photo you chose could not be kept" in page


def test_photos_of_someone_not_logged_in_are_not_held(make_app, leave_pages_open):
    """Only an editor may send photos: a visitor's own expired token holds none (the body
    is small: the site's limit holds for them)."""
    app = make_app()
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    leave_pages_open(app)
    small = jpeg_with_metadata((32, 24))
    values = {
        "title": "x",
        "csrf_token": token(page),
        "photos": FileStorage(io.BytesIO(small), "a.jpg"),
    }
    response = send_multipart(client, "/actions/new", values)
    page = html.unescape(response.get_data(as_text=True))
    assert "One photo you chose could not be kept" in page
    assert "kept_photo" not in dict(form_of(page)[1])
    with app.app_context():
        assert db.session.scalars(db.select(StoredFile.name)).all() == []
