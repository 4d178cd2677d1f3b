"""A poster split over home-printer sheets (A4 or US Letter) as one multi-page vector PDF.

Page 1 is the assembly map: the whole poster small, the grid of sheets over it with their
labels, how to cut and glue, and a 50 mm bar to check the printer printed at 100 %.
Then one page per sheet, row by row ("A1", "A2", … "B1", …).

How a sheet is built (all inside a home printer's ~5 mm unprintable margin):

    ┌ unprintable 5 mm ───────────────────────────┐
    │  band 8 mm: cut marks, "cut" / "glue" hints   │
    │   ┌──────────────────────────────┬──────┐   │
    │   │ poster content (vector,      │ glue │   │  the right and bottom strips (`overlap`
    │   │ clipped, translated)         │ strip│   │  wide) repeat what the next sheet starts
    │   └──────────────────────────────┴──────┘   │  with; that sheet is cut along its left
    │  band: label "B3", sheet n of N             │  and top marks and laid over the strip.
    └─────────────────────────────────────────────┘

The poster is drawn on every sheet by pdf.py's own run drawing, translated and clipped to the
sheet's window: the text stays vector and shaped exactly as in the single-page PDF, and the
font subsets are embedded once for the whole document. fpdf2 2.8.9 cannot import a page of
another PDF as a form XObject, so re-drawing is the simple correct option.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import cast

from fpdf import FPDF

from .errors import EngineError
from .geometry import PT_PER_MM, RGB, Layout, Page
from .options import MAX_OVERLAP_MM, SHEETS
from .pages import PAPER_MM
from .pdf import _RunPDF, draw_layout, new_document
from .spec import contrast

SHEETS_MM: dict[str, tuple[float, float]] = {name: PAPER_MM[name] for name in SHEETS}
UNPRINTABLE_MM = 5  # what most home inkjets and lasers cannot print near the edge
BAND_MM = 8  # white band around the content for marks, hints and the label
# Past this, a home printer is the wrong tool (and one request would write thousands of pages):
# 200 A4 sheets cover about 2.4 × 2.6 m.
MAX_SHEETS = 200
MARK_GAP_PT = 1 * PT_PER_MM
MARK_PT = 5 * PT_PER_MM
INK = (0, 0, 0)
HINT = (90, 90, 90)
GLUE_FILL = (215, 215, 215)


@dataclass(frozen=True)
class TilePlan:
    """Where each sheet's window falls on the poster; every length in points."""

    sheet: str
    sheet_w: float
    sheet_h: float
    image_w: float  # the content window on a sheet, overlap included
    image_h: float
    overlap: float
    cols: int
    rows: int
    poster_w: float
    poster_h: float

    @property
    def count(self) -> int:
        return self.cols * self.rows

    @property
    def landscape(self) -> bool:
        return self.sheet_w > self.sheet_h

    @property
    def origin(self) -> float:
        """Where the content window starts on the sheet (from the left and the top)."""
        return (UNPRINTABLE_MM + BAND_MM) * PT_PER_MM

    def window(self, row: int, col: int) -> tuple[float, float, float, float]:
        """The part of the poster printed on sheet (row, col): x0, y0, x1, y1."""
        x0 = col * (self.image_w - self.overlap)
        y0 = row * (self.image_h - self.overlap)
        return x0, y0, min(x0 + self.image_w, self.poster_w), min(y0 + self.image_h, self.poster_h)

    def cell(self, row: int, col: int) -> tuple[float, float, float, float]:
        """The part of the poster that sheet (row, col) shows once assembled (no overlaps)."""
        x0, y0, x1, y1 = self.window(row, col)
        if col < self.cols - 1:
            x1 = (col + 1) * (self.image_w - self.overlap)
        if row < self.rows - 1:
            y1 = (row + 1) * (self.image_h - self.overlap)
        return x0, y0, x1, y1


def label(row: int, col: int) -> str:
    """ "A1" for the top-left sheet; rows are letters (… Z, AA, AB …), columns numbers."""
    letters = ""
    n = row + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{col + 1}"


