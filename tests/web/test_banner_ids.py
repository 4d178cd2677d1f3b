"""Banner ids reveal nothing: a keyed hash that a guessed slogan cannot reproduce, and banners
never kept in the gallery are confirmed by nobody but their page URL."""

from __future__ import annotations

import hashlib
import json

import pytest

from poster_app.extensions import db
from poster_app.layout import ENGINE_VERSION, Spec
from poster_app.models import Banner

GUESS = {"text": "Free Ana and Luis", "lang": "en", "size": "a3"}


@pytest.fixture
def app_with(make_app, tmp_path):
    """An app with the given secret on a data dir of its own (a copy of the migrated one)."""

    def make(secret: str, name: str = "data"):
        return make_app(tmp_path / name, SECRET_KEY=secret)

    return make


def client_of(app):
    from web_helpers import BufferedClient

    app.test_client_class = BufferedClient
    return app.test_client()


def plain_hash(options: dict) -> str:
    """What the id used to be: anyone could compute it from the words."""
    canonical = json.dumps(
        [ENGINE_VERSION, Spec.from_options(options).to_dict()], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:20]


def test_ids_are_keyed_by_the_server_secret(app_with):
    one = client_of(app_with("one secret", "a"))
    first = one.post("/api/banners", json=GUESS).json["id"]
    assert one.post("/api/banners", json=dict(reversed(GUESS.items()))).json["id"] == first
    other = client_of(app_with("another secret", "b"))
    assert other.post("/api/banners", json=GUESS).json["id"] != first
    assert first != plain_hash(GUESS)
    assert one.get(f"/banners/{plain_hash(GUESS)}").status_code == 404


def test_a_banner_not_kept_is_not_confirmed_by_the_api(app_with):
    app = app_with("s")
    client = client_of(app)
    made = client.post("/api/banners", json=GUESS).json
    assert client.get(f"/api/banners/{made['id']}").status_code == 404
    assert client.get("/api/banners").json["total"] == 0
    # The page URL the POST answered with still works, and keeps no date of making.
    page = client.get(made["page_url"])
    assert page.status_code == 200 and GUESS["text"] in page.get_data(as_text=True)
    with app.app_context():
        banner = db.session.get(Banner, made["id"])
        made_on = banner.created_at
        banner.published = True
        db.session.commit()
    assert client.get(f"/api/banners/{made['id']}").json["created"] == made_on.isoformat()


@pytest.mark.parametrize("published", [False, True])
def test_the_page_says_when_only_for_the_gallery(app_with, published):
    from flask_babel import format_date

    app = app_with("s")
    client = client_of(app)
    made = client.post("/api/banners", json=GUESS).json
    with app.app_context():
        banner = db.session.get(Banner, made["id"])
        banner.created_at = banner.created_at.replace(year=2021)
        banner.published = published
        db.session.commit()
        with app.test_request_context():
            when = format_date(banner.created_at, "long")
    page = client.get(made["page_url"]).get_data(as_text=True)
    assert (when in page) == published


def test_rows_made_before_ids_were_keyed_keep_working(app_with):
    """A row under the old plain hash keeps its id, files and links; making its spec again
    finds it instead of adding a second row."""
    app = app_with("s")
    client = client_of(app)
    legacy = plain_hash(GUESS)
    with app.app_context():
        from poster_app.storage import BannerStore

        old = BannerStore(app.config["POSTER_DATA_DIR"])  # no key: ids as they used to be
        spec = Spec.from_options(GUESS)
        assert old.save(spec, lambda width: _png(width)).id == legacy
    again = client.post("/api/banners", json=GUESS).json
    assert again["id"] == legacy
    assert client.get(f"/banners/{legacy}").status_code == 200
    assert client.get(f"/banners/{legacy}/thumb.png").status_code == 200
    assert client.get(f"/banners/{legacy}.pdf").status_code == 200
    with app.app_context():
        assert db.session.query(Banner).count() == 1


def _png(width: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (width, width)).save(out, "PNG")
    return out.getvalue()
