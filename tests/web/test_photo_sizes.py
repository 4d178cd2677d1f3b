"""An action's page shows its photos as display copies (320, 640, 1280 px wide, offered by
srcset) and links each to the full photo: made once per server, kept in the cache folder,
as bare as the stored photo, gone when the photo goes; never kept unasked by a browser (nor at
all by a shared cache) once the photo is deleted."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from photo_helpers import SECRET, exiftool_tags, metadata_of, phone_jpeg, png_bytes
from PIL import Image
from test_actions import only_action, record

from poster_app import blobs
from poster_app.extensions import db
from poster_app.models import Action, Photo
from poster_app.photos import DISPLAY_WIDTHS, clean_photo
from poster_app.storage import photo_store
from poster_app.web.actions import photo_tile


@pytest.fixture
def phone_photo(app, editor_client):
    """A 12 Mpx phone photo (GPS, camera, XMP, ICC), cleaned as an upload is (the form's
    multipart encoder leaves a temporary file open past 500 kB) and stored as 2560 × 1920
    with an action; (the photo, the action's page)."""
    with app.app_context():
        clean = clean_photo(io.BytesIO(phone_jpeg()), max_pixels=50_000_000, max_side=2560)
        action = Action(title="Vigil", year=2026, month=11, day=7, place="KL", country="MY")
        file = photo_store().save(clean.data, clean.ext)
        action.photos.append(Photo(file=file, width=clean.width, height=clean.height))
        db.session.add(action)
        db.session.commit()
        [photo] = action.photos
    assert (photo.width, photo.height) == (2560, 1920)
    return photo, editor_client.get(f"/actions/{action.id}").get_data(as_text=True)


def sources(page: str) -> tuple[str, list[tuple[str, int]], str]:
    """The first photo's link, its srcset as (url, width) and its src."""
    link, img = re.search(r'<a href="(/photos/[^"]+)">\s*(<img [^>]+>)', page).groups()
    srcset = re.search(r'srcset="([^"]+)"', img)[1]
    listed = [(url, int(w[:-1])) for url, w in (item.split() for item in srcset.split(", "))]
    return link, listed, re.search(r'src="([^"]+)"', img)[1]


def test_the_page_offers_display_copies_and_links_the_full_photo(phone_photo, client, tmp_path):
    photo, page = phone_photo
    name = photo.file.split("/")[1]
    link, listed, src = sources(page)
    assert link == f"/photos/{name}"
    assert listed == [(f"/photos/{w}/{name}", w) for w in DISPLAY_WIDTHS]
    assert src == f"/photos/640/{name}"
    full = client.get(link).data
    for url, width in listed:
        served = client.get(url)
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert served.headers["Cache-Control"] == "no-cache, private"
        with Image.open(io.BytesIO(served.data)) as image:
            assert image.size == (width, width * 3 // 4)
        assert SECRET not in served.data and metadata_of(served.data) == {}
        (tmp_path / "copy.jpg").write_bytes(served.data)
        assert exiftool_tags(tmp_path / "copy.jpg") == {}
        assert len(served.data) < len(full) / 4, (width, len(served.data), len(full))


@pytest.mark.parametrize("width", [None, 640])
def test_a_photo_is_asked_for_at_each_view_and_gone_once_deleted(
    phone_photo, client, editor_client, width
):
    """No shared cache keeps a photo of people at an action, and a browser asks again before
    showing the one it keeps: 304 while the photo is kept, 404 once an editor deleted it."""
    photo, _ = phone_photo
    name = photo.file.split("/")[1]
    url = f"/photos/{name}" if width is None else f"/photos/{width}/{name}"
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache, private" and "Expires" not in first.headers
    asks = [{"If-None-Match": first.headers["ETag"]}]
    asks.append({"If-Modified-Since": first.headers["Last-Modified"]})
    for headers in asks:
        again = client.get(url, headers=headers)
        assert (again.status_code, again.data) == (304, b"")
        assert again.headers["Cache-Control"] == "no-cache, private"
    editor_client.post(f"/actions/{photo.action_id}/photos/{photo.id}/delete")
    for headers in asks:
        assert client.get(url, headers=headers).status_code == 404


def test_a_copy_is_made_once_and_kept_in_the_cache_folder(app, phone_photo, client):
    photo, _ = phone_photo
    name = photo.file.split("/")[1]
    first = client.get(f"/photos/640/{name}").data
    [kept] = Path(app.config["POSTER_DATA_DIR"], "banners").glob("photo-*.640.jpg")
    made = kept.stat().st_mtime_ns
    assert client.get(f"/photos/640/{name}").data == first
    assert kept.stat().st_mtime_ns == made and kept.read_bytes() == first


def test_only_the_offered_widths_are_made(phone_photo, client):
    photo, _ = phone_photo
    name = photo.file.split("/")[1]
    for url in (f"/photos/500/{name}", f"/photos/2560/{name}", f"/photos/640/{'0' * 64}.jpg"):
        assert client.get(url).status_code == 404


def test_a_small_photo_is_offered_as_it_is_past_its_width(app, editor_client):
    location = record(editor_client, [("shot.png", png_bytes((800, 600)))]).headers["Location"]
    [photo] = only_action(app).photos
    name = photo.file.split("/")[1]  # transparent: kept a PNG, and so are its copies
    _, listed, _ = sources(editor_client.get(location).get_data(as_text=True))
    assert listed == [(f"/photos/320/{name}", 320), (f"/photos/640/{name}", 640)] + [
        (f"/photos/{name}", 800)
    ]
    assert editor_client.get(f"/photos/320/{name}").mimetype == "image/png"


def test_a_deleted_photo_takes_its_copies_with_it(app, phone_photo, editor_client):
    photo, _ = phone_photo
    name = photo.file.split("/")[1]
    for width in DISPLAY_WIDTHS:
        assert editor_client.get(f"/photos/{width}/{name}").status_code == 200
    cache = Path(app.config["POSTER_DATA_DIR"], "banners")
    assert len(list(cache.glob("photo-*"))) == 3
    action_id = only_action(app).id
    editor_client.post(f"/actions/{action_id}/photos/{photo.id}/delete")
    assert list(cache.glob("photo-*")) == []
    assert editor_client.get(f"/photos/640/{name}").status_code == 404


def test_a_photo_deleted_on_another_server_is_not_served_from_this_ones_copies(
    app, phone_photo, client
):
    """Another server deleted it: this one still has its files, which it must not serve."""
    photo, _ = phone_photo
    name = photo.file.split("/")[1]
    assert client.get(f"/photos/640/{name}").status_code == 200
    with app.app_context():
        blobs.remove(photo.file)
        db.session.commit()
    assert Path(app.config["POSTER_DATA_DIR"], photo.file).exists()
    assert client.get(f"/photos/{name}").status_code == 404
    assert client.get(f"/photos/640/{name}").status_code == 404


@pytest.mark.parametrize(
    ("size", "whole", "sizes"),
    [
        ((2560, 1920), False, "(max-width: 30rem) calc(50vw * 1.333), calc(17rem * 1.333)"),
        ((1920, 2560), False, "(max-width: 30rem) 50vw, 17rem"),
        ((1000, 1500), False, "(max-width: 30rem) 50vw, 17rem"),  # 2:3, cropped still
        ((1170, 2532), True, "(max-width: 30rem) calc(50vw * 0.462), calc(17rem * 0.462)"),
        ((3000, 1000), True, "(max-width: 30rem) 50vw, 17rem"),  # a panorama, whole
    ],
)
def test_a_tile_offers_the_copy_for_the_width_it_draws(size, whole, sizes):
    """A square tile crops a sideways photo to fill it (drawn wider than the tile), shows a
    very tall or wide one whole (drawn no wider than the tile)."""
    photo = Photo(file=f"photos/{'0' * 64}.jpg", width=size[0], height=size[1])
    assert photo_tile(photo, "(max-width: 30rem) 50vw, 17rem") == (whole, sizes)


def test_the_api_lists_each_photos_display_copies(app, phone_photo, client):
    """Beside the full photo as before (url, width, height), each copy with its width, its
    height and a URL that answers with an image of that size; in the list of actions too."""
    photo, _ = phone_photo
    name = photo.file.split("/")[1]
    action = client.get(f"/api/actions/{photo.action_id}").json
    assert action["photos"] == [
        {
            "url": f"/photos/{name}",
            "width": 2560,
            "height": 1920,
            "display": [
                {"width": w, "height": w * 3 // 4, "url": f"/photos/{w}/{name}"}
                for w in DISPLAY_WIDTHS
            ],
        }
    ]
    assert client.get("/api/actions").json["actions"][0]["photos"] == action["photos"]
    for copy in action["photos"][0]["display"]:
        served = client.get(copy["url"])
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        with Image.open(io.BytesIO(served.data)) as image:
            assert image.size == (copy["width"], copy["height"])


def test_the_api_lists_no_copy_as_wide_as_the_photo(app, editor_client):
    record(editor_client, [("odd.png", png_bytes((700, 333)))])
    action = only_action(app)
    [photo] = editor_client.get(f"/api/actions/{action.id}").json["photos"]
    assert [(c["width"], c["height"]) for c in photo["display"]] == [(320, 152), (640, 304)]
    for copy in photo["display"]:
        with Image.open(io.BytesIO(editor_client.get(copy["url"]).data)) as image:
            assert image.size == (copy["width"], copy["height"])
