"""The API's lists page by key and end: /api/actions (newest first, each action with its newest
banner ids, how many it has and the URL of them all) and /api/banners (`next`), walked to the
last page over records with equal dates, month-only dates and banners not kept."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from poster_app.extensions import db
from poster_app.models import Action, Banner
from poster_app.web.api import ACTION_BANNERS

MANY = ACTION_BANNERS + 5  # kept banners of the busy action: more than a list shows
# (year, month, day): two on one day, a month-only date after that month's days, an older year.
DATES = [(2024, 5, 1), (2024, 5, None), (2024, 5, 20), (2023, 12, 31), (2024, 5, 20), (2025, 1, 2)]


def banner_row(n: int, created: datetime, action_id: int | None, kept: bool = True) -> dict:
    text = f"Banner {n}"
    return {
        "id": f"{n:020x}",
        "spec_json": json.dumps({"text": text, "lang": "en", "size": "a4"}),
        "lang": "en",
        "page": "a4",
        "text": text,
        "search": text.casefold(),
        "engine": "1",
        "created_at": created,
        "published": kept,
        "action_id": action_id,
    }


@pytest.fixture
def records(app):
    """Actions on DATES; the busy one (the first) has MANY kept banners, three made in one
    second, and two not kept; the second has one; some banners belong to no action."""
    start = datetime(2026, 1, 1)
    with app.app_context():
        actions = [
            Action(title=f"Action {i}", year=y, month=m, day=d, place="Here", country="DE")
            for i, (y, m, d) in enumerate(DATES)
        ]
        db.session.add_all(actions)
        db.session.flush()
        busy, other = actions[0].id, actions[1].id
        rows = [banner_row(n, start + timedelta(minutes=n), busy) for n in range(MANY - 3)]
        rows += [banner_row(n, start, busy) for n in range(MANY - 3, MANY)]  # one second
        rows += [banner_row(MANY + n, start + timedelta(days=1), busy, kept=False) for n in (0, 1)]
        rows += [banner_row(MANY + 2, start, other)]
        rows += [banner_row(MANY + 3 + n, start + timedelta(hours=n), None) for n in range(6)]
        db.session.execute(db.insert(Banner), rows)
        db.session.commit()
        order = sorted(actions, key=lambda a: (a.year, a.month, a.day or 0, a.id), reverse=True)
        kept = sorted(
            (r for r in rows if r["published"]), key=lambda r: (r["created_at"], r["id"])
        )[::-1]
        return {"order": [a.id for a in order], "busy": busy, "other": other, "kept": kept}


def walk(client, url: str) -> list[dict]:
    """Every page from `url` on, by `next`; the pages as JSON."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json
        pages.append(response.json)
        url = response.json["next"]
        assert len(pages) < 50
    return pages


def test_actions_page_by_key_newest_first_to_the_end(records, client):
    pages = walk(client, "/api/actions?per_page=4")
    assert [len(p["actions"]) for p in pages] == [4, 2] and pages[-1]["next"] is None
    listed = [a["id"] for p in pages for a in p["actions"]]
    assert listed == records["order"]  # month-only after that month's days, ties by id
    everything = client.get("/api/actions").json
    assert [a["id"] for a in everything["actions"]] == listed and everything["next"] is None
    assert parse_qs(urlsplit(pages[0]["next"]).query)["per_page"] == ["4"]
    html = client.get("/actions").get_data(as_text=True)
    titles = {a["id"]: a["title"] for p in pages for a in p["actions"]}
    positions = [html.index(f'/actions/{aid}"') for aid in listed]
    assert positions == sorted(positions), titles  # the same order as the page's


def test_a_listed_action_shows_its_newest_banners_its_count_and_the_url_of_all(records, client):
    actions = {a["id"]: a for a in client.get("/api/actions").json["actions"]}
    kept_ids = [r["id"] for r in records["kept"]]
    busy_ids = [r["id"] for r in records["kept"] if r["action_id"] == records["busy"]]
    assert len(busy_ids) == MANY
    busy, other = actions[records["busy"]], actions[records["other"]]
    assert busy["banners"] == busy_ids[:ACTION_BANNERS] and busy["banner_count"] == MANY
    assert other["banner_count"] == 1 and other["banners"] == [f"{MANY + 2:020x}"]
    assert all(
        a["banners"] == [] and a["banner_count"] == 0
        for a in actions.values()
        if a not in (busy, other)
    )
    assert set(busy["banners"]) <= set(kept_ids)
    by_url = walk(client, busy["banners_url"] + "&per_page=7")
    assert [b["id"] for p in by_url for b in p["banners"]] == busy_ids
    one = client.get(f"/api/actions/{records['busy']}").json
    assert one["banners"] == busy_ids and one["banner_count"] == MANY
    assert {k: v for k, v in one.items() if k != "banners"} == {
        k: v for k, v in busy.items() if k != "banners"
    }


def test_banners_page_by_key_to_the_end_through_equal_times(records, client):
    pages = walk(client, "/api/banners?per_page=4")
    listed = [b["id"] for p in pages for b in p["banners"]]
    assert listed == [r["id"] for r in records["kept"]]  # each once, newest first, none unkept
    assert all(len(p["banners"]) == 4 for p in pages[:-1]) and pages[-1]["next"] is None


@pytest.mark.parametrize(
    "cursor", ["x", "2024_5_1", "2024_5_1_1_1", "2024_-5_1_1", "2024_5_1_99999999999", "1_2_3_4x"]
)
def test_a_bad_actions_cursor_is_a_400_saying_so(records, client, cursor):
    response = client.get("/api/actions", query_string={"after": cursor})
    assert response.status_code == 400 and "cursor" in response.json["error"]


def test_actions_per_page_is_held_between_1_and_100(records, client):
    assert client.get("/api/actions?per_page=0").json["per_page"] == 1
    assert client.get("/api/actions?per_page=100000").json["per_page"] == 100
    assert len(client.get("/api/actions?per_page=1").json["actions"]) == 1
