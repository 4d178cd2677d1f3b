"""The gallery with the demo data: the grid, filters, pagination, keeping banners, feeds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from poster_app import rendering
from poster_app.extensions import db
from poster_app.models import Action, Banner

ATOM = "{http://www.w3.org/2005/Atom}"
DEMO_TEXTS = 6


def cards(html: str) -> list[str]:
    """The banner ids shown in a grid, in order."""
    return re.findall(r'<a href="/banners/([0-9a-f]{20})" class="card">', html)


def test_actions_page_lists_the_six_demo_actions(demo, client):
    html = client.get("/actions").get_data(as_text=True)
    titles = re.findall(r'<h2><a href="/actions/\d+">([^<]+)</a></h2>', html)
    assert len(titles) == 6
    assert titles[0] == "Solidarity photo with banner"  # 17 Feb, the newest day
    assert "Banner on the Russian embassy wall" in titles
    assert '<link rel="alternate" type="application/atom+xml"' in html


def test_gallery_shows_the_demo_banners_newest_first(demo, client):
    html = client.get("/gallery").get_data(as_text=True)
    shown = cards(html)
    assert len(shown) == DEMO_TEXTS
    with demo.app_context():
        newest = db.session.scalars(
            db.select(Banner.id).order_by(
                Banner.created_at.desc(), Banner.id.desc()
            )  # ties: as the index
        ).all()
    assert shown == newest
    assert '<link rel="alternate" type="application/atom+xml"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lang=ru", ["СВОБОДУ АНАРХИСТАМ — ОГОНЬ ТЮРЬМАМ!"]),
        (
            "country=LK",
            [
                (
                    "Fight The Patriots!\nFlog Torturing Police!\nFlay the Prosecutor!\n"
                    "Flames to Penitentiaries!\nFree the Prisoners!"
                )
            ],
        ),
        ("country=AU&q=cages", ["Cages are not for humans or animals"]),
        ("q=свободу", ["СВОБОДУ АНАРХИСТАМ — ОГОНЬ ТЮРЬМАМ!"]),  # case-insensitive in Cyrillic
        ("q=100%", []),  # % is a character, not a wildcard
        ("lang=ru&country=AU", []),
    ],
)
def test_gallery_filters(demo, client, query, expected):
    shown = cards(client.get(f"/gallery?{query}").get_data(as_text=True))
    with demo.app_context():
        assert sorted(db.session.get(Banner, b).text for b in shown) == sorted(expected)


def test_gallery_filter_by_action(demo, client):
    with demo.app_context():
        brisbane = db.session.scalars(db.select(Action).filter_by(country="AU", day=None)).one()
    shown = cards(client.get(f"/gallery?action={brisbane.id}").get_data(as_text=True))
    assert len(shown) == 2


def action_options(html: str) -> list[str]:
    """The labels of the gallery filter's action options."""
    select = re.search(r'<select[^>]*name="action".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*value=\"\d+\"[^>]*>([^<]*)</option>", select)


def test_the_filter_choices_are_kept_per_ui_language_and_follow_a_new_action(demo, client):
    """The filter form's options are built once and reused (queries.counted), in each UI
    language its own; an action recorded here shows in them at once."""
    english = action_options(client.get("/gallery").get_data(as_text=True))
    russian = client.get("/gallery", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert len(english) == 6 and "February 2020" in " ".join(english)
    assert len(action_options(russian)) == 6 and "февраль 2020" in " ".join(action_options(russian))
    assert action_options(client.get("/gallery").get_data(as_text=True)) == english
    with demo.app_context():
        db.session.add(
            Action(title="New one", year=2031, month=7, day=9, place="Suva", country="FJ")
        )
        db.session.commit()
    after = action_options(client.get("/gallery").get_data(as_text=True))
    assert after == ["New one (July 9, 2031)", *english]
    html = client.get("/gallery").get_data(as_text=True)
    assert re.search(r'<option value="FJ"[^>]*>Fiji</option>', html)


def test_gallery_filter_by_russian_shows_only_the_russian_banner(demo, client):
    html = client.get("/gallery?lang=ru").get_data(as_text=True)
    assert len(cards(html)) == 1 and "СВОБОДУ АНАРХИСТАМ" in html and "FCK FSB" not in html


def test_gallery_pages(app, client):
    from poster_app.layout import Spec
    from poster_app.storage import save_banner

    app.config["GALLERY_PER_PAGE"] = 2
    with app.test_request_context():
        for n in range(5):
            save_banner(Spec.from_options({"text": f"Banner {n}", "lang": "en"})).published = True
        db.session.commit()
    first, second, third = (
        client.get(f"/gallery?page={n}").get_data(as_text=True) for n in (1, 2, 3)
    )
    assert [len(cards(p)) for p in (first, second, third)] == [2, 2, 1]
    assert len(set(cards(first) + cards(second) + cards(third))) == 5
    assert 'rel="next"' in first and 'rel="prev"' in third and "Page 2 of 3" in second
    assert cards(client.get("/gallery?page=9").get_data(as_text=True)) == []


def test_gallery_never_renders(demo, client, monkeypatch):
    """Thumbnails are files made at save time: browsing calls no renderer."""

    def refuse(*args, **kwargs):
        raise AssertionError("rendered on a gallery request")

    for name in ("preview_png", "file", "pdf", "thumbnail_maker", "layout"):
        monkeypatch.setattr(rendering.Renderer, name, refuse)
    html = client.get("/gallery").get_data(as_text=True)
    for banner_id in cards(html):
        small = client.get(f"/banners/{banner_id}/small.png")
        assert small.status_code == 200 and small.data.startswith(b"\x89PNG")
        assert "immutable" in small.headers["Cache-Control"]
        assert client.get(f"/banners/{banner_id}").status_code == 200


def test_banner_page_shows_action_spec_and_open_graph(demo, client):
    with demo.app_context():
        banner = db.session.scalars(db.select(Banner).filter_by(lang="ru")).one()
    html = client.get(f"/banners/{banner.id}", headers={"Accept-Language": "ru"}).get_data(
        as_text=True
    )
    assert "Message and banner in Russian" in html
    assert "февраль 2020" in html
    assert f'property="og:image" content="http://localhost/banners/{banner.id}/thumb.png"' in html
    assert f'href="/?from={banner.id}"' in html  # make one like this
    assert 'action="/banners/' not in html  # no editor forms for visitors


def test_editor_keeps_a_banner_with_an_action(demo, editor_client):
    client = editor_client
    response = client.post("/api/banners", json={"text": "Free them all", "lang": "en"})
    banner_id = response.json["id"]
    with demo.app_context():
        action_id = db.session.scalars(db.select(Action.id).filter_by(place="Colombo")).one()
    page = client.get(f"/banners/{banner_id}?action={action_id}").get_data(as_text=True)
    assert (
        f'<option selected value="{action_id}">' in page or f'value="{action_id}" selected' in page
    )
    assert client.post(f"/banners/{banner_id}/keep", data={"action": action_id}).status_code == 303
    assert banner_id in cards(client.get(f"/gallery?action={action_id}").get_data(as_text=True))
    assert banner_id in cards(client.get(f"/actions/{action_id}").get_data(as_text=True))
    client.post(f"/banners/{banner_id}/remove")
    assert banner_id not in cards(client.get("/gallery").get_data(as_text=True))
    assert client.get(f"/banners/{banner_id}").status_code == 200  # the page stays


def test_editor_links_a_banner_from_the_action_page(demo, editor_client):
    client = editor_client
    banner_id = client.post("/api/banners", json={"text": "Later", "lang": "en"}).json["id"]
    with demo.app_context():
        action_id = db.session.scalars(db.select(Action.id).filter_by(place="Kuala Lumpur")).one()
    client.post(f"/actions/{action_id}/banners", data={"banner": f"http://x/banners/{banner_id}"})
    assert banner_id in cards(client.get(f"/actions/{action_id}").get_data(as_text=True))
    response = client.post(
        f"/actions/{action_id}/banners", data={"banner": "nothing"}, follow_redirects=True
    )
    assert "No banner has that address" in response.get_data(as_text=True)


def test_form_made_for_an_action_offers_it_on_the_banner_page(demo, editor_client):
    form = {
        "text": "Made for Colombo",
        "lang": "en",
        "size": "a4",
        "orientation": "",
        "style": "fill",
        "family": "sans",
        "colours": "black-on-white",
        "fg": "#000000",
        "bg": "#ffffff",
    }
    html = editor_client.get("/?action=4").get_data(as_text=True)
    assert 'action="/?action=4"' in html
    response = editor_client.post("/?action=4", data=form)
    assert response.status_code == 303 and response.headers["Location"].endswith("?action=4")


@pytest.mark.parametrize("url", ["/actions.atom", "/gallery.atom"])
def test_atom_feeds_parse(demo, client, url):
    response = client.get(url)
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 6
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
        assert (
            entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://localhost/")
        )


def test_api_lists_banners_and_actions(demo, client):
    ru = client.get("/api/banners?lang=ru").json
    assert [b["lang"] for b in ru["banners"]] == ["ru"] and ru["total"] == 1
    actions = client.get("/api/actions").json["actions"]
    assert len(actions) == 6
    kl = next(a for a in actions if a["place"] == "Kuala Lumpur")
    assert (kl["date"], kl["country"], kl["country_name"]) == ("2020-02-15", "MY", "Malaysia")
    by_action = client.get(f"/api/banners?action={kl['id']}").json["banners"]
    assert [b["id"] for b in by_action] == kl["banners"]
    paged = client.get("/api/banners?per_page=4&page=2").json
    assert (len(paged["banners"]), paged["pages"], paged["page"]) == (2, 2, 2)
