"""Reasons told later or about a file reach people in the interface language they chose: why a
campaign's banner failed (stored by its job as a code and values, said when the page is read)
and why an uploaded image or photo was refused. The API keeps its English `error`, with a
`code`. The app as shipped (CSRF on), the language chosen from the menu, real files."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from photo_helpers import phone_jpeg
from PIL import Image
from web_helpers import EDITOR, password_checked_once
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from poster_app.extensions import db
from poster_app.models import BannerTask, Campaign, Editor
from tests.campaign_helpers import wait_for_campaign

# The Amazigh yaz, a sign carried at protests across North Africa; no bundled font has it.
YAZ = "\u2d63"


@pytest.fixture
def shipped(make_app, tmp_path):
    """The app with the shipped settings (CSRF on) and a browser's client of it."""
    app = make_app(tmp_path / "data", WTF_CSRF_ENABLED=True)
    return app, app.test_client()


def choose_ui_language(client, code: str) -> None:
    """Pick the interface language as a person does: follow its entry in the menu."""
    page = client.get("/").get_data(as_text=True)
    link = html.unescape(re.search(rf'href="(/ui-language/{code}\?[^"]*)"', page)[1])
    assert client.get(link).status_code == 303


def token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


def post_files(client, url: str, fields: dict, files: dict[str, tuple[bytes, str]]):
    """POST a multipart form as a browser does: one body, built in memory."""
    values = {
        **fields,
        **{key: FileStorage(io.BytesIO(b), name) for key, (b, name) in files.items()},
    }
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def text_of(page: str) -> str:
    """The page's text as a reader sees it (tags gone, entities read, spaces squeezed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# --- A campaign's failed banner


def start_campaign(client, **fields) -> str:
    """Send the campaign form as typed; return the campaign's page URL."""
    data = {"colours": "black-on-white", "sizes": ["a6"], **fields}
    response = client.post("/campaigns/new", data={**data, "csrf_token": token(client, "/")})
    assert response.status_code == 303, text_of(response.get_data(as_text=True))[-500:]
    return response.headers["Location"]


def test_a_refused_campaign_banner_says_why_in_tamil(shipped):
    app, client = shipped
    choose_ui_language(client, "ta")
    page_url = start_campaign(
        client, langs=["fr"], text_fr=f"Liberté pour les détenus du Rif {YAZ}"
    )
    status = wait_for_campaign(client, page_url.rsplit("/", 1)[1])
    assert status["state"] == "failed"
    page = text_of(client.get(page_url).get_data(as_text=True))
    # The banner's reason (the engine's refusal) and the campaign's (the job's own), in Tamil.
    assert "இந்த எழுத்துகள் எந்த உள்ளிணைந்த எழுத்துருவிலும் இல்லை: ⵣ (U+2D63)" in page
    assert "ZIP ஐ உருவாக்க முடியவில்லை: ஒரு பதாகையையும் உருவாக்க முடியவில்லை." in page
    assert "no bundled font" not in page.lower() and "No banner could be made" not in page
    # The page's poll reads the same, and the API keeps its English beside the code.
    [failed] = client.get(page_url + "/status").get_json()["failed"]
    assert failed["message"].startswith("இந்த எழுத்துகள்")
    assert failed["error"].startswith("no bundled font has U+2D63 TIFINAGH LETTER YAZ")
    assert failed["code"] == "missing_glyphs"
    assert (status["error"], status["code"]) == ("No banner could be made.", "nothing_made")


def test_a_reason_stored_before_codes_is_shown_as_it_was(shipped):
    """A row of an older version has its English alone: the page shows that, unchanged."""
    app, client = shipped
    with app.app_context():
        campaign = Campaign(id="0123456789abcdef0123", title="Нет войне", state="done")
        campaign.tasks = [
            BannerTask(lang="ru", size="a6", text="Нет войне", label="Russian (ru) - A6"),
        ]
        campaign.tasks[0].state, campaign.tasks[0].error = "failed", "the printer caught fire"
        db.session.add(campaign)
        db.session.commit()
    choose_ui_language(client, "ru")
    page = text_of(client.get("/campaigns/0123456789abcdef0123").get_data(as_text=True))
    assert "Русский (ru) - A6 (105 × 148 мм): the printer caught fire" in page
    assert "Готово 1 из 1, не удалось: 1" in page  # the rest of the page is in Russian


