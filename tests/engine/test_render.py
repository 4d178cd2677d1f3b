"""render_png and render_pdf draw what a Layout says, and agree with each other to the pixel.

Layouts are built by hand here (no plan()), from the bundled fonts listed in fonts/manifest.json;
a checkout without them falls back to Debian's Noto fonts so the renderers can still be tested.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from raster_helpers import dark_mask, mask_iou, pdf_raster

from poster_app.layout.fontcache import FONTS_DIR, pil_font
from poster_app.layout.geometry import PT_PER_MM, Box, Layout, Line, Page, Run
from poster_app.layout.pages import parse_page
from poster_app.layout.pdf import render_pdf
from poster_app.layout.png import render_png

DPI = 300
SMALL = Page("100x60mm", 100 * PT_PER_MM, 60 * PT_PER_MM, DPI)
BLACK, WHITE = (0, 0, 0), (255, 255, 255)
DEBIAN = {  # script → (absolute path, face index): used only when fonts/ is not filled yet
    "Latn": ("/usr/share/fonts/truetype/noto/NotoSans-Black.ttf", 0),
    "Arab": ("/usr/share/fonts/truetype/noto/NotoSansArabic-Black.ttf", 0),
    "Sinh": ("/usr/share/fonts/truetype/noto/NotoSansSinhala-Black.ttf", 0),
    "Thai": ("/usr/share/fonts/truetype/noto/NotoSansThai-Black.ttf", 0),
    "Hani": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Black.ttc", 2),
}
DEBIAN["Cyrl"] = DEBIAN["Grek"] = DEBIAN["Latn"]

# name: (text, script, language, direction)
SLOGANS = {
    "latin": ("Hello World", "Latn", "en", "ltr"),
    "russian": ("Свобода", "Cyrl", "ru", "ltr"),
    "greek": ("Ελευθερία", "Grek", "el", "ltr"),
    "arabic-harakat": ("حُرِّيَّةٌ", "Arab", "ar", "rtl"),
    "arabic-digits": ("حرية 2024", "Arab", "ar", "rtl"),
    "sinhala-conjunct": ("ශ්‍රී ලංකා", "Sinh", "si", "ltr"),
    "chinese": ("自由平等", "Hani", "zh-Hans", "ltr"),
    "thai": ("ประชาธิปไตย", "Thai", "th", "ltr"),
}

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm, pdffonts, pdftotext) missing"
)


def bundled_faces() -> dict[str, tuple[str, int]]:
    """script → (file under fonts/, index) for the 'sans' family, from fonts/manifest.json."""
    manifest = FONTS_DIR / "manifest.json"
    if not manifest.exists():
        return {}
    faces: dict[str, tuple[str, int]] = {}
    for face in json.loads(manifest.read_text())["faces"]:
        if face["family"] != "sans" or not (FONTS_DIR / face["file"]).exists():
            continue
        for script in face["scripts"]:
            # Chinese text is drawn with the Simplified Chinese face of the collection.
            if script == "Hani" and "zh-Hans" not in face.get("languages", ["zh-Hans"]):
                continue
            faces.setdefault(script, (face["file"], face["index"]))
    return faces


@pytest.fixture(scope="session")
def face():
    """script → (font, index): the bundled face, else Debian's (font_path keeps absolute paths)."""
    bundled = bundled_faces()

    def lookup(script: str) -> tuple[str, int]:
        return bundled.get(script) or DEBIAN[script]

    return lookup


def make_run(text, font, index, size, direction, script, lang, x, baseline) -> Run:
    """A Run whose advance is measured by Pillow/raqm, as plan() does."""
    advance = pil_font(font, index, size).getlength(text, direction=direction, language=lang)
    return Run(text, font, index, size, direction, script, lang, x, baseline, advance)


def make_layout(*runs: tuple, page: Page = SMALL, fg=BLACK, bg=WHITE) -> Layout:
    """One line per (text, font, index, size, direction, script, lang, x, baseline)."""
    lines = []
    for spec in runs:
        run = make_run(*spec)
        ink = Box(run.x, run.baseline - run.size, run.x + run.advance, run.baseline)
        lines.append(Line(run.text, run.size, (run,), ink))
    first = lines[0].runs[0]
    return Layout(
        page,
        Box(0, 0, page.width, page.height),
        tuple(lines),
        fg,
        bg,
        "fill",
        first.language,
        first.direction,
    )


@pytest.fixture
def slogan_layout(face):
    """The named slogan on the small page, 40 pt, 10 mm from the left, baseline at 35 mm."""

    def build(name: str, fg=BLACK, bg=WHITE, page: Page = SMALL) -> Layout:
        text, script, lang, direction = SLOGANS[name]
        font, index = face(script)
        return make_layout(
            (text, font, index, 40, direction, script, lang, 10 * PT_PER_MM, 35 * PT_PER_MM),
            page=page,
            fg=fg,
            bg=bg,
        )

    return build


