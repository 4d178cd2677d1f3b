"""Recording actions: the form, dates in the UI language, countries, photo uploads made safe."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from photo_helpers import SECRET, jpeg_with_metadata, metadata_of, png_bytes
from PIL import Image

from poster_app.extensions import db
from poster_app.models import Action, Photo
from poster_app.photos import PhotoError, clean_photo

FORM = {
    "title": "Banner at the embassy",
    "date": "2020-02-15",
    "place": "Kuala Lumpur",
    "country": "MY",
    "description": "Attached to the outer wall.",
}


def record(client, photos=(), **changes):
    data = {**FORM, **changes, "photos": [(io.BytesIO(b), name) for name, b in photos]}
    return client.post("/actions/new", data=data, content_type="multipart/form-data")


def only_action(app) -> Action:
    with app.app_context():
        action = db.session.scalars(db.select(Action)).one()
        action.photos  # noqa: B018  (load them before the session closes)
        return action


def test_record_an_action_with_a_photo_without_metadata(app, editor_client):
    response = record(editor_client, [("kl.jpg", jpeg_with_metadata())])
    assert response.status_code == 303, response.get_data(as_text=True)
    action = only_action(app)
    assert (action.title, action.year, action.month, action.day, action.country) == (
        "Banner at the embassy",
        2020,
        2,
        15,
        "MY",
    )
    [photo] = action.photos
    stored = Path(app.config["POSTER_DATA_DIR"], photo.file).read_bytes()
    assert SECRET not in stored and b"Exif" not in stored and b"xmpmeta" not in stored
    assert metadata_of(stored) == {}
    assert (photo.width, photo.height) == (640, 480)
    page = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "/photos/" + photo.file.split("/")[1] in page
    served = editor_client.get("/photos/" + photo.file.split("/")[1])
    assert served.status_code == 200 and served.data == stored


def test_orientation_is_applied_before_exif_is_dropped(app, editor_client):
    record(editor_client, [("turned.jpg", jpeg_with_metadata((640, 480), orientation=6))])
    [photo] = only_action(app).photos
    assert (photo.width, photo.height) == (480, 640)


def test_png_keeps_transparency_and_loses_text(app, editor_client):
    record(editor_client, [("a.png", png_bytes())])
    [photo] = only_action(app).photos
    stored = Path(app.config["POSTER_DATA_DIR"], photo.file).read_bytes()
    assert photo.file.endswith(".png") and SECRET not in stored
    assert Image.open(io.BytesIO(stored)).mode == "RGBA"


def test_the_format_comes_from_the_bytes_not_the_name(app, editor_client):
    response = record(editor_client, [("photo.txt", jpeg_with_metadata())])
    assert response.status_code == 303
    assert only_action(app).photos[0].file.endswith(".jpg")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.jpg", b"<html>not an image</html>", "can&#39;t be used"),
        ("cut.jpg", jpeg_with_metadata()[:300], "can&#39;t be used"),
        ("huge.jpg", b"\xff" * 200_010, "larger than 0.2 MB"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_kept(app, editor_client, name, data, message):
    # Small, so the test body stays in memory (Werkzeug's test client leaks big bodies' temp files).
    app.config["PHOTO_MAX_BYTES"] = 200_000
    response = record(editor_client, [(name, data)])
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(Action)).first() is None
    assert not list(Path(app.config["POSTER_DATA_DIR"]).glob("photos/*"))


def test_decompression_bomb_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # 144 Mpx in a few kB
    assert len(out.getvalue()) < 100_000
    with pytest.raises(PhotoError, match="too large"):
        clean_photo(io.BytesIO(out.getvalue()), max_pixels=50_000_000, max_side=2560)


def test_large_photos_are_scaled_down():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(out, "JPEG")
    clean = clean_photo(io.BytesIO(out.getvalue()), max_pixels=50_000_000, max_side=2560)
    assert (clean.width, clean.height) == (2560, 1920)


def _profile(red, green, blue) -> bytes:
    """An ICC v2 RGB profile with these primaries (XYZ, D50) and a gamma of 2.2."""

    def s15(*values):
        return b"".join(struct.pack(">i", round(v * 65536)) for v in values)

    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", 8) + b"swapped\0" + b"\0" * 79
    tags = {b"desc": desc, b"wtpt": b"XYZ \0\0\0\0" + s15(0.9642, 1.0, 0.8249)}
    tags |= {b"rXYZ": b"XYZ \0\0\0\0" + s15(*red), b"gXYZ": b"XYZ \0\0\0\0" + s15(*green)}
    tags |= {b"bXYZ": b"XYZ \0\0\0\0" + s15(*blue)}
    tags |= dict.fromkeys((b"rTRC", b"gTRC", b"bTRC"), curve)
    offset, table, body = 128 + 4 + 12 * len(tags), b"", b""
    for sig, data in tags.items():
        data += b"\0" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = struct.pack(">I", offset + len(body)) + b"lcms\x02\x10\0\0mntrRGB XYZ " + b"\0" * 12
    header += b"acsp" + b"\0" * 28 + s15(0.9642, 1.0, 0.8249) + b"\0" * 48
    return header + struct.pack(">I", len(tags)) + table + body


def test_a_photo_in_another_colour_space_keeps_its_colours_in_srgb():
    """The profile is dropped with the rest of the metadata, so the pixels are converted to sRGB
    first: here a profile whose red is sRGB's green (a wide-gamut photo, made obvious)."""
    srgb = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    red, green, blue = srgb
    photo = Image.new("RGB", (4000, 3000), (0, 0, 255))
    photo.paste((255, 0, 0), (0, 0, 2000, 3000))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=95, icc_profile=_profile(green, red, blue))
    clean = clean_photo(io.BytesIO(out.getvalue()), max_pixels=50_000_000, max_side=2560)
    assert (clean.width, clean.height) == (2560, 1920)
    with Image.open(io.BytesIO(clean.data)) as image:
        assert "icc_profile" not in image.info
        left, right = image.getpixel((500, 960)), image.getpixel((2000, 960))
    assert all(abs(a - b) <= 6 for a, b in zip(left, (0, 255, 0), strict=True)), left  # red: green
    assert all(abs(a - b) <= 6 for a, b in zip(right, (0, 0, 255), strict=True)), right


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the action a title."),
        ({"date": ""}, "Give the date."),
        ({"date": "15.02.2020"}, "Write the date as 2020-02-15"),
        ({"date": "2020-02-30"}, "Write the date as 2020-02-15"),
        ({"country": "QQ"}, "Not a valid choice"),
    ],
)
def test_form_errors(editor_client, changes, message):
    response = record(editor_client, **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_month_only_and_edit(app, editor_client):
    location = record(editor_client, date="2020-02").headers["Location"]
    action_id = int(location.rsplit("/", 1)[1])
    form = editor_client.get(f"/actions/{action_id}/edit").get_data(as_text=True)
    assert 'value="2020-02"' in form and 'value="Banner at the embassy"' in form
    editor_client.post(
        f"/actions/{action_id}/edit",
        data={**FORM, "title": "Renamed"},
        content_type="multipart/form-data",
    )
    assert only_action(app).title == "Renamed" and only_action(app).day == 15


@pytest.mark.parametrize(
    ("ui", "date", "expected"),
    [
        ("ru", "2020-02-15", "15 февраля 2020 г."),
        ("ru", "2020-02", "февраль 2020 г."),
        ("en", "2020-02-15", "February 15, 2020"),
        ("en", "2020-02", "February 2020"),
        ("es", "2020-02", "febrero de 2020"),
        ("zh", "2020-02-15", "2020年2月15日"),
    ],
)
def test_dates_in_the_ui_language(editor_client, ui, date, expected):
    location = record(editor_client, date=date).headers["Location"]
    html = editor_client.get(location, headers={"Accept-Language": ui}).get_data(as_text=True)
    assert expected in html.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize(
    ("ui", "name"), [("en", "Malaysia"), ("ru", "Малайзия"), ("zh", "马来西亚")]
)
def test_country_names_in_the_ui_language(editor_client, ui, name):
    form = editor_client.get("/actions/new", headers={"Accept-Language": ui}).get_data(as_text=True)
    assert f'<option value="MY">{name}</option>' in form
    assert 'value="001"' not in form and 'value="EU"' not in form


def test_delete_photo_and_action_remove_files(app, editor_client):
    location = record(editor_client, [("a.jpg", jpeg_with_metadata())]).headers["Location"]
    action_id = int(location.rsplit("/", 1)[1])
    [photo] = only_action(app).photos
    path = Path(app.config["POSTER_DATA_DIR"], photo.file)
    assert path.exists()
    editor_client.post(f"/actions/{action_id}/photos/{photo.id}/delete")
    assert not path.exists()
    record(editor_client, [("a.jpg", jpeg_with_metadata())])
    editor_client.post(f"/actions/{action_id}/delete")
    with app.app_context():
        assert db.session.get(Action, action_id) is None
        assert db.session.scalars(db.select(Photo)).all() != []  # the other action's photo
    assert path.exists()  # same bytes, still used by the other action
