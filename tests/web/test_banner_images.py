"""An image on a banner through the app (issue 13, item 4), with the shipped settings (CSRF
on, default limits): uploaded by the form or by POST /api/images, cleaned like action photos
(no GPS in the stored bytes nor in the PDF), stored content-addressed in the database, kept
through a refused form, and drawn in every file made of the banner."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import zipfile
from contextlib import contextmanager

import pytest
from pg_helpers import fresh_database
from photo_helpers import SECRET, exiftool_tags, phone_jpeg
from PIL import Image, ImageChops, ImageDraw
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from poster_app import blobs
from poster_app.extensions import db
from poster_app.models import Banner, StoredFile

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
RED = (212, 0, 0)


def logo_png() -> bytes:
    """A group's logo as people have them: a red disc on a transparent ground, with a text
    chunk to strip."""
    from PIL.PngImagePlugin import PngInfo

    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((20, 20, 380, 380), fill=(*RED, 255))
    info = PngInfo()
    info.add_text("Comment", "SECRET-MARKER logo")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(tmp_path / "data", TESTING=False, WTF_CSRF_ENABLED=True)


@pytest.fixture
def client(app):
    return app.test_client()


def upload(client, data: bytes, name: str = "logo.png", **headers):
    boundary, body = encode_multipart({"image": FileStorage(io.BytesIO(data), name)})
    return client.post(
        "/api/images",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers,
    )


def stored_images(app) -> dict[str, StoredFile]:
    with app.app_context():
        rows = db.session.scalars(select(StoredFile).where(StoredFile.name.like("images/%")))
        return {row.name.removeprefix("images/"): row for row in rows}


def stored_bytes(app, image: str) -> bytes:
    with app.app_context():
        data = blobs.read(f"images/{image}")
    assert data is not None
    return data


def make_banner(client, **spec):
    return client.post("/api/banners", json={"text": "Free them all", **spec})


def banner_spec(app, banner_id: str) -> dict:
    with app.app_context():
        return json.loads(db.session.get(Banner, banner_id).spec_json)


# --- POST /api/images: checked, cleaned, stored by content


def test_a_phone_photo_is_stored_cleaned_and_named_by_its_content(app, client, tmp_path):
    assert len(phone_jpeg()) > 3_000_000  # a real phone photo, GPS and all
    response = upload(client, phone_jpeg(), "PXL_20261107_140309.jpg")
    assert response.status_code == 201, response.get_data(as_text=True)
    answer = response.get_json()
    data = stored_bytes(app, answer["id"])
    assert answer["id"] == hashlib.sha256(data).hexdigest()  # reproducible from the spec
    assert (answer["width"], answer["height"]) == (3000, 2250)  # bounded, proportions kept
    assert data[:3] == b"\xff\xd8\xff"  # opaque: a JPEG
    assert SECRET not in data
    path = tmp_path / "stored.jpg"
    path.write_bytes(data)
    assert exiftool_tags(path) == {}  # no GPS, camera, XMP, ICC, comment
    # The same photo again is the same image: stored once.
    assert upload(client, phone_jpeg()).get_json()["id"] == answer["id"]
    assert list(stored_images(app)) == [answer["id"]]


def test_a_transparent_logo_keeps_its_transparency(app, client):
    response = upload(client, logo_png())
    assert response.status_code == 201
    data = stored_bytes(app, response.get_json()["id"])
    assert SECRET not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"
        assert image.getpixel((2, 2))[3] == 0  # the corner stays see-through
        assert image.getpixel((200, 200)) == (*RED, 255)


def bomb_png() -> bytes:
    """A few KB that decode to 100 Mpx."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    return out.getvalue()


def cut_jpeg() -> bytes:
    return phone_jpeg()[:20_000]


def not_an_image() -> bytes:
    return b"these are not the pixels you are looking for"


# Each file is made when its test runs, not when the module is collected: every xdist worker
# collects every module, and only one runs this test (the photo alone is 0.5 s of CPU).
@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("notes.png", not_an_image, "not an image"),
        ("bomb.png", bomb_png, "too large"),
        ("cut.jpg", cut_jpeg, "could not be read"),
    ],
)
def test_bad_images_are_refused_naming_the_field_and_nothing_is_stored(
    app, client, name, data, says
):
    response = upload(client, data(), name)
    assert response.status_code == 422
    assert response.get_json()["field"] == "image"
    assert says in response.get_json()["error"]
    assert stored_images(app) == {}


def test_an_image_over_the_byte_limit_is_refused_before_it_is_read(app, client):
    response = upload(client, b"\xff\xd8\xff" + bytes(app.config["PHOTO_MAX_BYTES"] + 300_000))
    assert response.status_code == 413
    assert response.is_json
    assert stored_images(app) == {}