def close(box_a, box_b, tolerance: int = 2) -> bool:
    return (
        box_a is not None
        and box_b is not None
        and all(abs(p - q) <= tolerance for p, q in zip(box_a, box_b, strict=True))
    )


def predicted_ink(run: Run, dpi: float) -> tuple[int, int, int, int]:
    """Where Pillow says the run's ink lands, in pixels at `dpi`.

    `getbbox` gives the ink's top and bottom, but horizontally it spans the advance box (from
    the origin), so the left and right of the ink come from the glyph mask Pillow would draw.
    """
    k = dpi / 72
    font = pil_font(run.font, run.index, run.size * k)
    options = {"anchor": "ls", "direction": run.direction, "language": run.language}
    _, top, _, bottom = font.getbbox(run.text, **options)
    mask, (dx, _) = font.getmask2(run.text, mode="L", **options)
    left, _, right, _ = mask.getbbox()
    return (
        round(run.x * k + dx + left),
        round(run.baseline * k + top),
        round(run.x * k + dx + right),
        round(run.baseline * k + bottom),
    )


# PNG -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SLOGANS))
def test_png_draws_the_run_where_pillow_predicts(slogan_layout, name):
    layout = slogan_layout(name, fg=(200, 0, 0), bg=(255, 255, 220))
    image = Image.open(io.BytesIO(render_png(layout, dpi=DPI)))

    assert image.size == (round(SMALL.width * DPI / 72), round(SMALL.height * DPI / 72))
    assert image.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01)
    rgb = image.convert("RGB")
    assert rgb.getpixel((0, 0)) == (255, 255, 220)
    colours = {c for _, c in rgb.getcolors(1 << 16)}
    assert (200, 0, 0) in colours
    # Anti-aliased edges: blends between bg and fg, not just the two colours.
    assert len(colours) > 16
    run = layout.lines[0].runs[0]
    ink = ImageChops.difference(rgb, Image.new("RGB", rgb.size, layout.bg)).convert("L")
    assert close(ink.point(lambda v: 255 if v > 40 else 0).getbbox(), predicted_ink(run, DPI))


def test_png_width_sets_the_dpi_for_previews(slogan_layout):
    image = Image.open(io.BytesIO(render_png(slogan_layout("latin"), width=400)))
    assert image.width == 400
    assert image.height == round(SMALL.height * 400 / SMALL.width)


def test_png_default_dpi_is_the_page_print_dpi(face):
    page = parse_page("1080x1080px")
    font, index = face("Latn")
    layout = make_layout(("Hi", font, index, 100, "ltr", "Latn", "en", 100, 500), page=page)
    image = Image.open(io.BytesIO(render_png(layout)))
    assert image.size == (1080, 1080)


@pytest.mark.parametrize(
    "size, dpi, message",
    [
        (
            "300x100cm",
            600,
            (
                "a 300×100 cm page at 600 DPI is 70866×23622 px, over the 150 megapixel "
                "limit; lower the DPI or download the PDF, which has no size limit"
            ),
        ),
        (
            "a0",
            400,
            (
                "a 84.1×118.9 cm page at 400 DPI is 13244×18724 px, over the 150 megapixel "
                "limit; lower the DPI or download the PDF, which has no size limit"
            ),
        ),
    ],
)
def test_png_refuses_sizes_over_the_pixel_cap(face, size, dpi, message):
    font, index = face("Latn")
    layout = make_layout(
        ("Hi", font, index, 100, "ltr", "Latn", "en", 100, 500), page=parse_page(size)
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        render_png(layout, dpi=dpi)


def test_png_pixel_cap_is_a_parameter(slogan_layout):
    """(POSTER_MAX_PIXELS is read by config.py: tests/engine/test_cli.py, tests/web.)"""
    with pytest.raises(ValueError, match=r"1181×709 px, over the 0.5 megapixel limit"):
        render_png(slogan_layout("latin"), dpi=DPI, max_pixels=500_000)


def test_png_is_deterministic(slogan_layout):
    assert render_png(slogan_layout("arabic-harakat")) == render_png(
        slogan_layout("arabic-harakat")
    )


# PDF -----------------------------------------------------------------------------------------


@needs_poppler
def test_pdf_page_is_the_physical_size_with_title_and_language(slogan_layout, tmp_path):
    pdf = render_pdf(slogan_layout("russian"))
    assert b"/Lang (ru)" in pdf
    (tmp_path / "a.pdf").write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", "-box", str(tmp_path / "a.pdf")], capture_output=True, text=True, check=True
    ).stdout
    media = re.search(r"MediaBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", info).groups()
    assert [float(v) for v in media] == pytest.approx([0, 0, SMALL.width, SMALL.height], abs=0.01)
    assert re.search(r"Title:\s+Свобода", info)


