"""The tile bomb: a huge banner tiled on A4 with a wide overlap is refused at once with a message
(it used to write 84,672 pages); overlaps are whole millimetres, so a banner has few variants."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cli_helpers import render

from poster_app.layout import parse_page
from poster_app.layout.tiles import MAX_SHEETS, plan_tiles


@pytest.mark.parametrize(
    ("size", "sheet", "overlap", "sheets"),
    [
        ("a0", "a4", 10, 25),  # the most likely home print
        ("300x100cm", "a4", 10, 72),
        ("280x280cm", "a4", 10, 187),
        ("280x280cm", "letter", 10, 192),
    ],
)
def test_tilings_up_to_the_cap_are_planned(size, sheet, overlap, sheets):
    assert plan_tiles(parse_page(size), sheet, overlap).count == sheets <= MAX_SHEETS


@pytest.mark.parametrize(
    ("size", "sheet", "overlap"),
    [("5000x5000cm", "a4", 50), ("290x290cm", "a4", 10), ("290x290cm", "letter", 10)],
)
def test_more_sheets_than_the_cap_are_refused(size, sheet, overlap):
    with pytest.raises(ValueError, match=rf"at most {MAX_SHEETS}: take the single-page PDF"):
        plan_tiles(parse_page(size), sheet, overlap)


def test_the_web_refuses_the_tile_bomb_at_once(client, app):
    made = client.post("/api/banners", json={"text": "Huge", "size": "5000x5000cm"}).json
    start = time.monotonic()
    response = client.get(made["pdf_url"] + "?tile=a4&overlap=50")
    assert time.monotonic() - start < 5
    assert response.status_code == 422
    assert "tiling makes at most 200" in response.get_data(as_text=True)
    banners = Path(app.config["POSTER_DATA_DIR"]) / "banners"
    assert not [p.name for p in banners.iterdir() if "tiled" in p.name]


def test_the_command_line_refuses_it_too(tmp_path):
    result = render(
        "Huge",
        "--size",
        "5000x5000cm",
        "--tile",
        "a4",
        "--overlap",
        "50mm",
        "--out",
        str(tmp_path / "t.pdf"),
    )
    assert result.returncode == 2 and "tiling makes at most 200" in result.stderr
    assert not (tmp_path / "t.pdf").exists()


def test_overlaps_are_whole_millimetres(client, app):
    made = client.post("/api/banners", json={"text": "Glue", "size": "a2"}).json
    first = client.get(made["pdf_url"] + "?tile=a4&overlap=12.4")
    second = client.get(made["pdf_url"] + "?tile=a4&overlap=11.6")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert "overlap12mm" in first.headers["Content-Disposition"]
    banners = Path(app.config["POSTER_DATA_DIR"]) / "banners"
    assert len([p for p in banners.iterdir() if "overlap" in p.name]) == 1
