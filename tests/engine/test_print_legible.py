"""Print extras people can read: the tiled PDF's assembly map keeps to its sheet (every word
inside the printable area as `pdftotext -bbox` reads it, the steps whole, each sheet's label
clear of the others), and the cloth banner's hem guides stand out from any ground."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from functools import cache

import pytest

from poster_app.layout import Spec, contrast, plan
from poster_app.layout.geometry import PT_PER_MM
from poster_app.layout.pdf import render_pdf
from poster_app.layout.tiles import UNPRINTABLE_MM, label, plan_tiles, render_tiles

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
SLOGAN = "Free them all"
STEPS = (
    "cut along the marks on its left and top edges.",
    "Work row by row, then trim the outer border along the marks.",
    "the bar below must measure 50 mm.",
)


@cache
def map_page(size: str, sheet: str):
    """The map's words with their boxes, and the page's size."""
    layout = plan(Spec(text=SLOGAN, lang="en", size=size))
    pdf = render_tiles(layout, sheet)
    out = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    width, height = map(float, PAGE.search(out).groups())
    words = [(m[5], tuple(float(v) for v in m.groups()[:4])) for m in WORD.finditer(out)]
    return words, width, height, plan_tiles(layout.page, sheet)


CASES = [
    ("banner-300x100cm", "a4"),
    ("a0", "a4"),
    ("a1", "letter"),
    ("100x70cm", "a4"),
    ("60x240cm", "a4"),
]


@pytest.mark.parametrize(("size", "sheet"), CASES)
def test_every_word_of_the_map_lies_on_the_sheet(size, sheet):
    """Every word on the sheet; the map's own words (not the slogan's, whose font box may pass
    the small poster's edge while its ink is clipped to it) inside the printable area."""
    words, width, height, _plan = map_page(size, sheet)
    edge = UNPRINTABLE_MM * PT_PER_MM
    slogan = set(SLOGAN.split())
    outside = [
        (text, box)
        for text, box in words
        for inset in ([0.0] if text in slogan else [edge])
        if box[0] < inset or box[1] < inset or box[2] > width - inset or box[3] > height - inset
    ]
    assert not outside, f"{size} on {sheet}: {outside}"


@pytest.mark.parametrize(("size", "sheet"), CASES)
def test_the_steps_are_whole(size, sheet):
    words, *_ = map_page(size, sheet)
    text = " ".join(text for text, _box in words)
    for step in STEPS:
        assert step in text, f"{size} on {sheet}: {step!r} is cut"


@pytest.mark.parametrize(("size", "sheet"), CASES)
def test_every_sheet_label_is_on_the_map_clear_of_the_others(size, sheet):
    words, _w, _h, tiles = map_page(size, sheet)
    labels = [(text, box) for text, box in words if re.fullmatch(r"[A-Z]+\d+", text)]
    expected = {label(row, col) for row in range(tiles.rows) for col in range(tiles.cols)}
    assert {text for text, _box in labels} == expected  # each one word: none overprinted
    for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
        across = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
        down = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
        assert across <= 0 or down <= 0, f"{a} and {b} overlap on the map of {size}"


def test_a_wide_poster_gets_a_landscape_map():
    _words, width, height, _plan = map_page("banner-300x100cm", "a4")
    assert width > height
    _words, width, height, _plan = map_page("60x240cm", "a4")
    assert width < height


@pytest.mark.parametrize(
    ("fg", "bg"),
    [
        ("#ffffff", "#c8102e"),
        ("#000000", "#ffffff"),
        ("#ffffff", "#000000"),
        ("#000000", "#ffd400"),
        ("#ffffff", "#ec008c"),
    ],
)
def test_hem_guides_stand_out_from_the_ground(tmp_path, fg, bg):
    """Around the top-left grommet the guides' ink differs clearly from the ground."""
    from PIL import Image

    layout = plan(Spec(text="Free them all", lang="en", size="300x100cm", fg=fg, bg=bg))
    (tmp_path / "hem.pdf").write_bytes(render_pdf(layout, hem_mm=40))
    corner = ["-x", "0", "-y", "0", "-W", "120", "-H", "120"]  # px at 72 DPI: the first grommet
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "72",
            *corner,
            "-png",
            "-singlefile",
            str(tmp_path / "hem.pdf"),
            str(tmp_path / "hem"),
        ],
        check=True,
    )
    pixels = set(Image.open(tmp_path / "hem.png").convert("RGB").get_flattened_data())
    best = max(contrast(pixel, layout.bg) for pixel in pixels)
    assert best >= 3, f"the hem guides vanish on {bg}: {sorted(pixels)[:8]}"