def plan_tiles(page: Page, sheet: str = "a4", overlap_mm: float = 10) -> TilePlan:
    """Choose the sheet orientation that needs fewer sheets (portrait on a tie)."""
    key = sheet.strip().lower()
    if key not in SHEETS_MM:
        raise ValueError(f"unknown sheet {sheet!r}; expected one of {', '.join(SHEETS_MM)}")
    if not 0 <= overlap_mm <= MAX_OVERLAP_MM:
        raise ValueError(
            f"overlap must be between 0 and {MAX_OVERLAP_MM} mm (not {overlap_mm:g} mm)"
        )
    w_mm, h_mm = SHEETS_MM[key]
    plans = [_plan(key, w_mm, h_mm, page, overlap_mm), _plan(key, h_mm, w_mm, page, overlap_mm)]
    plan = min(plans, key=lambda p: p.count)  # min() keeps the first (portrait) on a tie
    if plan.count > MAX_SHEETS:
        raise EngineError(
            "too_many_sheets",
            "tile",
            count=plan.count,
            sheet=key,
            cols=plan.cols,
            rows=plan.rows,
            most=MAX_SHEETS,
        )
    return plan


def _plan(sheet: str, w_mm: float, h_mm: float, page: Page, overlap_mm: float) -> TilePlan:
    inset = 2 * (UNPRINTABLE_MM + BAND_MM)
    image_w, image_h = (w_mm - inset) * PT_PER_MM, (h_mm - inset) * PT_PER_MM
    overlap = overlap_mm * PT_PER_MM
    return TilePlan(
        sheet=sheet,
        sheet_w=w_mm * PT_PER_MM,
        sheet_h=h_mm * PT_PER_MM,
        image_w=image_w,
        image_h=image_h,
        overlap=overlap,
        cols=_count(page.width, image_w, overlap),
        rows=_count(page.height, image_h, overlap),
        poster_w=page.width,
        poster_h=page.height,
    )


def _count(length: float, window: float, overlap: float) -> int:
    if length <= window + 1e-6:
        return 1
    return math.ceil((length - overlap) / (window - overlap) - 1e-9)


def render_tiles(layout: Layout, sheet: str = "a4", overlap_mm: float = 10) -> bytes:
    """The tiled PDF: the assembly map, then one page per sheet, row by row."""
    plan = plan_tiles(layout.page, sheet, overlap_mm)
    pdf = new_document(layout, (plan.sheet_w, plan.sheet_h))
    pdf.add_face("label", "NotoSans-Black.ttf")
    pdf.add_face("symbols", "NotoSansSymbols2-Regular.ttf")
    families: dict[tuple[str, int], str] = {}
    _map_page(pdf, layout, plan, families)
    for row in range(plan.rows):
        for col in range(plan.cols):
            _sheet_page(pdf, layout, plan, families, row, col)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def _sheet_page(
    pdf: _RunPDF,
    layout: Layout,
    plan: TilePlan,
    families: dict[tuple[str, int], str],
    row: int,
    col: int,
) -> None:
    pdf.add_page()
    x0, y0, x1, y1 = plan.window(row, col)
    ox = oy = plan.origin
    w, h = x1 - x0, y1 - y0
    # local_context inside the clip: fpdf2 then restores its own idea of the colours too.
    with pdf.rect_clip(ox, oy, w, h), pdf.local_context():
        draw_layout(pdf, layout, families, dx=ox - x0, dy=oy - y0)
    pdf.set_text_shaping(False)
    pdf.set_text_color(*HINT)
    glue_right = col < plan.cols - 1
    glue_below = row < plan.rows - 1
    # Glue strips: shade the band beside them and say what goes on top.
    pdf.set_fill_color(*GLUE_FILL)
    band = BAND_MM * PT_PER_MM
    if glue_right:
        gx = ox + w - plan.overlap
        pdf.rect(gx, oy - band + MARK_GAP_PT, plan.overlap, band - 2 * MARK_GAP_PT, style="F")
        pdf.rect(gx, oy + h + MARK_GAP_PT, plan.overlap, band - 2 * MARK_GAP_PT, style="F")
        _vertical_hint(
            pdf, ox + w + band / 2, oy + h / 2, f"glue here  ·  {label(row, col + 1)} goes on top"
        )
    if glue_below:
        gy = oy + h - plan.overlap
        pdf.rect(ox - band + MARK_GAP_PT, gy, band - 2 * MARK_GAP_PT, plan.overlap, style="F")
        pdf.rect(ox + w + MARK_GAP_PT, gy, band - 2 * MARK_GAP_PT, plan.overlap, style="F")
    _crop_marks(pdf, ox, oy, w, h)
    # Cut hints on the edges that are cut off before gluing (left and top of inner sheets).
    if col > 0:
        _vertical_hint(
            pdf,
            ox - band / 2,
            oy + h / 2,
            f"cut  ·  lay over the glue strip of {label(row, col - 1)}",
            scissors=True,
        )
    if row > 0:
        _hint(
            pdf,
            ox + w / 2,
            oy - band / 2,
            f"cut  ·  lay over the glue strip of {label(row - 1, col)}",
            scissors=True,
        )
    # The label, in the bottom band: hidden under the next row or cut off with the border.
    text = label(row, col)
    pdf.set_text_color(*INK)
    pdf.set_font("label", "", 15)
    base = oy + h + band - 1.2 * PT_PER_MM
    lx = ox + 2.5 * PT_PER_MM  # clear of the vertical cut mark below the corner
    pdf.text(lx, base, text)
    pdf.set_font("label", "", 7)
    pdf.set_text_color(*HINT)
    note = (
        f"row {_row_letters(text)}, column {col + 1}  ·  sheet {row * plan.cols + col + 1} "
        f"of {plan.count}  ·  print at 100 %"
    )
    pdf.text(lx + pdf.get_string_width(text) * 15 / 7 + 3 * PT_PER_MM, base, note)
    if glue_below:
        pdf.set_font("label", "", 8)
        hint = f"glue here  ·  {label(row + 1, col)} goes on top"
        pdf.text(ox + w - pdf.get_string_width(hint) - plan.overlap - 2 * PT_PER_MM, base, hint)


