"""Stored specs are trusted (issue 10 item 5): a banner row written under older or looser rules
— a 650-character slogan, an option this version no longer knows — is still listed, shown and
downloaded. The rules are for new input; a row once written is read as it is."""

from __future__ import annotations

import json

import pytest

from poster_app.extensions import db
from poster_app.layout import MAX_TEXT, Spec, SpecError
from poster_app.models import Action, Banner
from poster_app.rendering import renderer
from poster_app.storage import banner_store

LONG = ("Freedom to every political prisoner, now and everywhere. " * 12)[:650]
OLD_ROWS = {
    "0123456789abcdef0001": {"text": LONG, "lang": "en", "size": "a4"},
    # Options a later version dropped or never had, beside the ones it knows.
    "0123456789abcdef0002": {"text": "Stop torture", "lang": "en", "theme": "1990s", "x": 1},
}


def canonical(options: dict) -> dict:
    """What an older version stored: every field of a Spec, plus whatever it had more."""
    return {**Spec(text="placeholder").to_dict(), **options}


@pytest.fixture
def old_rows(app):
    """The rows above, kept in the gallery with an action, their thumbnails in place (a row
    never points at a missing file)."""
    with app.app_context():
        action = Action(title="Old times", year=2024, month=5, day=None, country="AU")
        db.session.add(action)
        db.session.flush()
        store = banner_store()
        for banner_id, options in OLD_ROWS.items():
            stored = canonical(options)
            row = Banner(
                id=banner_id,
                spec_json=json.dumps(stored, ensure_ascii=False, sort_keys=True),
                lang=stored["lang"],
                page=stored["size"],
                text=stored["text"],
                search=stored["text"].casefold(),
                engine="1",
                published=True,
                action_id=action.id,
            )
            make = renderer().thumbnail_maker(row.spec)
            for width in store.thumb_widths:
                store.thumb_path(banner_id, width).write_bytes(make(width))
            db.session.add(row)
        db.session.commit()
        return action.id


def test_the_rows_would_be_refused_as_new_input():
    """(So the test is about old rows: today's rules refuse both.)"""
    assert len(LONG) > MAX_TEXT
    for options in OLD_ROWS.values():
        with pytest.raises(SpecError):
            Spec.from_options(canonical(options))


def test_every_list_page_and_download_still_answers(client, old_rows):
    long_id, odd_id = OLD_ROWS
    listed = client.get("/api/banners?per_page=100")
    assert listed.status_code == 200
    assert {b["id"] for b in listed.json["banners"]} == set(OLD_ROWS)
    assert next(b for b in listed.json["banners"] if b["id"] == long_id)["text"] == LONG
    assert client.get(f"/api/banners/{odd_id}").json["text"] == "Stop torture"
    assert client.get(f"/api/actions/{old_rows}").json["banners"] != []
    for url in ("/gallery", "/gallery.atom", "/actions", f"/actions/{old_rows}", "/api/actions"):
        assert client.get(url).status_code == 200, url
    for banner_id in OLD_ROWS:
        page = client.get(f"/banners/{banner_id}")
        assert page.status_code == 200
        assert client.get(f"/?from={banner_id}").status_code == 200  # "make another like this"
        for suffix, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF"), ("png?dpi=72", b"\x89PNG")):
            download = client.get(f"/banners/{banner_id}.{suffix}")
            assert download.status_code == 200 and download.data.startswith(magic), suffix
        for thumb in ("thumb.png", "small.png"):
            assert client.get(f"/banners/{banner_id}/{thumb}").status_code == 200


def test_a_stored_spec_reads_back_as_it_was_stored():
    stored = canonical({"text": LONG, "also": [["ru", "Свобода"]], "gone": True})
    spec = Spec.from_stored(stored)
    assert spec.text == LONG and spec.also == (("ru", "Свобода"),)
    assert spec.to_dict() == {k: v for k, v in stored.items() if k != "gone"}
