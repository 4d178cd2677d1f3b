"""Draw a Layout as a vector PDF: real, extractable text in embedded subset fonts (fpdf2).

Each Run is drawn with `cell()` under `set_text_shaping(...)`, so HarfBuzz shapes it as raqm
does for the PNG; `FPDF.text()` would draw unshaped glyphs.

fpdf2 2.8.9 cuts shaped text into fragments wherever the Unicode script changes, and counts
script "Inherited" (ZWJ/ZWNJ, Arabic harakat, combining marks) as a change. Each fragment is
shaped alone, so ශ්‍රී loses its conjunct and vocalised Arabic loses its joining. The split
exists to pick fallback fonts per script; a Run is already one font, one direction and one
script (the planner's itemizer keeps marks and joiners with their base), so `_RunPDF` below
overrides `_parse_chars` to keep the whole Run as one fragment. That is the narrowest correct
fix: fpdf2 still does its bidi pass (digits inside Arabic stay left-to-right), its HarfBuzz
call, its subsetting and its ToUnicode map; only the script split is skipped, and only in
this subclass. Shaping with uharfbuzz ourselves would mean re-implementing the glyph
subset and ToUnicode bookkeeping that fpdf2 already does right.
"""

from __future__ import annotations

import io
import math
from dataclasses import replace
from datetime import UTC, datetime
from itertools import groupby

from fpdf import FPDF
from fpdf.enums import TextMode

from . import ENGINE_VERSION
from .errors import EngineError
from .geometry import PT_PER_MM, RGB, Code, Grid, Layout, Page, Picture, Run, Shape
from .grid import guide_colour
from .options import MAX_BLEED_MM
from .pdffonts import FacesPDF
from .pdftext import WordSpans, block_text, tagged_block

# Fixed creation date: fpdf2 derives the file /ID from the content and this date, so the same
# layout gives the same bytes.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
# ISO 15924 codes that name no real script; HarfBuzz guesses from the text instead.
_NO_SCRIPT = {"", "Zyyy", "Zinh", "Zzzz", "Zxxx"}


class _RunPDF(FacesPDF):
    """FPDF that shapes each cell's text as one fragment (see the module docstring), with
    faces parsed once per process (pdffonts.py)."""

    def _parse_chars(self, text, markdown, *, _initial_emphasis=None):
        if markdown or not self.text_shaping or self._fallback_font_ids:
            yield from super()._parse_chars(text, markdown, _initial_emphasis=_initial_emphasis)
            return
        yield WordSpans(text, self._get_current_graphics_state(), self.k)


def render_pdf(
    layout: Layout, bleed_mm: float = 0, crop_marks: bool = False, hem_mm: float = 0
) -> bytes:
    """Render the layout to PDF bytes at the page's exact size in points.

    For a print shop, `bleed_mm` extends the background past the trim and `crop_marks` draws
    trim marks outside the bleed; the MediaBox grows to hold them, TrimBox is the page and
    BleedBox the page plus the bleed. `hem_mm` adds the cloth-banner guide layer (see
    `_hem_guides`). With none of them the PDF is exactly the page, as before.
    """
    check_print_options(layout.page, bleed_mm, hem_mm)
    page = layout.page
    bleed = bleed_mm * PT_PER_MM
    edge = bleed
    if crop_marks:
        edge = max(bleed, MARK_OFFSET_PT) + MARK_LENGTH_PT + MARK_ROOM_PT
    pdf = new_document(layout, (page.width + 2 * edge, page.height + 2 * edge))
    pdf.add_page()
    if edge:
        sheet = pdf.pages[pdf.page]
        h = page.height + 2 * edge
        # Page boxes in PDF space (origin bottom-left); fpdf2 has no API for them, but its
        # page object serialises any public attribute as a /CamelCase key.
        sheet.trim_box = _pdf_box(  # type: ignore[attr-defined]
            edge, edge, page.width, page.height, h
        )
        sheet.bleed_box = _pdf_box(  # type: ignore[attr-defined]
            edge - bleed, edge - bleed, page.width + 2 * bleed, page.height + 2 * bleed, h
        )
    draw_layout(pdf, layout, {}, dx=edge, dy=edge, bleed=bleed, links=True)
    if crop_marks:
        draw_crop_marks(
            pdf,
            edge,
            edge,
            page.width,
            page.height,
            offset=max(bleed, MARK_OFFSET_PT),
            length=MARK_LENGTH_PT,
        )
    if hem_mm:
        grounds = [layout.bg, *(shape.colour for shape in layout.scene.ground)]
        _hem_guides(pdf, edge, edge, page.width, page.height, hem_mm * PT_PER_MM, grounds)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


