"""Bidi levels (implicit rules) and line reordering, checked against UAX #9 examples; each
text of a banner (typed line, translation, signature) in its own base direction."""

import io
import re
import shutil
import subprocess

import pytest
from PIL import Image, ImageDraw
from raster_helpers import dark_mask, mask_iou, pdf_raster

from poster_app.layout import Spec, plan
from poster_app.layout.bidi import first_strong_level, levels, paragraph_level, visual_order
from poster_app.layout.fontcache import pil_font
from poster_app.layout.pdf import render_pdf
from poster_app.layout.png import pixel_size, render_png

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("abc def", 0, [0] * 7),
        ("אבג", 1, [1, 1, 1]),
        # Numbers inside right-to-left text are a left-to-right island (level 2).
        ("حرية 2020", 1, [1, 1, 1, 1, 1, 2, 2, 2, 2]),
        # Neutral parentheses between Arabic letters and Arabic numbers follow the Arabic.
        ("ا (12) ب", 1, [1, 1, 1, 2, 2, 1, 1, 1]),
        # Latin inside Arabic: a left-to-right island; the spaces around it stay right-to-left.
        ("ا abc ب", 1, [1, 1, 2, 2, 2, 1, 1]),
        # After Hebrew, numbers in English text stay European numbers (level 2) and the
        # space before them follows the Hebrew (N1); the comma between digits joins them (W4).
        ("a אב 1,5", 0, [0, 0, 1, 1, 1, 2, 2, 2]),
        # Marks take the level of their base (W1): vocalised Arabic stays one level.
        ("بِسْم", 1, [1, 1, 1, 1, 1]),
    ],
)
def test_levels(text, base, expected):
    assert levels(text, base) == expected


@pytest.mark.parametrize(
    ("run_levels", "order"),
    [
        ([0, 0], [0, 1]),
        ([1, 1, 1], [2, 1, 0]),
        ([1, 2, 1], [2, 1, 0]),  # a number run inside Arabic keeps its place, reversed around
        ([0, 1, 1, 0], [0, 2, 1, 3]),
        ([1, 2, 2, 1], [3, 1, 2, 0]),  # two ltr runs inside rtl keep their own order
    ],
)
def test_visual_order(run_levels, order):
    assert visual_order(run_levels) == order


# --- base direction of each paragraph: the language's, unless its letters all run the other way


@pytest.mark.parametrize(
    ("text", "language_level", "expected"),
    [
        ("الحرية للسجناء", 1, 1),
        ("Free them all!", 1, 0),  # an English line typed under an Arabic slogan
        ("FCKFSB الحرية", 1, 1),  # both directions: the language decides (HL1)
        ("(2024) ✊", 1, 1),  # no letter at all: the language's
        ("Free them all!", 0, 0),
        ("الحرية للسجناء!", 0, 1),  # an Arabic line typed under an English slogan
        ("Free الحرية", 0, 0),
    ],
)
def test_paragraph_level(text, language_level, expected):
    assert paragraph_level(text, language_level) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Colectivo (A)", 0), ("(2024) لجنة", 1), ("«Ⓐ» 8M", 0), ("✊ 2024", None)],
)
def test_first_strong_level(text, expected):
    """UAX #9 P2–P3: the first letter decides; none, the default."""
    assert first_strong_level(text, None) == expected


def visual(line) -> list[tuple[str, str]]:
    return [(run.text, run.direction) for run in line.runs]


@pytest.mark.parametrize(
    ("spec", "line", "runs"),
    [
        # The signature is no language's: "Colectivo (A)" is left to right under Arabic.
        (
            {"text": "الحرية للسجناء", "lang": "ar", "signature": "Colectivo (A)"},
            -1,
            [("Colectivo (A)", "ltr")],
        ),
        # A typed line in the other direction keeps its "!" at its own end.
        ({"text": "الحرية للسجناء\nFree them all!", "lang": "ar"}, -1, [("Free them all!", "ltr")]),
        (
            {"text": "Free them all!\nالحرية للسجناء!", "lang": "en"},
            -1,
            [("الحرية للسجناء!", "rtl")],
        ),
        # Translations take their own language's direction.
        (
            {"text": "الحرية للسجناء!", "lang": "ar", "also": (("en", "Free them all!"),)},
            -1,
            [("them all!", "ltr")],
        ),
        (
            {"text": "Free them all!", "lang": "en", "also": (("ar", "الحرية للسجناء!"),)},
            -1,
            [("للسجناء!", "rtl")],
        ),
        # A line of both directions in an Arabic slogan reads right to left, its "!" at the left.
        (
            {"text": "الحرية لـ Sergei!", "lang": "ar", "size": "300x100cm"},
            0,
            [("!", "rtl"), ("Sergei", "ltr"), ("الحرية لـ ", "rtl")],
        ),
    ],
)
def test_each_text_takes_its_own_direction(spec, line, runs):
    layout = plan(Spec(**{"size": "a4", **spec}))
    assert visual(layout.all_lines[line]) == runs


@needs_poppler
@pytest.mark.parametrize("style", ["fill", "stack"])
def test_a_latin_signature_on_an_arabic_banner_is_drawn_as_typed(style, tmp_path):
    """The PNG and poppler's raster of the PDF show "Colectivo (A)" left to right (before,
    both drew "(Colectivo (A"), and the PDF's words come in that order."""
    layout = plan(
        Spec(text="الحرية للسجناء", lang="ar", signature="Colectivo (A)", size="a5", style=style)
    )
    (sig,) = layout.signature
    dpi = 150
    k = dpi / 72
    size = pixel_size(layout.page, dpi)
    # What "Colectivo (A)" looks like set left to right in the signature's face and place.
    expected = Image.new("L", size, 255)
    run = sig.runs[0]
    ImageDraw.Draw(expected).text(
        (run.x * k, run.baseline * k),
        "Colectivo (A)",
        fill=0,
        font=pil_font(run.font, run.index, run.size * k),
        anchor="ls",
        direction="ltr",
    )
    window = tuple(round(v) for v in sig.ink.as_list(k, 0))
    window = (window[0] - 4, window[1] - 4, window[2] + 4, window[3] + 4)
    want = dark_mask(expected.crop(window))
    png = Image.open(io.BytesIO(render_png(layout, dpi=dpi)))
    pdf = render_pdf(layout)
    raster = pdf_raster(pdf, dpi, tmp_path, size)
    assert mask_iou(dark_mask(png.convert("RGB").crop(window)), want) > 0.95
    assert mask_iou(dark_mask(raster.crop(window)), want) > 0.9
    (tmp_path / "sig.pdf").write_bytes(pdf)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "sig.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = re.findall(r'<word xMin="([\d.]+)"[^>]* yMax="([\d.]+)">([^<]*)</word>', bbox)
    low = [(float(x), w) for x, bottom, w in words if float(bottom) > sig.ink.y0]
    assert [w for _, w in sorted(low)] == ["Colectivo", "(A)"]
