"""Odd numbers and odd bytes get a 4xx, never a 500, on SQLite and on PostgreSQL: integers no
database column holds, a NUL byte, a line break in a redirect target, JSON nested to the
recursion limit, a dpi of 400 digits. (make test-postgres runs this file again on PostgreSQL.)"""

from __future__ import annotations

import json

import pytest
from web_helpers import password_checked_once

BIG = "9" * 30  # past any 64-bit integer
HUGE = "9" * 400

GETS = [
    f"/gallery?page={BIG}",
    f"/gallery?page={HUGE}",
    f"/gallery?page=-{BIG}",
    f"/gallery?action={BIG}",
    f"/gallery?action=-{BIG}",
    f"/api/banners?page={BIG}",
    f"/api/banners?action={BIG}",
    f"/api/banners?per_page={BIG}",
    f"/actions/{BIG}",
    f"/actions/{2**31}",
    f"/api/actions/{BIG}",
    f"/api/actions/{2**63}",
    "/gallery?q=%00",
    "/gallery?q=a%00b&lang=ru",
    "/api/banners?q=%00",
    "/gallery?lang=%00",
    "/gallery?country=%00%00",
    "/api/banners?lang=r%00u",
    "/banners/%00",
    f"/?action={BIG}",
    f"/preview.png?text=Hi&width={HUGE}",
    "/preview.png?text=Hi%00",
]


@pytest.mark.parametrize("url", GETS)
def test_odd_queries_answer_4xx_or_an_empty_page(client, url):
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    if url.startswith("/preview.png?text=Hi%00"):  # the Spec names it next to its field
        assert response.status_code == 422 and "U+0000" in response.json["error"]
    elif "%00" in url:
        assert response.status_code == 400
        assert "NUL" in response.get_data(as_text=True)


EDITOR_POSTS = [
    f"/actions/{BIG}/edit",
    f"/actions/{BIG}/delete",
    f"/actions/1/photos/{BIG}/delete",
    f"/actions/{BIG}/banners",
    f"/actions/{2**31}/delete",
]


@pytest.mark.parametrize("url", EDITOR_POSTS)
def test_odd_ids_in_editor_routes_answer_404(editor_client, url):
    assert editor_client.post(url, data={}).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"name": "an\x00na", "password": "correct horse battery"},
        {"name": "anna", "password": "correct\x00horse"},
    ],
)
def test_a_nul_byte_in_a_form_answers_400(client, editor, data):
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


def test_a_nul_byte_in_an_action_form_stores_nothing(app, editor_client):
    from poster_app.extensions import db
    from poster_app.models import Action

    response = editor_client.post(
        "/actions/new", data={"title": "A\x00B", "date": "2020-02-02", "country": ""}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(Action).count() == 0


@pytest.mark.parametrize(
    "next_url",
    [
        "/%0d%0aSet-Cookie:%20x=1",
        "/gallery%0aLocation:%20https://evil.example/",
        "/%5cevil.example",  # /\evil.example: browsers read it as //evil.example
        "/%09/evil.example",
    ],
)
def test_odd_next_targets_go_home(client, editor, next_url):
    with password_checked_once():  # the redirect is tested, not the password: scrypt once
        response = client.post(
            f"/login?next={next_url}", data={"name": editor[0], "password": editor[1]}
        )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "x=1" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("[" * 30_000 + "]" * 30_000, None),
        ('{"text": "x", "also": ' + "[" * 20_000 + "]" * 20_000 + "}", None),
        (json.dumps({"text": "x", "dpi": 10**400}), "dpi"),
        ('{"text": "x", "dpi": 1' + "0" * 400 + ".5}", "dpi"),
        (json.dumps({"text": "x", "margin": 10**400}), "margin"),
        (json.dumps({"text": "x", "size": "1" + "0" * 400 + "x10cm"}), "size"),
        (json.dumps({"text": "x", "lang": "r\x00u"}), "lang"),
    ],
)
def test_odd_json_answers_4xx(client, body, field):
    response = client.post("/api/banners", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:200]
    assert response.is_json
    if field is not None:
        assert response.json["field"] == field


def test_a_nul_byte_in_an_upload_form_stores_nothing(app, editor_client):
    import io

    from photo_helpers import jpeg_with_metadata

    from poster_app.extensions import db
    from poster_app.models import Action

    response = editor_client.post(
        "/actions/new",
        content_type="multipart/form-data",
        data={"title": "A\x00B", "date": "2020-02-02", "country": ""}
        | {"photos": [(io.BytesIO(jpeg_with_metadata(size=(1600, 1200))), "p.jpg")]},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(Action).count() == 0
