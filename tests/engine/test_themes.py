"""Themes, emphasis, the QR code, the image slot and the painting grid, as the renderers draw them.

Every check is on what is drawn: colours of pixels in the PNG, poppler's raster and text of the
PDF, a QR reader on both.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image, ImageDraw
from raster_helpers import pdf_raster, ring_colours

from poster_app.layout import Spec, SpecError, plan, render_pdf, render_png
from poster_app.layout.design import image_id
from poster_app.layout.spec import parse_colour
from poster_app.layout.themes import THEMES
from poster_app.layout.tiles import render_tiles
from poster_app.photos import clean_photo

needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")
SLOGAN = "Free *them* all\nStop torture"
DPI = 40


def palette_classes(image: Image.Image, colours: list[tuple[int, int, int]]) -> list[Image.Image]:
    """One mask per colour: the pixels nearest to it (anti-aliased edges go to the nearer)."""
    pal = Image.new("P", (1, 1))
    flat = [c for colour in colours for c in colour]
    pal.putpalette(flat + flat[:3] * (256 - len(colours)))
    indexed = image.quantize(palette=pal, dither=Image.Dither.NONE)
    return [
        indexed.point(lambda v, i=i: 255 if v == i else 0).convert("L") for i in range(len(colours))
    ]


def iou(a: Image.Image, b: Image.Image) -> float:
    from PIL import ImageChops

    union = ImageChops.lighter(a, b).histogram()[255]
    return ImageChops.darker(a, b).histogram()[255] / union if union else 1.0


def png_image(layout, dpi=DPI) -> Image.Image:
    return Image.open(io.BytesIO(render_png(layout, dpi=dpi))).convert("RGB")


@needs_poppler
@pytest.mark.parametrize("name", list(THEMES))
def test_each_theme_draws_the_same_in_png_and_pdf(name, tmp_path):
    spec = Spec(text=SLOGAN, theme=name, signature="Kollektiv")
    layout = plan(spec)
    png = png_image(layout)
    pdf = pdf_raster(render_pdf(layout), DPI, tmp_path, png.size)
    colours = sorted(
        {layout.bg, layout.scene.text, layout.scene.accent}
        | {s.colour for s in layout.scene.ground}
    )
    for colour, a, b in zip(
        colours, palette_classes(png, colours), palette_classes(pdf, colours), strict=True
    ):
        if a.histogram()[255] > 0.002 * png.width * png.height:
            assert iou(a, b) >= 0.9, (name, colour)
    # The text stays inside the margins, clear of everything the theme draws at the edges.
    for line in layout.all_lines:
        assert layout.box.contains(line.ink, tolerance=0.5), (name, line.text)


@pytest.mark.parametrize("name", ["bars", "band", "outline"])
def test_what_a_theme_draws_around_the_lines_fits_inside_the_margins(name):
    for size in ("a4", "300x100cm"):
        layout = plan(Spec(text=SLOGAN + "\nNow", theme=name, size=size))
        for shape in layout.scene.ground:
            xs, ys = [x for x, _ in shape.points], [y for _, y in shape.points]
            if name == "bars":
                assert min(xs) >= layout.box.x0 - 0.5 and max(xs) <= layout.box.x1 + 0.5
            assert min(ys) >= layout.box.y0 - 0.5 and max(ys) <= layout.box.y1 + 0.5


def test_bars_never_touch_each_other():
    layout = plan(Spec(text="Free them\nall now\nStop torture", theme="bars"))
    bars = sorted(
        (min(y for _, y in s.points), max(y for _, y in s.points)) for s in layout.scene.ground
    )
    for (_, bottom), (top, _) in zip(bars, bars[1:], strict=False):
        assert top > bottom


def test_frame_keeps_the_text_clear_of_it():
    layout = plan(Spec(text=SLOGAN, theme="frame"))
    inner = max(max(x for x, _ in s.points) for s in layout.scene.ground[2:3])  # left side
    assert all(line.ink.x0 > inner for line in layout.lines)


@pytest.mark.parametrize("size", ["a4", "300x100cm"])
def test_the_band_sits_in_the_middle_and_its_signature_on_the_paper_below(size):
    layout = plan(Spec(text=SLOGAN, theme="band", size=size, signature="Anarchist Black Cross"))
    (band,) = layout.scene.ground
    top, bottom = min(y for _, y in band.points), max(y for _, y in band.points)
    above, below = top, layout.page.height - bottom
    assert abs(above - below) < 0.02 * layout.page.height  # balanced, not pushed up
    (signature,) = layout.signature
    ink = signature.ink
    assert ink.y0 > bottom  # on the paper, not on the band
    assert ink.y1 <= layout.box.y1  # never in the margin, where a cloth's hem folds
    # … in the middle of the paper under the band (it sat squeezed against the band's edge).
    assert abs((ink.y0 + ink.y1) / 2 - (bottom + layout.box.y1) / 2) < 0.01 * below


def test_an_image_beside_the_text_sits_inside_the_band(tmp_path):
    data = logo(tmp_path)
    spec = Spec(text=SLOGAN, theme="band", size="300x100cm", image=image_id(data))
    layout = plan(spec, image=data)
    (band,) = layout.scene.ground
    picture = layout.scene.picture.box
    assert min(y for _, y in band.points) < picture.y0
    assert max(y for _, y in band.points) > picture.y1


def test_theme_palette_is_overridden_by_the_colour_options():
    spec = Spec(text="x", theme="diagonal", fg="#003366", accent="green")
    assert (spec.fg, spec.bg, spec.accent) == ("#003366", "#ffffff", "#008000")
    assert Spec(text="x").fg == "#000000" and Spec(text="x").bg == "#ffffff"


# --- emphasis


@pytest.mark.parametrize(
    "lang, text, words",
    [
        ("en", "Free *them* all", ["them"]),
        ("ru", "*Свободу* политзаключённым", ["Свободу"]),
        ("ar", "الحرية *للمعتقلين*", ["للمعتقلين"]),
        ("si", "*නිදහස* දෙනු", ["නිදහස"]),
        ("zh-Hans", "释放*政治犯*", ["政治犯"]),
    ],
)
def test_emphasis_colours_exactly_the_marked_words(lang, text, words):
    layout = plan(Spec(text=text, lang=lang, theme="plain"))
    accent, ink = parse_colour("#d40000"), (0, 0, 0)
    runs = [run for line in layout.lines for run in line.runs]
    assert sorted(r.text.strip() for r in runs if r.accent) == words
    image = png_image(layout, dpi=150)
    k = 150 / 72
    for line in layout.lines:
        for run in line.runs:
            if not run.text.strip():
                continue
            box = (
                round(run.x * k),
                round(line.ink.y0 * k),
                round((run.x + run.advance) * k),
                round(line.ink.y1 * k),
            )
            colours = image.crop(box).getcolors(1 << 20)
            dark = [(n, c) for n, c in colours if c != (255, 255, 255)]
            main = max(dark)[1]
            assert main == (accent if run.accent else ink), (run.text, main)


@needs_poppler
def test_emphasis_marks_are_never_drawn_nor_in_the_pdf_text(tmp_path):
    spec = Spec(text="Free *them* all, 5\\* hotels", also=(("ru", "*Свободу* всем"),))
    layout = plan(spec)
    assert "*" not in "".join(line.text for line in layout.lines if line.block == 1)
    (tmp_path / "b.pdf").write_bytes(render_pdf(layout))
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    assert "Free them all, 5* hotels" in words
    assert "Свободу всем" in words and "*Свободу" not in words


@pytest.mark.parametrize("text", ["Free *them all", "a * b", "*x* *"])
def test_an_unbalanced_mark_is_refused(text):
    with pytest.raises(SpecError) as e:
        Spec(text=text)
    assert e.value.field == "text" and "\\*" in str(e.value)


def test_emphasis_in_an_rtl_line_keeps_its_words():
    layout = plan(Spec(text="الحرية *للمعتقلين* السياسيين", lang="ar"))
    runs = [r for line in layout.lines for r in line.runs]
    assert [r.text for r in runs if r.accent] == ["للمعتقلين"]


# --- QR code


def _decoded(image: Image.Image) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    return [r.text for r in zxingcpp.read_barcodes(image)]


@needs_poppler
@pytest.mark.parametrize("size", ["a4", "300x100cm"])
def test_the_qr_code_scans_back_from_png_and_pdf(size, tmp_path):
    url = "https://example.org/free-them-all?from=banner"
    layout = plan(
        Spec(text="Free them", size=size, theme="diagonal", qr=url, qr_caption="Read more")
    )
    dpi = 100 if size == "a4" else 36
    png = png_image(layout, dpi)
    assert _decoded(png) == [url]
    assert _decoded(pdf_raster(render_pdf(layout), dpi, tmp_path, png.size)) == [url]
    code = layout.scene.code
    assert code.plate.width >= 200 * 72 / 25.4 - 1 if size == "300x100cm" else True
    for line in layout.lines:  # the text never reaches the code's plate
        assert line.ink.x1 <= code.plate.x0 or line.ink.y1 <= code.plate.y0


PLATE_CLEAR = 0.02  # of the page's shorter side: the least margin of one colour around the plate


def plate_ring(image: Image.Image, box, k: float, clear: float) -> set:
    """The colours in the ring from 2 px outside `box` (its anti-aliased edge) out to
    `clear` points, in an image of `k` pixels a point."""

    def pixels(grow_pt: float, grow_px: int) -> tuple[int, ...]:
        x0, y0, x1, y1 = (box.x0 - grow_pt, box.y0 - grow_pt, box.x1 + grow_pt, box.y1 + grow_pt)
        return (
            round(x0 * k) - grow_px,
            round(y0 * k) - grow_px,
            round(x1 * k) + grow_px,
            round(y1 * k) + grow_px,
        )

    return ring_colours(image, pixels(clear, 0), pixels(0, 2))


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("size", ["300x100cm", "a4", "1080x1080px", "1920x1080px"])
@pytest.mark.parametrize("name", list(THEMES))
def test_the_qr_plate_sits_wholly_on_one_area_of_the_theme(name, size, lang, tmp_path):
    """No edge of a band, a bar, the diagonal split or a letter (of the slogan or of the
    signature the English banners carry) comes near the plate: the ring around it is one
    colour, in the PNG and (on the cloth banner) in the PDF."""
    spec = Spec(
        text={"en": "Free them all", "ar": "الحرية للجميع"}[lang],
        lang=lang,
        size=size,
        theme=name,
        qr="https://example.org",
        qr_caption="example.org",
        signature="Anarchist Black Cross" if lang == "en" else "",
    )
    layout = plan(spec)
    plate, page = layout.scene.code.plate, layout.page
    clear = PLATE_CLEAR * min(page.width, page.height)
    png = png_image(layout, 36 if size == "300x100cm" else 72 * 900 / page.width)
    k = png.width / page.width
    assert len(plate_ring(png, plate, k, clear)) == 1, f"{name} {size} {lang}"
    if size == "300x100cm" and shutil.which("pdftoppm"):
        pdf = pdf_raster(render_pdf(layout), 36, tmp_path, png.size)
        assert len(plate_ring(pdf, plate, k, clear)) == 1, f"{name} {size} {lang} (PDF)"


def test_a_qr_text_over_the_capacity_is_refused():
    with pytest.raises(SpecError) as e:
        Spec(text="x", qr="https://example.org/" + "a" * 190)
    assert e.value.field == "qr"
    with pytest.raises(SpecError) as e:
        Spec(text="x", qr_caption="no code")
    assert e.value.field == "qr_caption"


# --- image


def logo(tmp_path) -> bytes:
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((10, 10, 290, 190), fill=(0, 90, 200, 255))
    raw = io.BytesIO()
    image.save(raw, "PNG")
    raw.seek(0)
    return clean_photo(raw, 50_000_000, 3000).data


@pytest.mark.parametrize("theme", ["plain", "band"])
@pytest.mark.parametrize(
    "size, position", [("300x100cm", None), ("a4", None), ("a4", "bottom"), ("a4", "left")]
)
def test_the_image_never_overlaps_a_line(size, position, theme, tmp_path):
    data = logo(tmp_path)
    spec = Spec(
        text=SLOGAN,
        size=size,
        image=image_id(data),
        image_position=position,
        signature="Kollektiv",
        theme=theme,
    )
    layout = plan(spec, image=data)
    box = layout.scene.picture.box
    for line in layout.all_lines:
        ink = line.ink
        assert ink.x1 <= box.x0 or ink.x0 >= box.x1 or ink.y1 <= box.y0 or ink.y0 >= box.y1
    # In the PNG the image's colour is where its box is, and nowhere else.
    image = png_image(layout, 36)
    k = 36 / 72
    centre = (round((box.x0 + box.x1) / 2 * k), round((box.y0 + box.y1) / 2 * k))
    assert image.getpixel(centre) == (0, 90, 200)


@needs_poppler
def test_the_image_is_embedded_once_in_the_pdf_and_the_tiles(tmp_path):
    data = logo(tmp_path)
    layout = plan(Spec(text=SLOGAN, size="100x70cm", image=image_id(data)), image=data)
    for name, pdf in (("one.pdf", render_pdf(layout)), ("tiles.pdf", render_tiles(layout, "a4"))):
        (tmp_path / name).write_bytes(pdf)
        listing = subprocess.run(
            ["pdfimages", "-list", str(tmp_path / name)], capture_output=True, text=True, check=True
        ).stdout
        objects = {
            tuple(row.split()[10:12])
            for row in listing.splitlines()[2:]
            if row.split()[2] == "image"
        }
        assert len(objects) == 1, listing


def test_an_image_that_is_not_the_specs_own_is_refused(tmp_path):
    data = logo(tmp_path)
    with pytest.raises(ValueError):
        plan(Spec(text="x", image=image_id(data)), image=data + b"x")
    with pytest.raises(SpecError):
        Spec(text="x", image="../etc/passwd")


# --- outline and grid


def test_the_outline_theme_uses_under_half_the_ink_of_plain():
    def ink(theme: str) -> int:
        image = png_image(plan(Spec(text=SLOGAN, theme=theme)), 100).convert("L")
        return sum((255 - v) * n for v, n in enumerate(image.histogram()))

    assert ink("outline") < 0.5 * ink("plain")


@needs_poppler
def test_the_painting_grid_is_a_layer_of_the_pdf(tmp_path):
    layout = plan(Spec(text="Free them", size="300x100cm", theme="outline", grid="25cm"))
    grid = layout.scene.grid
    assert (grid.columns, grid.rows) == (12, 4)
    assert [line.text for line in grid.labels][:3] == ["A1", "B1", "C1"]
    pdf = render_pdf(layout)
    assert b"/OC" in pdf and b"Painting grid" in pdf
    with pytest.raises(SpecError) as e:
        Spec(text="x", size="300x100cm", grid="1cm")
    assert e.value.field == "grid" and "at least" in str(e.value)