def _row_letters(text: str) -> str:
    return text.rstrip("0123456789")


def _crop_marks(pdf: FPDF, x: float, y: float, w: float, h: float) -> None:
    """Cut marks at the content's four corners, in the band, clear of the content."""
    with pdf.local_context():
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.5)
        for cx, sx in ((x, -1), (x + w, 1)):
            for cy, sy in ((y, -1), (y + h, 1)):
                pdf.line(cx + sx * MARK_GAP_PT, cy, cx + sx * (MARK_GAP_PT + MARK_PT), cy)
                pdf.line(cx, cy + sy * MARK_GAP_PT, cx, cy + sy * (MARK_GAP_PT + MARK_PT))


def _hint(pdf: FPDF, cx: float, cy: float, text: str, scissors: bool = False) -> None:
    """A small centred line of text whose middle is (cx, cy), with scissors in front."""
    size = 8
    pdf.set_font("label", "", size)
    width = pdf.get_string_width(text)
    lead = 0.0
    if scissors:
        pdf.set_font("symbols", "", size + 3)
        lead = pdf.get_string_width("✂ ")
    x = cx - (width + lead) / 2
    base = cy + 0.35 * size
    if scissors:
        pdf.text(x, base + 0.5, "✂")
        pdf.set_font("label", "", size)
    pdf.text(x + lead, base, text)


def _vertical_hint(pdf: FPDF, cx: float, cy: float, text: str, scissors: bool = False) -> None:
    """The same, turned to read upwards, centred on (cx, cy)."""
    with pdf.rotation(90, cx, cy):
        _hint(pdf, cx, cy, text, scissors)


