"""An action's photos as a tidy grid: phone photos upright and sideways, a screenshot, shown in
square tiles of one size, rows that line up with the same gap everywhere, each tile filled by
its photo (a screenshot whole, on a plain ground), the display copy wide enough for what the
tile draws, and the full photo a tap away. At phone size and desktop, with JavaScript and
without."""

from __future__ import annotations

import io
from itertools import pairwise

import pytest
from PIL import Image

from poster_app.photos import DISPLAY_WIDTHS
from tests.e2e.screenshots import look
from tests.e2e.serving import e2e_app, served
from tests.photo_helpers import heic_photo, iphone_jpeg, phone_jpeg, png_screenshot, upright_jpeg

SCREENSHOTS = "/tmp/poster-screenshots"
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}, "device_scale_factor": 1},
}


@pytest.fixture(scope="module")
def action_page(tmp_path_factory, migrated_db):
    """The app as shipped with one action of five photos, in the order an editor might add
    them: sideways, upright, a screenshot, upright, sideways; (its URL, the photos' sizes)."""
    from poster_app.extensions import db
    from poster_app.models import Action, Photo
    from poster_app.photos import clean_photo
    from poster_app.storage import photo_store

    app = e2e_app(tmp_path_factory.mktemp("photo-grid"), migrated_db)
    uploads = [
        phone_jpeg(),  # 4032 × 3024
        iphone_jpeg(),  # 4032 × 3024 turned upright by its EXIF
        png_screenshot(),  # 1170 × 2532
        upright_jpeg(),  # 1512 × 2016
        heic_photo(),  # 1512 × 1134
    ]
    with app.app_context():
        action = Action(title="Vigil at the embassy", year=2026, month=11, day=7, country="MY")
        for data in uploads:
            clean = clean_photo(io.BytesIO(data), max_pixels=50_000_000, max_side=2560)
            file = photo_store().save(clean.data, clean.ext)
            action.photos.append(Photo(file=file, width=clean.width, height=clean.height))
        db.session.add(action)
        db.session.commit()
        sizes = [(p.width, p.height) for p in action.photos]
        path = f"/actions/{action.id}"
    assert sizes == [(2560, 1920), (1920, 2560), (1170, 2532), (1512, 2016), (1512, 1134)]
    with served(app) as url:
        yield url + path, sizes


def open_grid(browser, url: str, viewport: str, javascript: bool = True):
    context = browser.new_context(
        locale="en-GB", java_script_enabled=javascript, **VIEWPORTS[viewport]
    )
    page = context.new_page()
    page.goto(url)
    grid = page.locator(".photo-grid")
    grid.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy ones too
    page.wait_for_load_state("networkidle")
    if javascript:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.photo-grid img')]"
            ".every(i => i.complete && i.naturalWidth > 0)"
        )
    return context, page


def tiles(page) -> list[dict]:
    """Each tile's boxes (its list item, link and picture) and the picture's copy and class."""
    return page.eval_on_selector_all(
        ".photo-grid li",
        """items => items.map(li => {
            const box = e => { const r = e.getBoundingClientRect();
                               return [r.left, r.top, r.width, r.height]; };
            const img = li.querySelector("img");
            return {li: box(li), a: box(li.querySelector("a")), img: box(img),
                    src: img.currentSrc, natural: img.naturalWidth,
                    whole: img.className == "whole"};
        })""",
    )


def rows_of(found: list[dict]) -> list[list[dict]]:
    """The tiles by row, top to bottom (a row's tiles share their top)."""
    rows: dict[float, list[dict]] = {}
    for tile in found:
        rows.setdefault(round(tile["li"][1]), []).append(tile)
    return list(rows.values())


