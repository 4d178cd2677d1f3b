"""The whole slogan corpus through plan(), render_png() and render_pdf(): the engine's promises.

For every entry of CORPUS (both styles where it is cheap): no run names a font lacking one of
its characters, the ink stays inside the margins where the Layout says it is, the PDF embeds
every font, its text extracts for the scripts poppler reads back in order, and poppler's
raster of the PDF covers the same pixels as our PNG. Dictionary-broken scripts with no
spaces still break into lines, and no slogan leaves a portrait A4 page mostly empty.

PNGs are rendered at a modest DPI so that the whole file stays fast; PNG-vs-PDF agreement at
300 DPI is checked on one small page.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops
from raster_helpers import mask_iou, pdf_raster

from poster_app.layout.corpus import CORPUS
from poster_app.layout.fit import plan
from poster_app.layout.fontcache import font_path
from poster_app.layout.geometry import Layout
from poster_app.layout.languages import language
from poster_app.layout.pdf import render_pdf
from poster_app.layout.png import render_png
from poster_app.layout.spec import Spec

DPI = 100  # corpus-wide checks
SHARP_DPI = 300  # PNG vs PDF on one small page
SMALL_PAGE = "100x60mm"
STYLES = ("fill", "stack")
IDS = list(CORPUS)
# Scripts whose text pdftotext gives back in reading order (RTL and complex Indic need not).
EXTRACTABLE = {"Latn", "Cyrl", "Grek", "Hani", "Hans", "Hant", "Jpan", "Kore", "Hang"}
NO_SPACE_SCRIPTS = {"th": "Thai", "km": "Khmer", "my": "Burmese"}
# Default-ignorable joiners and variation selectors: the shaper consumes them, nothing is drawn.
IGNORABLE = {"\u200c", "\u200d", *map(chr, range(0xFE00, 0xFE10))}

# Known engine shortfalls found by these tests. Strict (as every xfail here): when the engine
# is tuned and one passes, the run fails until its entry is dropped, so none passes unnoticed.
PREDICTION = (
    "measure.ink is Pillow's integer bbox at REF = 200 px, rounded outward and scaled, "
    "while the PNG is hinted at its own size: the top of the ink lands ~3 px below"
)
KNOWN = {
    ("ink", "uk", "stack"): PREDICTION,
    ("ink", "ru", "stack"): PREDICTION,
    ("ink", "fa-jina", "fill"): PREDICTION,
    ("ink", "vi", "stack"): PREDICTION,
}


def cases(check: str) -> list:
    """(entry, style) for every corpus entry and style, known shortfalls marked xfail."""
    out = []
    for entry in IDS:
        for style in STYLES:
            reason = KNOWN.get((check, entry, style))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            out.append(pytest.param(entry, style, marks=marks, id=f"{entry}-{style}"))
    return out


needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdffonts") and shutil.which("pdftotext")),
    reason="poppler-utils (pdftoppm, pdffonts, pdftotext) missing",
)


# --- shared, cached work -----------------------------------------------------------------------


# Each made once per process whatever the call leaves to its defaults: `cache` keys on the
# arguments as written, so pdf_of(entry) and pdf_of(entry, "fill") rendered the PDF twice.


def layout_of(entry: str, style: str = "fill", size: str = "a4") -> Layout:
    return _layout(entry, style, size)


def png_of(entry: str, style: str = "fill", size: str = "a4", dpi: int = DPI) -> Image.Image:
    return _png(entry, style, size, dpi)


def pdf_of(entry: str, style: str = "fill", size: str = "a4") -> bytes:
    return _pdf(entry, style, size)


@cache
def _layout(entry: str, style: str, size: str) -> Layout:
    lang, text = CORPUS[entry]
    return plan(Spec(text=text, lang=lang, size=size, style=style))


@cache
def _png(entry: str, style: str, size: str, dpi: int) -> Image.Image:
    data = render_png(layout_of(entry, style, size), dpi=dpi)
    return Image.open(io.BytesIO(data)).convert("RGB")


@cache
def _pdf(entry: str, style: str, size: str) -> bytes:
    return render_pdf(layout_of(entry, style, size))


@cache
def cmap_of(file: str, index: int) -> frozenset[int]:
    with TTFont(font_path(file), fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap())


def ink_mask(image: Image.Image, bg: tuple[int, int, int], level: int = 128) -> Image.Image:
    """255 where a pixel differs from the background by at least `level` (default: by half,
    i.e. nearer the foreground); level 1 is any coverage at all, as Pillow's ink boxes count."""
    diff = ImageChops.difference(image.convert("RGB"), Image.new("RGB", image.size, bg))
    return diff.convert("L").point(lambda v: 255 if v >= level else 0)


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def squeeze(text: str) -> str:
    """Text without any whitespace, NFC: what must survive line breaking and extraction."""
    return "".join(unicodedata.normalize("NFC", text).split())


