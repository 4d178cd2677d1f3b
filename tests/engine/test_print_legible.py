"""Print extras people can read: the tiled PDF's assembly map keeps to its sheet (every word
inside the printable area as `pdftotext -bbox` reads it, the steps whole, each sheet's label
clear of the others), and the cloth banner's hem guides stand out from any ground."""

from __future__ import annotations

import itertools
import math
import re
import shutil
import subprocess
from functools import cache

import pytest
from raster_helpers import colours_in, pdf_raster, ring_colours

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
    return (*map_words(render_tiles(layout, sheet)), plan_tiles(layout.page, sheet))


def map_words(pdf: bytes):
    """The words of the PDF's first page (the map) with their boxes, and the page's size."""
    out = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    width, height = map(float, PAGE.search(out).groups())
    words = [(m[5], tuple(float(v) for v in m.groups()[:4])) for m in WORD.finditer(out)]
    return words, width, height


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


LABEL_FACE = "fonts/NotoSans-Black.ttf"


@cache
def label_metrics() -> tuple[float, float, float, dict[str, float]]:
    """The label face's ascent, descent, cap height and advances, per point of size."""
    from fontTools.ttLib import TTFont

    face = TTFont(LABEL_FACE)
    em, cmap, hmtx = face["head"].unitsPerEm, face.getBestCmap(), face["hmtx"]
    advances = {c: hmtx[cmap[ord(c)]][0] / em for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}
    return (
        face["hhea"].ascent / em,
        -face["hhea"].descent / em,
        face["OS/2"].sCapHeight / em,
        advances,
    )


def cap_box(text: str, box: tuple[float, ...]) -> tuple[tuple[float, ...], float]:
    """Where a label's letters are (its advance by its cap height), and its size, from the
    box pdftotext gives (the advance by the face's ascent and descent; turned a quarter for
    a label that reads upwards)."""
    ascent, descent, cap, advances = label_metrics()
    x0, y0, x1, y1 = box
    advance = sum(advances[c] for c in text)
    size = (y1 - y0) / (ascent + descent)
    if abs(advance * size - (x1 - x0)) < 0.05 * (x1 - x0):
        base = y1 - descent * size
        return (x0, base - cap * size, x1, base), size
    size = (x1 - x0) / (ascent + descent)  # upwards: the letters' tops face left
    base = x1 - descent * size
    return (base - cap * size, y0, base, y1), size


@pytest.mark.parametrize(
    ("lang", "text", "theme"),
    [
        ("en", "Free them all", "plain"),
        ("ru", "Свободу политзаключённым", "plain"),
        ("ar", "الحرية للجميع", "band"),
        ("zh-Hans", "释放所有政治犯", "bars"),
    ],
    ids=["en", "ru", "ar-band", "zh-bars"],
)
def test_every_sheet_label_on_the_map_has_light_room_around_its_letters(
    lang, text, theme, tmp_path
):
    """On a 300 x 100 cm banner tiled on A4, each label's letters are black with a fifth of
    an em of light room all round (black on it at least 7:1), whatever the slogan under it:
    no stroke of the slogan touches a label's letters (they ran up against them, "[D5]")."""
    layout = plan(Spec(text=text, lang=lang, size="300x100cm", theme=theme))
    tiles = plan_tiles(layout.page, "a4")
    pdf = render_tiles(layout, "a4")
    words, width, height = map_words(pdf)
    dpi = 200
    image = pdf_raster(pdf, dpi, tmp_path, (round(width * dpi / 72), round(height * dpi / 72)))
    top = max(box[3] for word, box in words if word == "mm")  # the map is under the 50 mm bar
    expected = {label(row, col) for row in range(tiles.rows) for col in range(tiles.cols)}
    labels = [(t, box) for t, box in words if t in expected and box[1] > top]
    assert {t for t, _box in labels} == expected
    for name, box in labels:
        letters, size = cap_box(name, box)
        drawn = colours_in(image, pixel_box(letters, 0, dpi))
        assert max(contrast(c, (255, 255, 255)) for _n, c in drawn) > 7, name
        # The ring from just outside the letters (a pixel and their overshoot) out to 0.2 em.
        colours = ring_colours(
            image,
            pixel_box(letters, 0.2 * size, dpi, inward=True),
            pixel_box(letters, 0.03 * size, dpi, pad=1),
        )
        worst = min(contrast(c, (0, 0, 0)) for c in colours)
        assert worst >= 7, f"{lang}: {name} has {worst:.1f}:1 around its letters"


def pixel_box(box, grow: float, dpi: int, inward: bool = False, pad: int = 0) -> tuple[int, ...]:
    """`box` (points) grown by `grow` points, in whole pixels at `dpi` (rounded inward or
    outward), then `pad` pixels more."""
    k = dpi / 72
    r0, r1 = (math.ceil, math.floor) if inward else (math.floor, math.ceil)
    x0, y0, x1, y1 = box
    return (
        r0((x0 - grow) * k) - pad,
        r0((y0 - grow) * k) - pad,
        r1((x1 + grow) * k) + pad,
        r1((y1 + grow) * k) + pad,
    )


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