def assert_even_grid(found: list[dict], columns: int) -> float:
    """Every tile is the same square, filled by its link and picture; rows and columns are
    spaced by one gap; the tile's side."""
    side = found[0]["img"][2]
    for tile in found:
        assert tile["li"] == tile["a"] == tile["img"], tile  # nothing below or beside a picture
        assert tile["img"][2:] == pytest.approx([side, side], abs=0.01), tile
    rows = rows_of(found)
    assert [len(row) for row in rows] == [columns] * (len(found) // columns) + (
        [len(found) % columns] if len(found) % columns else []
    )
    lefts = [tile["li"][0] for tile in rows[0]]
    tops = [row[0]["li"][1] for row in rows]
    gaps = [b - a - side for a, b in [*pairwise(lefts), *pairwise(tops)]]
    assert gaps and all(gap == pytest.approx(gaps[0], abs=0.5) for gap in gaps), gaps
    assert 8 <= gaps[0] <= 14, gaps  # .6-.75rem
    for row in rows:
        assert {round(tile["li"][1], 1) for tile in row} == {round(row[0]["li"][1], 1)}
        assert [t["li"][0] for t in row] == pytest.approx(lefts[: len(row)], abs=0.5)
    return side


def copy_width(src: str) -> int:
    """The width of the display copy a src names (/photos/<width>/<name>)."""
    return int(src.rsplit("/", 2)[1])


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(("viewport", "columns"), [("phone", 2), ("desktop", 4)])
def test_photo_tiles_line_up(browser, action_page, viewport, columns, javascript):
    url, sizes = action_page
    context, page = open_grid(browser, url, viewport, javascript)
    try:
        shot = f"{SCREENSHOTS}/photo-grid-{viewport}-{'js' if javascript else 'no-js'}.png"
        look(page, shot, full_page=True)
        found = tiles(page)
        side = assert_even_grid(found, columns)
        scale = VIEWPORTS[viewport]["device_scale_factor"]
        for tile, (width, height) in zip(found, sizes, strict=True):
            # A screenshot (1170 × 2532) is shown whole; phone photos fill their tile.
            assert tile["whole"] == (width / height < 2 / 3), (tile, width, height)
            drawn = side * (min(1, width / height) if tile["whole"] else max(1, width / height))
            # The copy: the smallest with the pixels the tile draws on this screen.
            fits = min(w for w in DISPLAY_WIDTHS if w >= drawn * scale)
            assert copy_width(tile["src"]) == fits, (tile, drawn, scale)
            assert tile["natural"] > 0  # decoded
        assert_tiles_painted(page, found, side, sizes, scale)
    finally:
        context.close()


GROUND = (240, 240, 240)  # the plain ground round a photo shown whole (#f0f0f0)


def assert_tiles_painted(page, found, side, sizes, scale) -> None:
    """In the pixels on screen: a cropped photo covers its whole tile (no page or ground shows
    in it); a photo shown whole sits in the middle of the ground, as wide as its shape says."""
    inset = 8  # px: inside the rounded corners
    for index, (tile, (width, height)) in enumerate(zip(found, sizes, strict=True)):
        png = page.locator(".photo-grid img").nth(index).screenshot()
        with Image.open(io.BytesIO(png)) as image:
            pixels = image.convert("RGB")
        w, h = pixels.size
        assert (w, h) == pytest.approx((side * scale, side * scale), abs=3)  # whole pixels
        edges = [(x, y) for x in range(inset, w - inset) for y in (inset, h - inset - 1)]
        edges += [(x, y) for y in range(inset, h - inset) for x in (inset, w - inset - 1)]
        plain = [xy for xy in edges if pixels.getpixel(xy) in (GROUND, (255, 255, 255))]
        if not tile["whole"]:
            assert not plain, (index, plain[:5])
            continue
        band = (w - w * width / height) / 2  # the ground on either side of a tall photo
        row = [pixels.getpixel((x, h // 2)) for x in range(w)]
        assert row[inset] == row[w - inset - 1] == GROUND
        photo = [x for x in range(inset, w - inset) if row[x] != GROUND]
        assert [photo[0], w - 1 - photo[-1]] == pytest.approx([band, band], abs=2)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_tap_on_a_tile_opens_the_full_photo(browser, action_page, javascript):
    url, sizes = action_page
    context, page = open_grid(browser, url, "phone", javascript)
    try:
        page.locator(".photo-grid li").nth(1).tap()
        page.wait_for_url("**/photos/*.jpg")
        shown = page.request.get(page.url)
        assert shown.headers["content-type"] == "image/jpeg"
        with Image.open(io.BytesIO(shown.body())) as image:
            assert image.size == sizes[1] == (1920, 2560)
    finally:
        context.close()