def _map_page(
    pdf: _RunPDF, layout: Layout, plan: TilePlan, families: dict[tuple[str, int], str]
) -> None:
    """Page 1, turned like the poster: the steps, a 50 mm check bar, then the poster small with
    the sheet grid over it, each sheet's label inside its cell. Everything stays inside the
    printable area: the text wraps, the labels shrink or turn to fit their cells."""
    page = layout.page
    short, long = sorted((plan.sheet_w, plan.sheet_h))
    width, height = (long, short) if page.width > page.height else (short, long)
    pdf.add_page(format=(width, height))
    margin = (UNPRINTABLE_MM + 5) * PT_PER_MM
    text_w = width - 2 * margin
    pdf.set_text_shaping(False)
    pdf.set_text_color(*INK)
    sheets = f"{plan.sheet.upper() if plan.sheet == 'a4' else 'Letter'}"
    title = (
        f"Assembly map  ·  {plan.count} sheets ({plan.rows} rows × {plan.cols} "
        f"columns of {sheets}{', landscape' if plan.landscape else ''})"
    )
    y = _paragraph(pdf, title, margin, margin, text_w, size=16)
    pdf.set_text_color(*HINT)
    steps = [
        (
            f"Poster {_cm(page.width)} × {_cm(page.height)} cm. Print every page at 100 % "
            '("actual size", not "fit to page"); the bar below must measure 50 mm.'
        ),
        (
            "Lay the sheets out as in the map, A1 at the top left. On every sheet except the "
            "first row and column, cut along the marks on its left and top edges."
        ),
        (
            f"Glue it over the grey-marked {_mm(plan.overlap)} mm strip of its neighbour, matching "
            "the picture. Work row by row, then trim the outer border along the marks."
        ),
    ]
    y += 4
    for step_no, step in enumerate(steps, 1):
        y = _paragraph(pdf, step, margin, y, text_w, size=8, number=f"{step_no}. ")
    y = _check_bar(pdf, margin, y + 8)
    # The poster, scaled into what is left of the page.
    box_h = height - margin - y
    scale = min(text_w / page.width, box_h / page.height)
    mx = margin + (text_w - page.width * scale) / 2
    my = y
    with pdf.rect_clip(mx, my, page.width * scale, page.height * scale), pdf.local_context():
        draw_layout(pdf, layout, families, dx=mx, dy=my, scale=scale)
    pdf.set_text_shaping(False)
    cells = [
        (label(row, col), [v * scale for v in plan.cell(row, col)])
        for row in range(plan.rows)
        for col in range(plan.cols)
    ]
    with pdf.local_context():
        # The grid twice, white under black, so that it reads on any background.
        for colour, line in (((255, 255, 255), 2.5), (INK, 0.8)):
            pdf.set_draw_color(*colour)
            pdf.set_line_width(line)
            for _text, (x0, y0, x1, y1) in cells:
                pdf.rect(mx + x0, my + y0, x1 - x0, y1 - y0, style="D")
        _grid_labels(pdf, layout, cells, mx, my, scale)


def _paragraph(
    pdf: FPDF, text: str, x: float, y: float, width: float, size: float, number: str = ""
) -> float:
    """Set `text` in lines no wider than `width` from the top `y`, the lines after the first
    indented under a leading `number`; return the y below it."""
    pdf.set_font("label", "", size)
    indent = pdf.get_string_width(number)
    leading = size * 1.45
    for index, line in enumerate(_lines(pdf, text, width - indent)):
        y += leading
        pdf.text(
            x if index == 0 else x + indent, y - size * 0.3, (number if index == 0 else "") + line
        )
    return y


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break `text` at spaces into lines no wider than `width` in the current font."""
    lines, line = [], ""
    for word in text.split(" "):
        wider = f"{line} {word}" if line else word
        if line and pdf.get_string_width(wider) > width:
            lines.append(line)
            line = word
        else:
            line = wider
    return [*lines, line]


def _check_bar(pdf: FPDF, x: float, y: float) -> float:
    """The 50 mm bar with a tick every 10 mm; return the y below it."""
    bar = 50 * PT_PER_MM
    pdf.set_fill_color(*INK)
    pdf.rect(x, y, bar, 3, style="F")
    for tick in range(6):
        pdf.rect(x + tick * 10 * PT_PER_MM - 0.3, y - 3, 0.6, 3, style="F")
    pdf.set_font("label", "", 8)
    pdf.text(x + bar + 6, y + 4, "50 mm")
    return y + 16


LABEL_MAX_PT, LABEL_MIN_PT = 18.0, 3.0
CAP = 0.714  # the label face's cap height (and its figures'), per point of size
HALO = 0.3  # clear room around a label's letters, per point of size
INSET = 2.0  # points between a label's halo and its cell's grid line
MAP_PX_PER_PT = 2  # the small poster's raster that tells clear spots from busy ones
CLEAR_CONTRAST = 7.0  # black on the spot's colour at least this (WCAG AAA)


def _grid_labels(
    pdf: FPDF,
    layout: Layout,
    cells: list[tuple[str, list[float]]],
    mx: float,
    my: float,
    scale: float,
) -> None:
    """Each sheet's label in its cell, as large as the full cells allow; in a cell too narrow
    for it (the last column or row is often a sliver) the label turns upright or shrinks, so
    it never spills into a neighbour. A label sits where its cell shows clear light paper (the
    middle first), so the map still shows the poster; where there is none, on a white plate
    with a grey rim in the middle, its letters never touching the slogan's."""
    ground = _MapGround(layout, scale)
    pdf.set_font("label", "", 1)
    widest_cell = max(x1 - x0 for _t, (x0, _y0, x1, _y1) in cells)
    size = max(6.0, min(LABEL_MAX_PT, widest_cell / 3))
    pdf.set_text_color(*INK)
    for text, (x0, y0, x1, y1) in cells:
        pdf.set_font("label", "", 1)
        per_pt = pdf.get_string_width(text)  # width of the label at 1 pt
        long_side, short_side = per_pt + 2 * HALO, CAP + 2 * HALO  # the halo's, at 1 pt
        cell_w, cell_h = x1 - x0 - 2 * INSET, y1 - y0 - 2 * INSET
        across = min(size, cell_w / long_side, cell_h / short_side)
        upright = min(size, cell_h / long_side, cell_w / short_side)
        fit = max(across, upright, LABEL_MIN_PT)
        w, h = long_side * fit, short_side * fit
        if upright > across:
            w, h = h, w
        spots = _spots(x0 + INSET, y0 + INSET, x1 - INSET, y1 - INSET, w, h)
        clear = next((spot for spot in spots if ground.clear(*spot)), None)
        sx, sy, _x1, _y1 = clear or spots[0]
        cx, cy = mx + sx + w / 2, my + sy + h / 2
        if clear is None:
            with pdf.local_context():
                pdf.set_fill_color(255, 255, 255)
                pdf.set_draw_color(*HINT)
                pdf.set_line_width(0.4)
                pdf.rect(cx - w / 2, cy - h / 2, w, h, style="DF")
        with pdf.rotation(90 if upright > across else 0, cx, cy):
            pdf.set_font("label", "", fit)
            pdf.text(cx - per_pt * fit / 2, cy + CAP * fit / 2, text)