def test_another_sites_page_cannot_upload(app, client):
    assert upload(client, logo_png(), Origin="https://evil.example").status_code == 403
    assert upload(client, logo_png(), **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert stored_images(app) == {}
    assert upload(client, logo_png(), Origin="http://localhost").status_code == 201


def test_the_stored_image_is_served_for_the_form_and_kept_for_good(client):
    image = upload(client, logo_png()).get_json()
    response = client.get(image["url"])
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get(f"/images/{'0' * 64}").status_code == 404


def test_an_unused_upload_expires_and_a_banner_keeps_its_image(app, client):
    image = upload(client, logo_png()).get_json()["id"]
    assert stored_images(app)[image].expires_at is not None  # nobody uses it yet
    assert make_banner(client, image=image).status_code == 201
    assert stored_images(app)[image].expires_at is None


# --- Banners with an image: the API, and every file made of them


def test_the_api_makes_a_banner_with_an_uploaded_image(app, client):
    image = upload(client, logo_png()).get_json()["id"]
    response = make_banner(client, image=image, image_position="right", size="300x100cm")
    assert response.status_code == 201, response.get_data(as_text=True)
    spec = banner_spec(app, response.get_json()["id"])
    assert (spec["image"], spec["image_position"]) == (image, "right")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"image": "0" * 64}, "image"),  # no such upload
        ({"image": "logo.png"}, "image"),  # not an id
        ({"image_position": "middle"}, "image_position"),
    ],
)
def test_a_bad_image_is_a_422_naming_the_field_and_nothing_is_stored(app, client, options, field):
    response = make_banner(client, **options)
    assert response.status_code == 422
    assert response.get_json()["field"] == field
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Banner)) == 0


def red_share(png: bytes) -> float:
    """The share of the picture's pixels in the logo's red."""
    with Image.open(io.BytesIO(png)) as image:
        r, g, b = (
            band.point(lambda v, k=k: 255 * k(v))
            for band, k in zip(
                image.convert("RGB").split(),
                (lambda v: v > 180, lambda v: v < 60, lambda v: v < 60),
                strict=True,
            )
        )
        red = ImageChops.multiply(ImageChops.multiply(r, g), b)
        return red.histogram()[255] / (image.width * image.height)


def fetch(client, url: str):
    """GET, read and close (file responses hold their file open until closed)."""
    response = client.get(url)
    response.get_data()  # read into memory, then the file is let go
    response.close()
    return response


