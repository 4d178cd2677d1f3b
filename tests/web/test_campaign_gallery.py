"""The gallery knows campaigns: a campaign's banners are rows (files first), grouped as one card,
listed on the campaign's page, kept and linked to an action together by an editor."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from poster_app import blobs
from poster_app.extensions import db
from poster_app.models import Action, Banner, Campaign, Editor, utcnow
from tests.campaign_helpers import wait_for_campaign
from tests.web.test_gallery import cards
from tests.web_helpers import png_size

LANGS = ["ru", "de", "ar"]
SIZES = ["a6", "square-1080px"]


def make_campaign(client, langs=LANGS, sizes=SIZES, phrase="stop-torture") -> str:
    response = client.post(
        "/campaigns/new",
        data={"colours": "black-on-white", "phrase": phrase, "langs": langs, "sizes": sizes},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    campaign_id = response.headers["Location"].rsplit("/", 1)[1]
    status = wait_for_campaign(client, campaign_id)
    assert status["state"] == "done" and status["done"] == len(langs) * len(sizes), status
    return campaign_id


def rows(app, campaign_id) -> list[Banner]:
    with app.app_context():
        found = db.session.scalars(db.select(Banner).filter_by(campaign_id=campaign_id)).all()
        db.session.expunge_all()
        return found


@pytest.fixture
def action_id(app):
    with app.app_context():
        action = Action(
            title="Solidarity week", year=2026, month=3, day=8, place="Berlin", country="DE"
        )
        db.session.add(action)
        db.session.commit()
        return action.id


def test_built_items_are_banner_rows_with_their_files(app, client):
    campaign_id = make_campaign(client)
    found = rows(app, campaign_id)
    assert sorted((b.lang, b.page) for b in found) == sorted(
        (lang, size) for lang in LANGS for size in SIZES
    )
    assert not any(b.published for b in found)  # made, not yet kept
    data = Path(app.config["POSTER_DATA_DIR"], "banners")
    for banner in found:
        for suffix in ("thumb800.png", "thumb400.png", "png", "pdf"):
            assert (data / f"{banner.id}.{suffix}").stat().st_size > 0, (banner.lang, suffix)
    with app.app_context():
        record = db.session.get(Campaign, campaign_id)
        assert (record.title, record.phrase) == ("Stop torture", "stop-torture")
    # The download is the file the campaign made: no second rendering.
    ru = next(b for b in found if (b.lang, b.page) == ("ru", "a6"))
    assert client.get(f"/banners/{ru.id}.pdf").data == (data / f"{ru.id}.pdf").read_bytes()


def test_a_typed_campaign_is_titled_by_its_first_slogan(app, client):
    response = client.post(
        "/campaigns/new",
        data={
            "colours": "black-on-white",
            "langs": ["ru"],
            "text_ru": "Свободу Ане",
            "sizes": ["a6"],
        },
    )
    campaign_id = response.headers["Location"].rsplit("/", 1)[1]
    wait_for_campaign(client, campaign_id)
    with app.app_context():
        assert db.session.get(Campaign, campaign_id).title == "Свободу Ане"


def test_a_banner_made_before_joins_the_campaign_that_makes_it_again(app, client):
    first = client.post(
        "/api/banners",
        json={"text": "Нет пыткам", "lang": "ru", "size": "a6", "fg": "#000000", "bg": "#ffffff"},
    ).json["id"]
    campaign_id = make_campaign(client, langs=["ru"], sizes=["a6"])
    assert [b.id for b in rows(app, campaign_id)] == [first]


def test_the_campaign_page_lists_its_banners_with_downloads(app, client):
    campaign_id = make_campaign(client)
    html = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert "6 banners" in html
    # Each link says what it gives; none has `download` (a refused file would fail silently).
    assert not re.search(r"<a [^>]*\bdownload\b[ >]", html)
    for banner in rows(app, campaign_id):
        png = re.search(
            rf'href="/banners/{banner.id}.png" type="image/png">PNG, (\d+) × (\d+) px<', html
        )
        assert png, banner.page
        assert png_size(client.get(f"/banners/{banner.id}.png").data) == tuple(
            map(int, png.groups())
        )
        assert f'href="/banners/{banner.id}.pdf" type="application/pdf">PDF for printing<' in html
    assert html.count("PNG, 1080 × 1080 px") == 3
    assert f'href="/campaigns/{campaign_id}.zip" type="application/zip">' in html
    assert f'href="/campaigns/{campaign_id}/contact-sheet.pdf" type="application/pdf">' in html
    size = len(client.get(f"/campaigns/{campaign_id}.zip").data) / 1e6
    words = re.search(
        r"The ZIP holds 6 banners as PNG and PDF, and the contact sheet · about ([\d.]+) MB", html
    )
    assert words and abs(float(words[1]) - size) <= 0.05 + size * 0.1, (words, size)
    assert "Square image (1080 × 1080 px)" in html
    assert not re.search(r">[^<]*square-1080px", html)  # no bare size names as text
    assert 'id="keep-all"' not in html  # visitors get no forms


def test_a_png_over_the_pixel_cap_is_not_offered(app, client):
    campaign_id = make_campaign(client, langs=["ru"], sizes=["a6", "square-1080px"])
    app.extensions["renderer"].max_pixels = 1_500_000  # A6 at its DPI is over, the square not
    html = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    a6, square = sorted(rows(app, campaign_id), key=lambda b: b.page)
    assert f"/banners/{a6.id}.png" not in html and f"/banners/{a6.id}.pdf" in html
    assert f'href="/banners/{square.id}.png" type="image/png">PNG, 1080 × 1080 px<' in html


def test_a_campaign_shows_the_banners_an_earlier_one_made(app, editor_client):
    first = make_campaign(editor_client, langs=["ru", "de"], sizes=["a6"])
    second = make_campaign(editor_client, langs=["ru", "ar"], sizes=["a6"])
    ru = next(b for b in rows(app, first) if b.lang == "ru")
    ar = next(b for b in rows(app, second) if b.lang == "ar")
    assert ru.id not in {b.id for b in rows(app, second)}  # the row stays with the first
    html = editor_client.get(f"/campaigns/{second}").get_data(as_text=True)
    assert "2 banners" in html and "Keep all 2 banners in the gallery" in html
    assert f'href="/banners/{ru.id}"' in html and f'href="/banners/{ar.id}"' in html
    # Keeping them keeps what the page shows, the first campaign's banner included.
    assert editor_client.post(f"/campaigns/{second}/keep", data={"action": 0}).status_code == 303
    published = {b.id: b.published for b in rows(app, first) + rows(app, second)}
    assert published[ru.id] and published[ar.id] and sum(published.values()) == 2
    assert editor_client.post(f"/campaigns/{second}/remove").status_code == 303
    assert not any(b.published for b in rows(app, first) + rows(app, second))


def test_the_campaign_page_outlives_its_zip(app, client):
    campaign_id = make_campaign(client, langs=["ru"], sizes=["a6"])
    with app.app_context():  # as after a day: the ZIP is gone
        assert len(blobs.prune_expired(utcnow() + timedelta(days=2))) == 2
    response = client.get(f"/campaigns/{campaign_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Stop torture" in html and "kept for a day and is gone" in html
    assert f"/banners/{rows(app, campaign_id)[0].id}.pdf" in html
    assert client.get("/campaigns/0123456789abcdef0123").status_code == 404


def test_an_editor_keeps_them_all_with_an_action(app, editor_client, action_id):
    client = editor_client
    campaign_id = make_campaign(client)
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert 'id="keep-all"' in page and "Keep all 6 banners in the gallery" in page
    response = client.post(f"/campaigns/{campaign_id}/keep", data={"action": action_id})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/campaigns/{campaign_id}")
    found = rows(app, campaign_id)
    assert all(b.published and b.action_id == action_id for b in found)
    assert "All 6 banners are in the gallery" in client.get(f"/campaigns/{campaign_id}").get_data(
        as_text=True
    )
    # The gallery's card and the campaign page name the action once.
    gallery = client.get("/gallery").get_data(as_text=True)
    card = gallery[gallery.index(f'href="/campaigns/{campaign_id}"') :]
    assert re.match(
        rf'.*?</a>\s*<p class="card-action"><a href="/actions/{action_id}">Solidarity week',
        card,
        re.DOTALL,
    )
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert page.count(f'href="/actions/{action_id}"') == 1
    # The action page shows them.
    shown = cards(client.get(f"/actions/{action_id}").get_data(as_text=True))
    assert sorted(shown) == sorted(b.id for b in found)
    assert sorted(client.get(f"/api/actions/{action_id}").json["banners"]) == sorted(
        b.id for b in found
    )
    # Out again, all at once.
    assert client.post(f"/campaigns/{campaign_id}/remove").status_code == 303
    assert not any(b.published or b.action_id for b in rows(app, campaign_id))


def test_keeping_without_an_action_leaves_earlier_links(app, editor_client, action_id):
    campaign_id = make_campaign(editor_client, langs=["ru", "de"], sizes=["a6"])
    ru = next(b for b in rows(app, campaign_id) if b.lang == "ru")
    editor_client.post(f"/banners/{ru.id}/keep", data={"action": action_id})
    assert (
        editor_client.post(f"/campaigns/{campaign_id}/keep", data={"action": 0}).status_code == 303
    )
    found = {b.lang: b for b in rows(app, campaign_id)}
    assert found["ru"].published and found["ru"].action_id == action_id
    assert found["de"].published and found["de"].action_id is None


def test_a_bad_action_is_400(app, editor_client):
    campaign_id = make_campaign(editor_client, langs=["ru"], sizes=["a6"])
    assert (
        editor_client.post(f"/campaigns/{campaign_id}/keep", data={"action": 999}).status_code
        == 400
    )
    assert not rows(app, campaign_id)[0].published
    assert (
        editor_client.post("/campaigns/0123456789abcdef0123/keep", data={"action": 0}).status_code
        == 404
    )


def test_visitors_get_403_and_nothing_changes(app, client, editor, action_id):
    campaign_id = make_campaign(client, langs=["ru"], sizes=["a6"])
    for url, data in (
        (f"/campaigns/{campaign_id}/keep", {"action": action_id}),
        (f"/campaigns/{campaign_id}/remove", {}),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 403
    assert not any(b.published or b.action_id for b in rows(app, campaign_id))


def test_the_forms_need_the_csrf_token(make_app, tmp_path, editor_password_hash):
    from poster_app import logins

    app = make_app(tmp_path / "d", WTF_CSRF_ENABLED=True)
    with app.app_context():  # logged in below by a session made directly: no password checked
        person = Editor(name="bo", password_hash=editor_password_hash)
        db.session.add(person)
        db.session.commit()
        token = logins.start(person)
    client = app.test_client()
    with client.session_transaction() as session:
        session["login"] = token
    page = client.get("/campaigns/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = client.post(
        "/campaigns/new",
        data={
            "csrf_token": token,
            "colours": "black-on-white",
            "phrase": "no-war",
            "langs": ["ru"],
            "sizes": ["a6"],
        },
    )
    campaign_id = response.headers["Location"].rsplit("/", 1)[1]
    wait_for_campaign(client, campaign_id)
    assert client.post(f"/campaigns/{campaign_id}/keep", data={"action": 0}).status_code == 400
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    assert (
        client.post(
            f"/campaigns/{campaign_id}/keep", data={"action": 0, "csrf_token": token}
        ).status_code
        == 303
    )


def test_the_gallery_groups_a_campaign_as_one_card(app, editor_client, demo):
    client = editor_client
    with app.app_context():  # rows are stamped to the second: make the demo's older
        db.session.execute(db.update(Banner).values(created_at=datetime(2026, 1, 1)))
        db.session.commit()
    campaign_id = make_campaign(client)
    client.post(f"/campaigns/{campaign_id}/keep", data={"action": 0})
    found = rows(app, campaign_id)
    html = client.get("/gallery").get_data(as_text=True)
    shown = cards(html)
    assert len(shown) == 6 and not set(shown) & {b.id for b in found}  # the demo's six
    group = re.findall(
        rf'<a href="/campaigns/{campaign_id}" class="card campaign-card">(.*?)</a>', html, re.DOTALL
    )
    assert len(group) == 1
    assert "Stop torture" in group[0]
    assert "6 banners" in group[0] and "3 languages" in group[0] and "2 sizes" in group[0]
    assert len(re.findall(r'<img src="/banners/[0-9a-f]{20}/small.png"', group[0])) == 4
    assert "12 banners" in html  # the count is of banners
    assert html.index(f"/campaigns/{campaign_id}") < html.index(f"/banners/{shown[0]}")  # newest

    # Narrowed to the campaign: its banners one by one.
    narrowed = client.get(f"/gallery?campaign={campaign_id}").get_data(as_text=True)
    assert sorted(cards(narrowed)) == sorted(b.id for b in found)
    assert f'name="campaign" value="{campaign_id}"' in narrowed and "6 banners" in narrowed
    # Other filters go inside the group; one matching banner is shown as itself.
    by_lang = client.get("/gallery?lang=de").get_data(as_text=True)
    assert cards(by_lang) == []
    assert re.search(r"2 banners ·\s+1 language ·\s+2 sizes", re.sub(r"<[^>]+>", "", by_lang))
    by_text = client.get("/gallery?q=Stop&lang=de").get_data(as_text=True)
    assert cards(by_text) == []  # the English phrase is not on them
    found_ar = [b.id for b in found if b.lang == "ar"]
    with app.app_context():
        db.session.execute(
            db.update(Banner).where(Banner.id == found_ar[0]).values(published=False)
        )
        db.session.commit()
    alone = client.get("/gallery?lang=ar").get_data(as_text=True)
    assert cards(alone) == [found_ar[1]]  # one match: shown as itself


def test_gallery_pages_count_a_campaign_as_one_entry(app, editor_client):
    app.config["GALLERY_PER_PAGE"] = 2
    campaign_id = make_campaign(editor_client, langs=["ru", "de"], sizes=["a6"])
    editor_client.post(f"/campaigns/{campaign_id}/keep", data={"action": 0})
    from poster_app.layout import Spec
    from poster_app.storage import save_banner

    with app.test_request_context():
        for n in range(2):
            save_banner(Spec.from_options({"text": f"Banner {n}", "lang": "en"})).published = True
        db.session.commit()
    first = editor_client.get("/gallery").get_data(as_text=True)
    second = editor_client.get("/gallery?page=2").get_data(as_text=True)
    group = f'<a href="/campaigns/{campaign_id}" class="card campaign-card">'
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert [len(cards(p)) + p.count(group) for p in (first, second)] == [2, 1]
    assert (first + second).count(group) == 1
    assert "4 banners" in first  # the count is still of banners


def test_api_filters_by_campaign(app, editor_client):
    campaign_id = make_campaign(editor_client, langs=["ru", "de"], sizes=["a6"])
    assert editor_client.get(f"/api/banners?campaign={campaign_id}").json["total"] == 0  # not kept
    editor_client.post(f"/campaigns/{campaign_id}/keep", data={"action": 0})
    listed = editor_client.get(f"/api/banners?campaign={campaign_id}").json
    assert listed["total"] == 2
    assert {b["campaign"] for b in listed["banners"]} == {campaign_id}
    assert sorted(b["id"] for b in listed["banners"]) == sorted(
        b.id for b in rows(app, campaign_id)
    )
    other = editor_client.post("/api/banners", json={"text": "Alone", "lang": "en"}).json["id"]
    editor_client.post(f"/banners/{other}/keep", data={"action": 0})
    assert editor_client.get(f"/api/banners/{other}").json["campaign"] is None


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("square-1080px", "Square image (1080 × 1080 px)"),
        ("portrait-1080x1350px", "Portrait image (1080 × 1350 px)"),
        ("story-1080x1920px", "Story image (1080 × 1920 px)"),
        ("wide-1920x1080px", "Wide image (1920 × 1080 px)"),
        ("banner-300x100cm", "Cloth banner (300 × 100 cm)"),
        ("a4", "A4 (210 × 297 mm)"),
    ],
)
def test_sizes_have_human_labels(app, name, label):
    from poster_app.web.labels import size_label

    with app.test_request_context():
        assert size_label(name) == label == size_label(name, english=True)


def test_social_sizes_in_russian(app):
    from poster_app.web.labels import size_label

    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert size_label("square-1080px") == "Квадратная картинка (1080 × 1080 пикс.)"
        assert size_label("square-1080px", english=True) == "Square image (1080 × 1080 px)"


def test_a_field_with_a_hint_is_not_marked_invalid(editor_client):
    html = editor_client.get("/actions/new").get_data(as_text=True)
    place = re.search(r"<input[^>]*id=\"place\"[^>]*>", html)[0]
    assert "aria-invalid" not in place and 'aria-describedby="place-hint"' in place
    assert 'aria-invalid="None"' not in html
    html = editor_client.post("/actions/new", data={"title": "", "date": "x"}).get_data(
        as_text=True
    )
    title = re.search(r"<input[^>]*id=\"title\"[^>]*>", html)[0]
    assert 'aria-invalid="true"' in title and 'aria-describedby="title-error"' in title


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="two data dirs need two databases (as test_archive)",
)
def test_export_and_import_keep_the_campaign(app, editor_client, runner, make_app, tmp_path):
    from tests.web.test_archive import fingerprint

    campaign_id = make_campaign(editor_client, langs=["ru", "de"], sizes=["a6"])
    editor_client.post(f"/campaigns/{campaign_id}/keep", data={"action": 0})
    before = fingerprint(app)
    assert before["tables"]["campaign"][0] == 1
    result = runner.invoke(args=["export", str(tmp_path / "backup.zip")])
    assert result.exit_code == 0, result.output
    other = make_app(tmp_path / "elsewhere")
    result = other.test_cli_runner().invoke(args=["import", str(tmp_path / "backup.zip")])
    assert result.exit_code == 0, result.output
    assert fingerprint(other) == before
    html = other.test_client().get("/gallery").get_data(as_text=True)
    assert f'<a href="/campaigns/{campaign_id}" class="card campaign-card">' in html
    assert other.test_client().get(f"/campaigns/{campaign_id}").status_code == 200