# Trim marks: 3 mm clear of the trim (or of the bleed, if larger), 5 mm long, 0.25 pt thin.
MARK_OFFSET_PT = 3 * PT_PER_MM
MARK_LENGTH_PT = 5 * PT_PER_MM
MARK_ROOM_PT = 1 * PT_PER_MM  # white paper beyond the marks' ends
MARK_WIDTH_PT = 0.25
GROMMET_SPACING_MM = 500  # at most this far apart along every edge
GROMMET_DIAMETER_MM = 12  # a common 10 mm grommet's outer ring
# The guides' colour (grid.guide_colour): magenta, the usual colour of technical layers, or
# cyan, black or white, whichever first stands out from the ground (magenta vanished on red).
GUIDE_LINE_PT = 1.5


def check_print_options(page: Page, bleed_mm: float, hem_mm: float) -> None:
    """Refuse bleeds and hems that make no sense, with a message that says the range."""
    if not 0 <= bleed_mm <= MAX_BLEED_MM:
        raise ValueError(f"bleed must be between 0 and {MAX_BLEED_MM} mm (not {bleed_mm:g} mm)")
    short_mm = min(page.width, page.height) / PT_PER_MM
    if not 0 <= hem_mm <= short_mm / 4:
        raise EngineError("hem_range", "hem", most=f"{short_mm / 4:.0f}", value=f"{hem_mm:g}")


def new_document(layout: Layout, size: tuple[float, float]) -> _RunPDF:
    """An empty, reproducible fpdf2 document in points with the layout's title and language."""
    pdf = _RunPDF(unit="pt", format=size)
    pdf.set_creation_date(FIXED_DATE)
    # The engine version that laid it out: a file can be told apart from a re-render.
    pdf.set_producer(f"poster_app engine {ENGINE_VERSION}")
    pdf.set_creator("poster_app")
    pdf.set_title(" ".join(line.text for line in layout.lines))
    if layout.lang:
        pdf.set_lang(layout.lang)
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.c_margin = 0
    return pdf


def draw_layout(
    pdf: FacesPDF,
    layout: Layout,
    families: dict[tuple[str, int], str],
    dx: float = 0,
    dy: float = 0,
    scale: float = 1,
    bleed: float = 0,
    links: bool = False,
) -> None:
    """Draw the banner with the page's top-left corner at (dx, dy), scaled by `scale`, in the
    order the PNG is painted: the ground, the theme's shapes, the picture, the letters, the QR
    code (a link to its address too, with `links`), the painting grid.

    The ground reaches `bleed` points past every edge, and so do shapes that reach an edge.
    `families` maps faces to the document's font names; pass the same dict for every page of
    one document.
    """
    page, scene = layout.page, layout.scene

    def at(run: Run) -> Run:
        if not (dx or dy or scale != 1):
            return run
        return replace(
            run,
            x=dx + run.x * scale,
            baseline=dy + run.baseline * scale,
            size=run.size * scale,
            advance=run.advance * scale,
        )

    pdf.set_fill_color(*layout.bg)
    pdf.rect(
        dx - bleed,
        dy - bleed,
        page.width * scale + 2 * bleed,
        page.height * scale + 2 * bleed,
        style="F",
    )
    for shape in scene.ground:
        _shape(pdf, shape, page, dx, dy, scale, bleed)
    if scene.picture is not None:
        _picture(pdf, scene.picture, dx, dy, scale)
    blocks = [list(lines) for _, lines in groupby(layout.lines, key=lambda line: line.block)]
    signature = len(blocks)
    for number, lines in enumerate([*blocks, list(layout.signature)]):
        if not lines:
            continue
        lang = lines[0].runs[0].language or layout.lang
        outline = 0.0 if number == signature else scene.outline  # a small line stays solid
        with tagged_block(pdf, block_text(layout, number, lines), lang):
            for line in lines:
                for run in line.runs:
                    colour = layout.colour(run, number == signature)
                    _draw_run(pdf, at(run), _family(pdf, families, run), colour, outline)
    if scene.code is not None:
        _code(pdf, scene.code, families, dx, dy, scale, at, links)
    if scene.grid is not None:
        _grid(pdf, scene.grid, page, families, dx, dy, scale, at)


