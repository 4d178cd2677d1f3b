"""Symbols on banners (✊ ❤ ☮ ✌ ★ ✈ Ⓐ ⚑) are drawn, and drawn at the slogan's weight.

The raised fist made every render fail until the monochrome emoji face was bundled
(fonts/PosterEmoji-Heavy.ttf, Noto Emoji emboldened: see fonts/heavy_emoji.py). Weight is
measured on the page: each symbol's mean stroke thickness against the letters' beside it,
in the PNG and in poppler's raster of the PDF.
"""

from __future__ import annotations

import io
import json
import shutil

import pytest
from cli_helpers import render
from PIL import Image
from raster_helpers import dark_mask, mask_iou, pdf_raster, stroke_width

from poster_app.layout.fit import plan
from poster_app.layout.itemize import MissingGlyphs
from poster_app.layout.pdf import render_pdf
from poster_app.layout.png import render_png
from poster_app.layout.spec import Spec
from poster_app.layout.symbols import offers, with_symbols

SYMBOLS = "✊❤☮✌★✈Ⓐ⚑"
DPI = 150
# Noto Emoji Bold's lines are 0.32 of Noto Sans Black's stems and Noto Sans Symbols 2's
# outline hand 0.3: thin beside a Black slogan. The heavy face brings them to about 0.6.
MIN_WEIGHT_RATIO = 0.5

needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")


def symbol_layout(symbol: str, family: str = "sans"):
    """One line: the symbol between two words, on a strip wide enough to keep one line."""
    return plan(Spec(text=f"FREE {symbol} HERE", size="300x60mm", family=family))


def ink_of_runs(image: Image.Image, layout, wanted) -> Image.Image:
    """The ink mask of the page with everything outside the wanted runs' advance boxes blank."""
    k = DPI / 72
    mask = dark_mask(image)
    keep = Image.new("L", mask.size, 0)
    for line in layout.lines:
        for run in line.runs:
            if wanted(run):
                box = (
                    round(run.x * k),
                    round((line.ink.y0 - 2) * k),
                    round((run.x + run.advance) * k),
                    round((line.ink.y1 + 2) * k),
                )
                keep.paste(mask.crop(box), box[:2])
    return keep


def weight_ratio(image: Image.Image, layout, symbol: str) -> float:
    """The symbol's stroke thickness over the letters', per point of font size."""
    runs = [r for line in layout.lines for r in line.runs]
    (sym,) = [r for r in runs if r.text == symbol]
    letters = [r for r in runs if r.text.strip().isalpha()]
    ours = stroke_width(ink_of_runs(image, layout, lambda r: r is sym)) / sym.size
    theirs = stroke_width(ink_of_runs(image, layout, lambda r: r in letters)) / letters[0].size
    return ours / theirs


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_symbol_is_drawn_and_not_with_the_letters(symbol):
    layout = symbol_layout(symbol)
    assert [ln.text for ln in layout.lines] == [f"FREE {symbol} HERE"]
    (run,) = [r for ln in layout.lines for r in ln.runs if symbol in r.text]
    assert run.text == symbol, "spaces beside a symbol belong to the words"


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_symbol_has_the_slogans_weight_in_the_png(symbol):
    layout = symbol_layout(symbol)
    image = Image.open(io.BytesIO(render_png(layout, dpi=DPI))).convert("RGB")
    assert weight_ratio(image, layout, symbol) >= MIN_WEIGHT_RATIO


@needs_poppler
@pytest.mark.parametrize("symbol", SYMBOLS)
def test_symbol_has_the_slogans_weight_in_the_pdf_and_matches_the_png(symbol, tmp_path):
    layout = symbol_layout(symbol)
    png = Image.open(io.BytesIO(render_png(layout, dpi=DPI))).convert("RGB")
    pdf = pdf_raster(render_pdf(layout), DPI, tmp_path, png.size)
    assert weight_ratio(pdf, layout, symbol) >= MIN_WEIGHT_RATIO
    assert mask_iou(dark_mask(png), dark_mask(pdf)) >= 0.9


@pytest.mark.parametrize("family", ["serif", "condensed"])
def test_the_fist_is_heavy_beside_the_other_families(family):
    layout = symbol_layout("✊", family)
    image = Image.open(io.BytesIO(render_png(layout, dpi=DPI))).convert("RGB")
    assert weight_ratio(image, layout, "✊") >= MIN_WEIGHT_RATIO


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("✊ 2024", "en"),
        ("СВОБОДУ! ✊ 1917", "ru"),
        ("✊ الحرية 2024", "ar"),
        ("✊🏽 ❤️ FREE", "en"),  # a skin tone and an emoji presentation selector
    ],
)
def test_digits_and_spaces_after_a_symbol_stay_in_the_slogans_face(text, lang):
    layout = plan(Spec(text=text, lang=lang, size="300x60mm"))
    for run in (r for ln in layout.lines for r in ln.runs):
        if "Emoji" in run.font:
            assert not any(c.isspace() or c.isdigit() for c in run.text), run


def test_a_character_no_font_has_says_to_remove_it():
    with pytest.raises(MissingGlyphs) as err:
        plan(Spec(text="FREE \U00012000"))
    message = str(err.value)
    assert message == "no bundled font has U+12000 CUNEIFORM SIGN A; remove it from the slogan"
    assert "language" not in message


def test_a_typed_circle_a_is_offered_as_the_symbol_not_swapped():
    result = render("RELEASE THE NETWORK (A)", "--json")
    assert result.returncode == 0
    assert "(A) can be drawn as Ⓐ (circle-A): add --symbols" in result.stderr
    assert "RELEASE THE NETWORK (A)" in " ".join(
        ln["text"] for ln in json.loads(result.stdout)["lines"]
    )


def test_symbols_draws_the_circle_a():
    result = render("RELEASE THE NETWORK (A)", "--symbols", "--signature", "ABC (A)", "--json")
    assert result.returncode == 0 and result.stderr == ""
    layout = json.loads(result.stdout)
    assert "RELEASE THE NETWORK Ⓐ" in " ".join(ln["text"] for ln in layout["lines"])
    assert "(A)" not in result.stdout
    assert with_symbols("(A) and (A)") == "Ⓐ and Ⓐ"
    assert offers("no stand-ins (a)") == []