def _spots(
    x0: float, y0: float, x1: float, y1: float, w: float, h: float
) -> list[tuple[float, float, float, float]]:
    """Where a w × h box can go in the box (x0, y0, x1, y1): its middle, then the middles of
    its sides, so that the labels of a row or a column stay in line (a box larger than the
    cell stays in its middle)."""
    free_x, free_y = max(0.0, x1 - x0 - w), max(0.0, y1 - y0 - h)
    left = x0 if free_x else (x0 + x1 - w) / 2
    top = y0 if free_y else (y0 + y1 - h) / 2
    steps = [(0.5, 0.5), (0.5, 0), (0.5, 1), (0, 0.5), (1, 0.5)]
    return [
        (left + fx * free_x, top + fy * free_y, left + fx * free_x + w, top + fy * free_y + h)
        for fx, fy in steps
    ]


class _MapGround:
    """The small poster as pixels, to tell a spot of clear light paper from a busy one."""

    def __init__(self, layout: Layout, scale: float) -> None:
        from PIL import Image

        from .png import render_png

        width = max(1, round(layout.page.width * scale * MAP_PX_PER_PT))
        with Image.open(io.BytesIO(render_png(layout, width=width))) as image:
            self.image = image.convert("RGB")
        self.k = self.image.width / (layout.page.width * scale)  # pixels a point of the map

    def clear(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """True if the box (in the map's points, from its corner) is one light colour, a
        pixel of slack all round for the raster's edges."""
        box = (
            math.floor(x0 * self.k) - 1,
            math.floor(y0 * self.k) - 1,
            math.ceil(x1 * self.k) + 1,
            math.ceil(y1 * self.k) + 1,
        )
        colours = self.image.crop(box).getcolors(1)
        if colours is None:  # more than one colour: an edge runs through it
            return False
        return contrast(cast(RGB, colours[0][1]), INK) >= CLEAR_CONTRAST


def _cm(pt: float) -> str:
    return f"{pt / PT_PER_MM / 10:.1f}".removesuffix(".0")


def _mm(pt: float) -> str:
    return f"{pt / PT_PER_MM:.1f}".removesuffix(".0")