def test_a_job_reason_is_said_in_the_readers_language_and_stored_in_english(shipped):
    """The reason a job gives itself (its worker died three times), as campaigns._retry
    stores it: the page says it in Arabic, the API in English with its code."""
    from poster_app.campaigns import failure

    app, client = shipped
    with app.app_context():
        campaign = Campaign(id="fedcba9876543210fedc", title="Stop", state="done")
        task = BannerTask(lang="en", size="a6", text="Stop", label="English (en) - A6")
        task.state = "failed"
        for column, value in failure("worker_stopped", attempts=3).items():
            setattr(task, column, value)
        campaign.tasks = [task]
        db.session.add(campaign)
        db.session.commit()
    choose_ui_language(client, "ar")
    page = text_of(client.get("/campaigns/fedcba9876543210fedc").get_data(as_text=True))
    assert "توقّف العامل الذي يصنعها 3 مرات قبل أن ينتهي؛ فتُركت." in page
    [item] = client.get("/api/campaigns/fedcba9876543210fedc").get_json()["items"]
    assert item["error"] == "Its worker stopped 3 times before it was done; it was given up."
    assert item["code"] == "worker_stopped"


# --- A refused upload


def tiff_scan() -> bytes:
    """An A4 page scanned at 150 DPI and saved as TIFF, as scanners do: a format not taken."""
    out = io.BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(out, "TIFF", compression="tiff_lzw")
    return out.getvalue()


def cut_phone_photo() -> bytes:
    """A 12 Mpx phone photo whose upload stopped halfway."""
    data = phone_jpeg()
    return data[: len(data) // 2]


def huge_png() -> bytes:
    """An 8000 × 7000 px export of a poster (56 Mpx, over the 50 Mpx an image may have)."""
    out = io.BytesIO()
    Image.new("L", (8000, 7000), 255).save(out, "PNG")
    return out.getvalue()


# Made when the test runs (every xdist worker collects this module).
REFUSED = [
    (
        "scan.tif",
        tiff_scan,
        "scan.tif не подходит: файлы TIFF не принимаются: выберите изображение JPEG, HEIC, PNG, "
        "WebP или GIF.",
    ),
    (
        "IMG_2041.jpg",
        cut_phone_photo,
        "IMG_2041.jpg не подходит: это не изображение JPEG, HEIC, PNG, WebP или GIF, которое "
        "можно прочитать: файл, возможно, повреждён или обрезан.",
    ),
    (
        "poster.png",
        huge_png,
        "poster.png не подходит: 8000 × 7000 пикселей — слишком много: не больше 50 мегапикселей.",
    ),
]


@pytest.mark.parametrize(("name", "make", "russian"), REFUSED)
def test_a_refused_banner_image_says_why_in_russian(shipped, name, make, russian):
    """Sent with the form (without JavaScript), and to /api/images (the form's script, which
    shows `message`): both in Russian; the API's `error` stays English, with its code."""
    app, client = shipped
    choose_ui_language(client, "ru")
    form = {
        "text": "Свободу всем",
        "lang": "ru",
        "size": "a4",
        "style": "fill",
        "family": "sans",
        "colours": "black-on-white",
        "csrf_token": token(client, "/"),
    }
    data = make()
    response = post_files(client, "/", form, {"image": (data, name)})
    assert response.status_code == 422
    errors = re.search(r'id="image-error">(.*?)</ul>', response.get_data(as_text=True), re.S)
    assert russian in text_of(errors[1])

    answer = post_files(client, "/api/images", {}, {"image": (data, name)})
    assert answer.status_code == 422
    assert answer.json["message"] == russian
    assert answer.json["error"].startswith(f"{name}: ") and "не" not in answer.json["error"]
    assert answer.json["code"] in {"format", "unreadable", "too_many_pixels"}


def test_a_refused_action_photo_says_why_in_arabic(shipped, editor_password_hash):
    app, client = shipped
    with app.app_context():
        db.session.add(Editor(name=EDITOR[0], password_hash=editor_password_hash))
        db.session.commit()
    with password_checked_once():
        login = {"name": EDITOR[0], "password": EDITOR[1], "csrf_token": token(client, "/login")}
        assert client.post("/login", data=login).status_code == 303
    choose_ui_language(client, "ar")
    form = {"title": "Vigil at the embassy", "date": "2026-03-08"}
    form["csrf_token"] = token(client, "/actions/new")
    photo = (cut_phone_photo(), "IMG_2041.jpg")
    response = post_files(client, "/actions/new", form, {"photos": photo})
    assert response.status_code == 422
    page = text_of(response.get_data(as_text=True))
    assert (
        "لا يمكن استخدام IMG_2041.jpg: ليست صورة JPEG أو HEIC أو PNG أو WebP أو GIF نستطيع "
        "قراءتها: ربما الملف تالف أو ناقص." in page
    )
    assert "could not be read" not in page


def test_stored_reasons_keep_their_values_as_json(shipped):
    """What a failed row keeps: the English and, beside it, the code with its values."""
    from poster_app.campaigns import failure
    from poster_app.layout.itemize import MissingGlyphs

    stored = failure(MissingGlyphs([YAZ]))
    assert stored["error"] == (
        "no bundled font has U+2D63 TIFINAGH LETTER YAZ; remove it from the slogan"
    )
    assert json.loads(stored["error_data"])["code"] == "missing_glyphs"
    assert failure(ValueError("no ink")) == {"error": "no ink", "error_data": ""}