def _shape(pdf: FPDF, shape: Shape, page: Page, dx, dy, scale, bleed: float) -> None:
    """A filled polygon; a corner on the page's edge is moved out into the bleed."""

    def out(v: float, side: float) -> float:
        return v - bleed if v <= 0 else v + bleed if v >= side else v

    points = [
        (dx + out(x, page.width) * scale, dy + out(y, page.height) * scale) for x, y in shape.points
    ]
    pdf.set_fill_color(*shape.colour)
    pdf.polygon(points, style="F")


def _picture(pdf: FPDF, picture: Picture, dx, dy, scale) -> None:
    """The image at its own resolution (fpdf2 embeds the same bytes once per document)."""
    box = picture.box
    pdf.image(
        io.BytesIO(picture.data),
        x=dx + box.x0 * scale,
        y=dy + box.y0 * scale,
        w=box.width * scale,
        h=box.height * scale,
    )


def _code(pdf: FacesPDF, code: Code, families, dx, dy, scale, at, links: bool) -> None:
    """The plate, then the dark modules as rectangles (vector: sharp at any size)."""
    plate = code.plate
    pdf.set_fill_color(*code.paper)
    pdf.rect(
        dx + plate.x0 * scale,
        dy + plate.y0 * scale,
        plate.width * scale,
        plate.height * scale,
        style="F",
    )
    pdf.set_fill_color(*code.ink)
    m = code.module * scale
    for row, first, end in code.dark:
        x, y = (
            dx + (code.x + first * code.module) * scale,
            dy + (code.y + row * code.module) * scale,
        )
        pdf.rect(x, y, (end - first) * m, m, style="F")
    for line in code.caption:
        for run in line.runs:
            _draw_run(pdf, at(run), _family(pdf, families, run), code.ink, 0.0)
    if links and code.text.lower().startswith(("https://", "http://")):
        pdf.link(
            dx + plate.x0 * scale,
            dy + plate.y0 * scale,
            plate.width * scale,
            plate.width * scale,
            code.text,
        )


def _grid(pdf: FacesPDF, grid: Grid, page: Page, families, dx, dy, scale, at) -> None:
    """The painting grid and its squares' names, on a layer of their own."""
    with pdf.optional_content(label="Painting grid"), pdf.local_context():
        pdf.set_draw_color(*grid.colour)
        pdf.set_line_width(grid.width * scale)
        for column in range(1, grid.columns):
            x = dx + column * grid.step * scale
            pdf.line(x, dy, x, dy + page.height * scale)
        for row in range(1, grid.rows):
            y = dy + row * grid.step * scale
            pdf.line(dx, y, dx + page.width * scale, y)
        for line in grid.labels:
            for run in line.runs:
                _draw_run(pdf, at(run), _family(pdf, families, run), grid.colour, 0.0)


def draw_crop_marks(
    pdf: FPDF, x: float, y: float, w: float, h: float, offset: float, length: float
) -> None:
    """Trim marks at the four corners of (x, y, w, h), starting `offset` outside it.

    Drawn in registration black (100 % of C, M, Y and K) so they print on every plate.
    """
    pdf._out("q")
    # fpdf2 has no CMYK stroke colour; the operator is plain PDF, restored by Q.
    pdf._out(f"{MARK_WIDTH_PT:.2f} w 1 1 1 1 K")
    for cx, sx in ((x, -1), (x + w, 1)):
        for cy, sy in ((y, -1), (y + h, 1)):
            # Horizontal mark on the corner's row, vertical mark on its column.
            _line_raw(pdf, cx + sx * offset, cy, cx + sx * (offset + length), cy)
            _line_raw(pdf, cx, cy + sy * offset, cx, cy + sy * (offset + length))
    pdf._out("Q")


