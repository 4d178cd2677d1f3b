"""Print-ready output: tiles for home printers, bleed and crop marks, the cloth-banner guides."""

from __future__ import annotations

import contextlib
import io
import itertools
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from PIL import Image
from raster_helpers import dark_mask, mask_iou

from poster_app.layout import Spec, plan
from poster_app.layout.geometry import PT_PER_MM
from poster_app.layout.pdf import (
    MARK_LENGTH_PT,
    MARK_OFFSET_PT,
    MARK_ROOM_PT,
    grommets,
    render_pdf,
)
from poster_app.layout.png import render_png
from poster_app.layout.tiles import SHEETS_MM, label, plan_tiles, render_tiles

needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")
A4_LANDSCAPE = (round(297 * PT_PER_MM, 2), round(210 * PT_PER_MM, 2))
DPI = 20


@cache
def poster(size: str = "100x70cm", fg: str = "#000000", bg: str = "#ffffff"):
    return plan(Spec(text="Свободу анархистам!", lang="ru", size=size, fg=fg, bg=bg))


@cache
def tiled(sheet: str = "a4") -> bytes:
    return render_tiles(poster(), sheet)


def boxes(pdf: bytes, tmp_path: Path, first: int = 1, last: int = 1) -> dict[int, dict[str, list]]:
    (tmp_path / "box.pdf").write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", "-box", "-f", str(first), "-l", str(last), str(tmp_path / "box.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out: dict[int, dict[str, list]] = {}
    for m in re.finditer(r"Page\s+(\d+)\s+(\w+Box):\s+([\d.\s]+)", info):
        out.setdefault(int(m.group(1)), {})[m.group(2)] = [float(v) for v in m.group(3).split()]
    return out