def test_every_file_of_the_banner_draws_the_image(app, client, tmp_path):
    image = upload(client, logo_png()).get_json()["id"]
    urls = make_banner(client, image=image, size="a3").get_json()
    banner = urls["id"]
    pictures = {
        "png": fetch(client, urls["png_url"]),
        "jpg": fetch(client, f"/banners/{banner}.jpg"),
        "thumb": fetch(client, urls["thumb_url"]),
        "small": fetch(client, f"/banners/{banner}/small.png"),
        "share": fetch(client, f"/banners/{banner}/share.png"),
        "story": fetch(client, f"/banners/{banner}/post/story.png"),
        "preview": fetch(client, f"/preview.png?text=Free+them+all&size=a3&image_id={image}"),
    }
    for name, response in pictures.items():
        assert response.status_code == 200, name
        assert red_share(response.data) > 0.01, name  # the disc is there
    without = client.get("/preview.png?text=Free+them+all&size=a3")
    assert red_share(without.data) == 0
    for query in ("", "?tile=a4"):
        pdf = tmp_path / f"banner{query[1:5]}.pdf"
        pdf.write_bytes(fetch(client, f"{urls['pdf_url']}{query}").data)
        listed = subprocess.run(
            ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert listed, query  # the logo is embedded (once per PDF, at its own size)
        assert {(row.split()[3], row.split()[4]) for row in listed} == {("400", "400")}


def test_no_gps_reaches_the_pdf(app, client, tmp_path):
    image = upload(client, phone_jpeg(), "photo.jpg").get_json()["id"]
    urls = make_banner(client, image=image).get_json()
    pdf = tmp_path / "banner.pdf"
    pdf.write_bytes(fetch(client, urls["pdf_url"]).data)
    assert SECRET not in pdf.read_bytes()
    subprocess.run(["pdfimages", "-all", str(pdf), str(tmp_path / "img")], check=True)
    [embedded] = tmp_path.glob("img-*")
    tags = exiftool_tags(embedded)
    assert not [tag for tag in tags if "GPS" in tag], tags
    assert exiftool_tags(pdf).get("PDF:Producer", "") != ""  # exiftool did read the PDF


# --- The form: upload, preview, a refused form keeps the image


def form_token(client) -> str:
    return TOKEN.search(client.get("/").get_data(as_text=True))[1]


def post_form(client, image: bytes | None = None, **fields):
    values = {
        "text": "Free them all",
        "lang": "en",
        "size": "a4",
        "style": "fill",
        "family": "sans",
        "colours": "black-on-white",
        "csrf_token": form_token(client),
        **fields,
    }
    if image is not None:
        values["image"] = FileStorage(io.BytesIO(image), "PXL_20261107_140309.jpg")
    boundary, body = encode_multipart(values)
    return client.post("/", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def made(app, response) -> dict:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return banner_spec(app, response.headers["Location"].split("/")[-1].split("?")[0])


def test_the_form_takes_a_phone_photo(app, client):
    response = post_form(client, phone_jpeg(), image_position="bottom")
    spec = made(app, response)
    assert spec["image"] in stored_images(app)
    assert spec["image_position"] == "bottom"
    assert stored_images(app)[spec["image"]].expires_at is None


def test_a_refused_form_keeps_the_image_it_was_sent(app, client):
    response = post_form(client, logo_png(), text="")  # no slogan: refused
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    [image] = stored_images(app)
    assert f'name="image_id" type="hidden" value="{image}"' in page
    assert f'src="/images/{image}"' in page  # the person sees what is kept
    assert '<details class="more-options" id="more-options" open' not in page  # text's error
    # Sent again with the slogan and without the file: the kept image goes on the banner.
    spec = made(app, post_form(client, text="Free them all", image_id=image))
    assert spec["image"] == image


def test_a_bad_upload_in_the_form_says_so_and_keeps_the_rest(app, client):
    response = post_form(client, b"not a picture", signature="ABC")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "can&#39;t be used: it is not a JPEG, HEIC, PNG, WebP or GIF image." in page
    assert '<details class="more-options" id="more-options" open' in page  # the error shows
    assert 'value="ABC"' in page
    assert stored_images(app) == {}


def test_no_image_takes_a_kept_image_off(app, client):
    image = upload(client, logo_png()).get_json()["id"]
    spec = made(app, post_form(client, image_id=image, image_remove="y"))
    assert spec["image"] == ""


def test_an_unknown_kept_image_is_a_message_on_the_image_field(app, client):
    response = post_form(client, image_id="0" * 64)
    assert response.status_code == 422
    assert "upload it again" in response.get_data(as_text=True)


# --- Export and import carry the images (they live in the database only)


@contextmanager
def empty_instance(make_app, migrated_db, data_dir):
    """Another instance with an empty database (PostgreSQL: a database of its own)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield make_app(data_dir)
        return
    with fresh_database(url, template=migrated_db.database) as other:
        yield make_app(data_dir, DATABASE_URL=other)


def test_export_and_import_carry_a_banners_image(app, client, make_app, migrated_db, tmp_path):
    image = upload(client, logo_png()).get_json()["id"]
    banner = make_banner(client, image=image, size="a3").get_json()["id"]
    archive = tmp_path / "backup.zip"
    result = app.test_cli_runner().invoke(args=["export", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"media/images/{image}" in zipfile.ZipFile(archive).namelist()

    with empty_instance(make_app, migrated_db, tmp_path / "elsewhere") as other:
        result = other.test_cli_runner().invoke(args=["import", str(archive)])
        assert result.exit_code == 0, result.output
        assert stored_bytes(other, image) == stored_bytes(app, image)
        assert stored_images(other)[image].expires_at is None  # a banner shows it: kept
        png = fetch(other.test_client(), f"/banners/{banner}.png")
        assert png.status_code == 200 and red_share(png.data) > 0.01


def test_an_archived_image_no_banner_shows_is_refused(app, client, make_app, migrated_db, tmp_path):
    image = upload(client, logo_png()).get_json()["id"]
    make_banner(client, image=image)
    archive = tmp_path / "backup.zip"
    assert app.test_cli_runner().invoke(args=["export", str(archive)]).exit_code == 0
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("archive.json"))
        members = {name: z.read(name) for name in z.namelist() if name != "archive.json"}
    for row in manifest["tables"]["banner"]:  # the banner no longer shows it
        row["spec_json"] = row["spec_json"].replace(image, "")
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("archive.json", json.dumps(manifest))
        for name, data in members.items():
            z.writestr(name, data)
    with empty_instance(make_app, migrated_db, tmp_path / "elsewhere") as other:
        result = other.test_cli_runner().invoke(args=["import", str(archive)])
    assert result.exit_code != 0
    assert "no banner's image" in result.output