@needs_poppler
def test_pdf_embeds_subset_fonts_once_per_face(face, tmp_path):
    runs = []
    for i, name in enumerate(["latin", "russian", "chinese", "sinhala-conjunct"]):
        text, script, lang, direction = SLOGANS[name]
        font, index = face(script)
        runs.append((text, font, index, 24, direction, script, lang, 20, 40 + 36 * i))
    (tmp_path / "a.pdf").write_bytes(render_pdf(make_layout(*runs)))
    rows = subprocess.run(
        ["pdffonts", str(tmp_path / "a.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    # Latin and Russian share one face: three fonts, each embedded (yes) as a subset (yes).
    assert len(rows) == 3
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), row


@needs_poppler
@pytest.mark.parametrize("name", ["latin", "russian", "greek", "chinese", "thai"])
def test_pdf_text_is_extractable(slogan_layout, tmp_path, name):
    (tmp_path / "a.pdf").write_bytes(render_pdf(slogan_layout(name)))
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "a.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.split() == SLOGANS[name][0].split()


@needs_poppler
@pytest.mark.parametrize("name", list(SLOGANS))
def test_pdf_raster_matches_png(slogan_layout, tmp_path, name):
    """Same ink as raqm's PNG: proves shaping in the PDF (conjuncts, harakat) is not split."""
    layout = slogan_layout(name)
    png = Image.open(io.BytesIO(render_png(layout, dpi=DPI))).convert("RGB")
    pdf = pdf_raster(render_pdf(layout), DPI, tmp_path, png.size)
    assert mask_iou(dark_mask(png), dark_mask(pdf)) >= 0.9
    assert close(dark_mask(png).getbbox(), dark_mask(pdf).getbbox())


@needs_poppler
@pytest.mark.parametrize("name", ["arabic-harakat", "sinhala-conjunct"])
def test_stock_fpdf2_would_split_these_runs(slogan_layout, tmp_path, monkeypatch, name):
    """Why render_pdf overrides _parse_chars: without it fpdf2 2.8.9 breaks the shaping.

    If this fails after an fpdf2 upgrade, fpdf2 no longer splits at script Inherited and the
    override in render_pdf can go.
    """
    import importlib

    from fpdf import FPDF

    # The module, not the function that poster_app.layout re-exports under the same name.
    module = importlib.import_module("poster_app.layout.pdf")

    layout = slogan_layout(name)
    png = Image.open(io.BytesIO(render_png(layout, dpi=DPI))).convert("RGB")
    monkeypatch.setattr(module._RunPDF, "_parse_chars", FPDF._parse_chars)
    stock = pdf_raster(module.render_pdf(layout), DPI, tmp_path, png.size)
    assert mask_iou(dark_mask(png), dark_mask(stock)) < 0.6


@needs_poppler
def test_pdf_raster_matches_png_on_several_lines_in_colour(face, tmp_path):
    runs = []
    for i, name in enumerate(["arabic-harakat", "sinhala-conjunct", "chinese"]):
        text, script, lang, direction = SLOGANS[name]
        font, index = face(script)
        runs.append((text, font, index, 30, direction, script, lang, 12 + 20 * i, 45 + 50 * i))
    layout = make_layout(*runs, fg=(255, 255, 255), bg=(20, 20, 120))
    png = Image.open(io.BytesIO(render_png(layout, dpi=DPI))).convert("RGB")
    pdf = pdf_raster(render_pdf(layout), DPI, tmp_path, png.size)
    assert pdf.getpixel((0, 0)) == png.getpixel((0, 0)) == (20, 20, 120)
    # White ink on dark blue: invert so that ink is dark for the comparison.
    png, pdf = ImageChops.invert(png), ImageChops.invert(pdf)
    assert mask_iou(dark_mask(png), dark_mask(pdf)) >= 0.9
    assert close(dark_mask(png).getbbox(), dark_mask(pdf).getbbox())


def test_pdf_is_deterministic(slogan_layout):
    assert render_pdf(slogan_layout("sinhala-conjunct")) == render_pdf(
        slogan_layout("sinhala-conjunct")
    )


def test_png_a0_at_300_dpi_stays_under_400_mb(face):
    """The whole process, in a fresh interpreter, while drawing a full A0 page at 300 DPI."""
    import sys

    font, index = face("Latn")
    code = f"""
from poster_app.layout.geometry import Box, Layout, Line, Run
from poster_app.layout.pages import parse_page
from poster_app.layout.png import render_png
page = parse_page("a0")
runs = [Run("FREEDOM", {font!r}, {index}, 600, "ltr", "Latn", "en", 60, 900 + 900 * i, 2300)
        for i in range(3)]
lines = tuple(Line("FREEDOM", 600, (r,), Box(0, 0, 1, 1)) for r in runs)
layout = Layout(page, Box(0, 0, page.width, page.height), lines, (0, 0, 0), (255, 255, 255),
                "fill", "en", "ltr")
assert len(render_png(layout, dpi=300)) > 0
# VmHWM is this program's own peak: ru_maxrss would also count the (large) pytest process
# this one was forked from, since Linux carries the old peak across exec.
print(next(int(line.split()[1]) for line in open("/proc/self/status")
           if line.startswith("VmHWM")) // 1024)
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) <= 400