def page_text(pdf: bytes, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


def raster(pdf: bytes, tmp_path: Path, dpi: int, page: int | None = None) -> list[Image.Image]:
    (tmp_path / "r.pdf").write_bytes(pdf)
    args = ["pdftoppm", "-r", str(dpi), "-png"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    for old in tmp_path.glob("r-*.png"):
        old.unlink()
    subprocess.run([*args, str(tmp_path / "r.pdf"), str(tmp_path / "r")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("r-*.png"))]


# --- the tile plan -----------------------------------------------------------------------------


def test_100x70_on_a4_takes_16_landscape_sheets():
    # Window on a landscape A4: 297 − 2·(5 + 8) = 271 mm wide, 184 mm tall; 10 mm overlap.
    # Columns: ⌈(1000 − 10) / 261⌉ = 4; rows: ⌈(700 − 10) / 174⌉ = 4. Portrait would take 6 × 3.
    tiles = plan_tiles(poster().page, "a4", 10)
    assert (tiles.rows, tiles.cols, tiles.landscape) == (4, 4, True)
    assert tiles.count == 16


def test_windows_cover_the_poster_and_overlap_by_the_glue_strip():
    tiles = plan_tiles(poster().page, "letter", 15)
    page = poster().page
    for row in range(tiles.rows):
        for col in range(tiles.cols):
            x0, y0, x1, y1 = tiles.window(row, col)
            assert x1 - x0 <= tiles.image_w + 1e-6 and y1 - y0 <= tiles.image_h + 1e-6
            if col:
                assert tiles.window(row, col - 1)[2] - x0 == pytest.approx(tiles.overlap)
            if row:
                assert tiles.window(row - 1, col)[3] - y0 == pytest.approx(tiles.overlap)
    assert tiles.window(tiles.rows - 1, tiles.cols - 1)[2:] == (page.width, page.height)


def test_labels_are_row_letters_and_column_numbers():
    assert [label(0, 0), label(1, 2), label(25, 0), label(26, 9)] == ["A1", "B3", "Z1", "AA10"]


@pytest.mark.parametrize(
    ("sheet", "overlap", "message"),
    [
        ("a3", 10, "unknown sheet 'a3'"),
        ("a4", -1, "overlap must be between 0 and 50 mm"),
        ("a4", 80, "overlap must be between 0 and 50 mm"),
    ],
)
def test_bad_tile_options_say_what_is_allowed(sheet, overlap, message):
    with pytest.raises(ValueError, match=message):
        plan_tiles(poster().page, sheet, overlap)


def test_a_poster_smaller_than_a_sheet_takes_one_sheet():
    assert plan_tiles(plan(Spec(text="Hi", lang="en", size="a5")).page, "a4").count == 1


# --- the tiled PDF -----------------------------------------------------------------------------


@needs_poppler
def test_tiled_pdf_is_a_map_then_16_a4_pages(tmp_path):
    found = boxes(tiled(), tmp_path, 1, 17)
    assert sorted(found) == list(range(1, 18))
    for page in found.values():
        assert [round(v, 2) for v in page["MediaBox"]] == [0, 0, *A4_LANDSCAPE]


@needs_poppler
def test_tiled_pdf_labels_are_in_reading_order():
    pdf = tiled()
    assert "Assembly map" in page_text(pdf, 1) and "16 sheets" in page_text(pdf, 1)
    for i in range(16):
        row, col = divmod(i, 4)
        text = page_text(pdf, i + 2)
        assert re.search(rf"\b{label(row, col)}\b", text), (i, text)
        assert f"row {'ABCD'[row]}, column {col + 1}" in text
        assert f"sheet {i + 1} of 16" in text
        assert ("glue here" in text) == (row < 3 or col < 3)
        assert ("lay over the glue strip" in text) == (row > 0 or col > 0)


@needs_poppler
def test_tiled_pdf_is_vector_with_embedded_fonts(tmp_path):
    pdf = tiled()
    assert "Свободу" in page_text(pdf, 1) and "анархистам" in page_text(pdf, 1)  # the map
    (tmp_path / "t.pdf").write_bytes(pdf)
    images = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "t.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(images) == 2  # the header lines only: no raster anywhere
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "t.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts)  # embedded, subset
    assert len(fonts) == 3  # label, symbols and the slogan's face: once each


@needs_poppler
def test_tiles_stitched_minus_overlaps_match_the_poster(tmp_path):
    layout = poster()
    tiles = plan_tiles(layout.page, "a4", 10)
    k = DPI / 72
    reference = Image.open(io.BytesIO(render_png(layout, dpi=DPI))).convert("RGB")
    canvas = Image.new("RGB", reference.size, "white")
    sheets = raster(tiled(), tmp_path, DPI)[1:]
    assert len(sheets) == 16
    o = tiles.origin
    for i, sheet in enumerate(sheets):
        row, col = divmod(i, tiles.cols)
        x0, y0, x1, y1 = tiles.cell(row, col)
        piece = sheet.crop(
            (round(o * k), round(o * k), round((o + x1 - x0) * k), round((o + y1 - y0) * k))
        )
        canvas.paste(piece, (round(x0 * k), round(y0 * k)))
    assert mask_iou(dark_mask(reference), dark_mask(canvas)) >= 0.9


@needs_poppler
def test_every_sheet_has_its_cut_marks_in_the_band(tmp_path):
    tiles = plan_tiles(poster().page, "a4", 10)
    sheet = raster(tiled(), tmp_path, 72, page=7)[0]  # B2: an inner sheet
    o, w, h = tiles.origin, tiles.image_w, tiles.image_h
    dark = dark_mask(sheet)
    mid = 3.5 * PT_PER_MM  # middle of a 5 mm mark, 1 mm out
    for x, y in ((o - mid, o), (o, o - mid), (o + w + mid, o + h), (o + w, o + h + mid)):
        box = (round(x) - 2, round(y) - 2, round(x) + 3, round(y) + 3)
        assert dark.crop(box).getbbox(), (x, y)


# --- bleed, crop marks, hem -------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize(("bleed_mm", "crop"), [(3, False), (3, True), (0, True), (5, True)])
def test_bleed_pdf_boxes(tmp_path, bleed_mm, crop):
    layout = poster("a4")
    w, h = layout.page.width, layout.page.height
    bleed = bleed_mm * PT_PER_MM
    edge = bleed if not crop else max(bleed, MARK_OFFSET_PT) + MARK_LENGTH_PT + MARK_ROOM_PT
    got = boxes(render_pdf(layout, bleed_mm=bleed_mm, crop_marks=crop), tmp_path)[1]
    assert got["MediaBox"] == pytest.approx([0, 0, w + 2 * edge, h + 2 * edge], abs=0.01)
    assert got["TrimBox"] == pytest.approx([edge, edge, edge + w, edge + h], abs=0.01)
    assert got["BleedBox"] == pytest.approx(
        [edge - bleed, edge - bleed, edge + w + bleed, edge + h + bleed], abs=0.01
    )


def test_plain_pdf_has_no_extra_boxes():
    pdf = render_pdf(poster("a4"))
    assert b"/TrimBox" not in pdf and b"/BleedBox" not in pdf and b"/OCG" not in pdf


@needs_poppler
def test_background_fills_the_bleed_and_marks_stay_outside_it(tmp_path):
    layout = poster("a5", bg="#c00000", fg="#ffffff")
    dpi = 72
    pdf = render_pdf(layout, bleed_mm=3, crop_marks=True)
    image = raster(pdf, tmp_path, dpi)[0]
    edge = MARK_OFFSET_PT + MARK_LENGTH_PT + MARK_ROOM_PT
    bleed = 3 * PT_PER_MM
    w, h = layout.page.width, layout.page.height
    # Inside the bleed ring (between trim and bleed box) every pixel is the background.
    ring = image.crop(
        (
            round(edge - bleed) + 1,
            round(edge - bleed) + 1,
            round(edge + w + bleed) - 1,
            round(edge) - 1,
        )
    )
    assert colours(ring) == {(192, 0, 0)}
    # Outside the bleed: white paper and black marks, nothing else; marks on all four corners.
    for cx, cy in (
        (edge, 0),
        (edge + w, 0),
        (edge, edge + h + bleed + 4),
        (edge + w, edge + h + bleed + 4),
    ):
        box = (round(cx) - 2, round(cy), round(cx) + 3, round(cy) + 6)
        pixels = colours(image.crop(box))
        assert any(sum(p) < 200 for p in pixels), (cx, cy)
        assert all(sum(p) < 200 or min(p) > 200 for p in pixels), pixels
    # Along the top-left horizontal mark's row, at 288 DPI: dark for the mark, then nothing
    # dark for the last 3 mm (= the bleed here) before the trim: marks stay out of the bleed.
    image = raster(pdf, tmp_path, 288)[0].convert("L")
    k = 4
    row = int(edge * k)
    mark = [
        image.getpixel((x, row))
        for x in range(
            round((edge - MARK_OFFSET_PT - MARK_LENGTH_PT) * k) + 2,
            round((edge - MARK_OFFSET_PT) * k) - 2,
        )
    ]
    gap = [
        image.getpixel((x, row))
        for x in range(round((edge - MARK_OFFSET_PT) * k) + 2, int(edge * k))
    ]
    assert mark and max(mark) < 160
    assert gap and min(gap) > 40  # the red background is L 57; the mark is black


def test_crop_marks_are_registration_black():
    assert b"1 1 1 1 K" in _uncompressed(render_pdf(poster("a4"), bleed_mm=3, crop_marks=True))


def colours(image: Image.Image) -> set[tuple[int, int, int]]:
    return {colour for _count, colour in image.getcolors(1 << 24)}


def _uncompressed(pdf: bytes) -> bytes:
    import zlib

    out = b""
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        with contextlib.suppress(zlib.error):
            out += zlib.decompress(m.group(1))
    return out


def test_hem_layer_is_an_optional_content_group():
    pdf = render_pdf(poster("300x100cm"), hem_mm=40)
    assert b"/Type /OCG" in pdf and b"(Hem and grommets)" in pdf and b"/OCProperties" in pdf
    assert b"/OC /OC1 BDC" in _uncompressed(pdf)
    assert b"/OCG" not in render_pdf(poster("300x100cm"))


def test_grommets_sit_at_the_corners_and_at_most_50_cm_apart():
    w, h, hem = 3000 * PT_PER_MM, 1000 * PT_PER_MM, 40 * PT_PER_MM
    points = grommets(w, h, hem)
    assert len(points) == 2 * 7 + 2 * 3 - 4  # 7 along the long edges, 3 along the short
    inset = hem / 2
    for corner in ((inset, inset), (w - inset, inset), (inset, h - inset), (w - inset, h - inset)):
        assert any(p == pytest.approx(corner) for p in points)
    top = sorted(x for x, y in points if y == pytest.approx(inset))
    assert max(b - a for a, b in itertools.pairwise(top)) <= 500 * PT_PER_MM


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"bleed_mm": 30}, "bleed must be between 0 and 20 mm"),
        ({"bleed_mm": -1}, "bleed must be between"),
        ({"hem_mm": 100}, "hem must be between 0 and 52 mm"),
    ],
)
def test_bad_print_options_say_what_is_allowed(options, message):
    with pytest.raises(ValueError, match=message):
        render_pdf(poster("a4"), **options)


def test_sheet_sizes_are_the_real_papers():
    assert SHEETS_MM == {"a4": (210, 297), "letter": (215.9, 279.4)}


def test_cloth_banner_png_at_150_dpi_stays_under_500_mb():
    """300 × 100 cm @150 DPI (105 Mpx), the whole fresh process's peak (VmHWM)."""
    import sys

    code = """
from poster_app.layout import Spec, plan
from poster_app.layout.png import render_png
layout = plan(Spec(text="СВОБОДУ АНАРХИСТАМ!", lang="ru", size="300x100cm"))
assert len(render_png(layout, dpi=150)) > 0
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) // 1024)
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) <= 500


def test_over_the_cap_the_png_is_refused_pointing_to_the_pdf():
    with pytest.raises(ValueError, match="download the PDF, which has no size limit"):
        render_png(poster("300x100cm"), dpi=300)