# --- glyphs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("entry", IDS)
def test_every_character_is_in_the_font_its_run_names(entry, style):
    layout = layout_of(entry, style)
    missing = []
    for line in layout.all_lines:
        for run in line.runs:
            cmap = cmap_of(run.font, run.index)
            for ch in run.text:
                if ch in " \n" or (ch in IGNORABLE and ord(ch) not in cmap):
                    continue
                if ord(ch) not in cmap:
                    missing.append(
                        f"U+{ord(ch):04X} {unicodedata.name(ch, '?')} in {run.font}#{run.index}"
                    )
    assert not missing, missing


def test_the_whole_slogan_is_laid_out():
    """Every non-space character of each slogan is in some run, in order (nothing dropped)."""
    for entry, (_, text) in CORPUS.items():
        for style in STYLES:
            layout = layout_of(entry, style)
            laid = "".join(run.text for line in layout.lines for run in line.runs)
            assert sorted(squeeze(laid).replace("-", "")) == sorted(
                squeeze(text).replace("-", "")
            ), (entry, style)


# --- ink inside the margins, where the Layout says ---------------------------------------------


@pytest.mark.parametrize("entry, style", cases("ink"))
def test_ink_lies_inside_the_margins_where_predicted(entry, style):
    layout = layout_of(entry, style)
    image = png_of(entry, style)
    k = DPI / 72
    # Any coverage: the Layout's ink boxes are Pillow's, which count every touched pixel.
    bbox = ink_mask(image, layout.bg, level=1).getbbox()
    assert bbox is not None, "nothing drawn"
    box = layout.box.scaled(k)
    x0, y0, x1, y1 = bbox
    # bbox is in whole pixels (right/bottom exclusive): ±1 px around the box's pixel edges.
    assert x0 >= math.floor(box.x0) - 1 and y0 >= math.floor(box.y0) - 1, (bbox, box.as_list())
    assert x1 <= math.ceil(box.x1) + 1 and y1 <= math.ceil(box.y1) + 1, (bbox, box.as_list())
    predicted = layout.ink.scaled(k).as_list()
    assert all(abs(a - b) <= 3 for a, b in zip(bbox, predicted, strict=True)), (bbox, predicted)


# --- PDF: fonts, text, raster ------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("entry", IDS)
def test_pdf_embeds_every_font(entry, tmp_path):
    out = poppler("pdffonts", pdf_of(entry), tmp_path)
    rows = out.splitlines()[2:]
    faces = {(r.font, r.index) for line in layout_of(entry).all_lines for r in line.runs}
    assert len(rows) == len(faces), out
    for row in rows:
        # columns: name type encoding emb sub uni object ID
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row), row


def extractable(entry: str) -> bool:
    lang, _ = CORPUS[entry]
    return language(lang).script in EXTRACTABLE


@needs_poppler
@pytest.mark.parametrize("entry", [e for e in IDS if extractable(e)])
def test_pdf_text_extracts(entry, tmp_path):
    _, text = CORPUS[entry]
    out = poppler("pdftotext", pdf_of(entry), tmp_path)
    got = {squeeze(out), squeeze(re.sub(r"-\n", "", out))}
    assert squeeze(text) in got, (out, text)


@needs_poppler
@pytest.mark.parametrize("entry, style", cases("raster"))
def test_pdf_raster_overlaps_png(entry, style, tmp_path):
    layout = layout_of(entry, style)
    png = png_of(entry, style)
    pdf = pdf_raster(pdf_of(entry, style), DPI, tmp_path, png.size)
    assert mask_iou(ink_mask(png, layout.bg), ink_mask(pdf, layout.bg)) >= 0.9


@needs_poppler
@pytest.mark.parametrize("entry", IDS)
def test_pdf_raster_matches_png_at_300_dpi_on_a_small_page(entry, tmp_path):
    layout = layout_of(entry, "fill", SMALL_PAGE)
    png = png_of(entry, "fill", SMALL_PAGE, SHARP_DPI)
    pdf = pdf_raster(pdf_of(entry, "fill", SMALL_PAGE), SHARP_DPI, tmp_path, png.size)
    a, b = ink_mask(png, layout.bg), ink_mask(pdf, layout.bg)
    assert mask_iou(a, b) >= 0.9
    box_a, box_b = a.getbbox(), b.getbbox()
    assert all(abs(p - q) <= 2 for p, q in zip(box_a, box_b, strict=True)), (box_a, box_b)


# --- breaking and coverage ---------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("entry", [e for e in IDS if e in NO_SPACE_SCRIPTS])
def test_scripts_without_spaces_break_into_lines(entry, style):
    """The corpus slogan with its spaces taken out still breaks, by the dictionary."""
    lang, text = CORPUS[entry]
    layout = plan(Spec(text=text.replace(" ", ""), lang=lang, style=style))
    assert len(layout.lines) >= 2
    # And with its spaces, the dictionary still cuts the chunks between spaces.
    assert len(layout_of(entry, style).lines) > len(text.split())


@pytest.mark.parametrize("entry, style", cases("coverage"))
def test_text_block_covers_fifteen_percent_of_a_portrait_a4(entry, style):
    layout = layout_of(entry, style)
    assert layout.page.height > layout.page.width
    bbox = ink_mask(png_of(entry, style), layout.bg).getbbox()
    k = DPI / 72
    area = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]) / (k * k)
    assert area / (layout.page.width * layout.page.height) >= 0.15