def _line_raw(pdf: FPDF, x0: float, y0: float, x1: float, y1: float) -> None:
    """Stroke a line with the current raw graphics state (top-left coordinates, points)."""
    h = pdf.h
    pdf._out(f"{x0:.2f} {h - y0:.2f} m {x1:.2f} {h - y1:.2f} l S")


def _hem_guides(
    pdf: FPDF, x: float, y: float, w: float, h: float, hem: float, grounds: list[RGB]
) -> None:
    """The cloth banner's hem fold lines and grommet positions, on their own PDF layer.

    fpdf2 writes the layer as an optional content group named "Hem and grommets": a viewer
    or RIP can hide it, and it is on for screen and print so that whoever sews or orders the
    banner sees it without looking for a switch. Dashes and circles in a technical layer's
    colour that stands out from the ground (`guide_colour`).
    """
    with pdf.optional_content(label="Hem and grommets"), pdf.local_context():
        pdf.set_draw_color(*guide_colour(*grounds))
        pdf.set_line_width(GUIDE_LINE_PT)
        pdf.set_dash_pattern(dash=4 * PT_PER_MM, gap=2 * PT_PER_MM)
        pdf.rect(x + hem, y + hem, w - 2 * hem, h - 2 * hem, style="D")
        pdf.set_dash_pattern()
        r = min(GROMMET_DIAMETER_MM * PT_PER_MM, hem) / 2
        for cx, cy in grommets(w, h, hem):
            pdf.circle(x + cx, y + cy, r, style="D")


def grommets(w: float, h: float, hem: float) -> list[tuple[float, float]]:
    """Grommet centres (points, page coordinates): the corners, then evenly at most 50 cm apart.

    Each sits in the middle of the hem, so it goes through both layers of the folded cloth.
    """
    inset = hem / 2
    xs = _evenly(inset, w - inset)
    ys = _evenly(inset, h - inset)
    points = {(x, y) for x in xs for y in (ys[0], ys[-1])}
    points |= {(x, y) for y in ys for x in (xs[0], xs[-1])}
    return sorted(points)


def _evenly(a: float, b: float) -> list[float]:
    n = max(1, math.ceil((b - a) / (GROMMET_SPACING_MM * PT_PER_MM) - 1e-9))
    return [a + (b - a) * i / n for i in range(n + 1)]


def _pdf_box(x: float, y: float, w: float, h: float, page_h: float) -> str:
    """A page box `[llx lly urx ury]` for a top-left (x, y, w, h) on a page page_h tall."""
    return f"[{x:.2f} {page_h - y - h:.2f} {x + w:.2f} {page_h - y:.2f}]"


def _family(pdf: FacesPDF, families: dict[tuple[str, int], str], run: Run) -> str:
    """The fpdf2 family name of the run's face, adding the font once per document."""
    key = (run.font, run.index)
    if key not in families:
        name = f"f{len(families)}"
        pdf.add_face(name, run.font, run.index)
        families[key] = name
    return families[key]


def _draw_run(pdf: FPDF, run: Run, family: str, colour: RGB, outline: float = 0.0) -> None:
    """Draw one run so that its advance box starts at run.x and its baseline is run.baseline;
    with `outline`, as outlines (a stroke 2 × outline × size wide, round as FreeType's)."""
    pdf.set_font(family, "", run.size)
    pdf.set_text_color(*colour)
    if outline:
        pdf.set_draw_color(*colour)
        pdf.set_line_width(2 * outline * run.size)
        pdf.text_mode = TextMode.STROKE
        pdf._out("1 j 1 J")
    else:
        pdf.text_mode = TextMode.FILL
    pdf.set_text_shaping(
        True,
        direction=run.direction,
        script=None if run.script in _NO_SCRIPT else run.script,
        language=run.language or None,
    )
    # cell() puts the baseline at y + h/2 + 0.3·font size; with h = size that is y + 0.8·size.
    h = run.size
    # Assign, not set_xy(): fpdf2 reads a negative x or y as measured from the right or bottom
    # edge, but a run may start left of the page (a big "Н" whose ink begins at its side
    # bearing) or above it (the first line of a tight fit on a small page).
    pdf.x, pdf.y = run.x, run.baseline - 0.8 * run.size
    pdf.cell(None, h, run.text, align="L")
