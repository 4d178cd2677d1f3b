"""A campaign's contact sheet: every banner's thumbnail with its language and size underneath,
on A4 landscape pages, laid out to fill the page.

The grid is chosen per page for the thumbnails it holds: two banners get two large cells, not
two small ones in a corner of an 18-cell grid. Captions wrap inside their cell (at most two
lines, then an ellipsis), so a long label never runs into its neighbour.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

PAGE_W, PAGE_H = 297.0, 210.0  # mm, A4 landscape
MARGIN, HEADING = 10.0, 14.0  # mm
GAP = 4.0  # mm between cells
LABEL_PT, FILES_PT = 8.0, 7.0
LINE = 0.42  # mm of line height per point of type
CAPTION = 2 * LABEL_PT * LINE + FILES_PT * LINE + 1.5  # two label lines and the file names
PER_PAGE = 18


@dataclass(frozen=True)
class Entry:
    """One banner as the sheet shows it."""

    name: str  # 'ru-a4': its files are ru-a4.png and ru-a4.pdf
    label: str  # 'Russian (ru) - A4 (210 x 297 mm)'
    error: str = ""  # why it failed, or "" when it was made


Thumb = Callable[[Entry], bytes]  # the entry's thumbnail PNG


def contact_sheet(title: str, entries: Sequence[Entry], thumb: Thumb) -> bytes:
    """The PDF: PER_PAGE banners a page at most, each page's grid filling it."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_title(_latin(title))
    pages = [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)] or [[]]
    for number, on_page in enumerate(pages, 1):
        pdf.add_page()
        heading = f"{_latin(title)} - {len(entries)} banners"
        if len(pages) > 1:
            heading += f" (page {number} of {len(pages)})"
        pdf.set_font("helvetica", "B", 14)
        pdf.set_xy(MARGIN, MARGIN - 2)
        pdf.cell(PAGE_W - 2 * MARGIN, 8, _fit(pdf, heading, PAGE_W - 2 * MARGIN))
        sizes = [_size(thumb(entry)) if not entry.error else (1, 1) for entry in on_page]
        columns = _columns(sizes)
        rows = math.ceil(len(on_page) / columns) if on_page else 1
        cell_w = (PAGE_W - 2 * MARGIN + GAP) / columns
        cell_h = (PAGE_H - 2 * MARGIN - HEADING + GAP) / rows
        for index, (entry, size) in enumerate(zip(on_page, sizes, strict=True)):
            x = MARGIN + (index % columns) * cell_w
            y = MARGIN + HEADING + (index // columns) * cell_h
            _cell(pdf, entry, thumb, size, x, y, cell_w - GAP, cell_h - GAP)
    return bytes(pdf.output())


def _columns(sizes: list[tuple[int, int]]) -> int:
    """The number of columns that makes the smallest thumbnail of the page the largest."""
    if not sizes:
        return 1

    def smallest(columns: int) -> float:
        rows = math.ceil(len(sizes) / columns)
        box_w = (PAGE_W - 2 * MARGIN + GAP) / columns - GAP
        box_h = (PAGE_H - 2 * MARGIN - HEADING + GAP) / rows - GAP - CAPTION
        return min(min(box_w / w, box_h / h) ** 2 * w * h for w, h in sizes)

    return max(range(1, len(sizes) + 1), key=smallest)


def _cell(pdf, entry: Entry, thumb: Thumb, size, x: float, y: float, w: float, h: float) -> None:
    """One banner: its thumbnail (or why it failed) above its caption, inside (x, y, w, h)."""
    box_h = h - CAPTION
    if entry.error:
        pdf.set_draw_color(180, 30, 30)
        pdf.set_line_width(0.3)
        pdf.rect(x, y, w, box_h)
        pdf.set_font("helvetica", "", 7)
        pdf.set_xy(x + 1, y + 1.5)
        pdf.multi_cell(w - 2, 3.2, _latin("Failed: " + entry.error)[:300])
    else:
        _place_thumb(pdf, thumb(entry), size, x, y, w, box_h)
    pdf.set_font("helvetica", "B", LABEL_PT)
    lines = pdf.multi_cell(
        w, LABEL_PT * LINE, _latin(entry.label or entry.name), dry_run=True, output="LINES"
    )
    if len(lines) > 2:
        lines = [lines[0], _fit(pdf, " ".join(lines[1:]), w)]
    for number, line in enumerate(lines):
        pdf.set_xy(x, y + box_h + 1 + number * LABEL_PT * LINE)
        pdf.cell(w, LABEL_PT * LINE, line)
    pdf.set_font("helvetica", "", FILES_PT)
    pdf.set_xy(x, y + box_h + 1 + 2 * LABEL_PT * LINE)
    pdf.cell(w, FILES_PT * LINE, _fit(pdf, f"{entry.name}.png / .pdf", w))


def _place_thumb(pdf, png: bytes, size, x: float, y: float, w: float, h: float) -> None:
    """Fit the thumbnail in its box, keeping its shape, right above its caption, framed."""
    scale = min(w / size[0], h / size[1])
    tw, th = size[0] * scale, size[1] * scale
    left, top = x, y + h - th
    pdf.image(io.BytesIO(png), left, top, tw, th)
    pdf.set_draw_color(160, 160, 160)
    pdf.set_line_width(0.2)
    pdf.rect(left, top, tw, th)


def _size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.size


def _fit(pdf, text: str, width: float) -> str:
    """The text, cut with an ellipsis where it would pass `width` in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "...") > width:
        text = text[:-1]
    return text.rstrip() + "..."


def _latin(text: str) -> str:
    """The sheet's core font has Latin-1 only: labels are in English."""
    return text.encode("latin-1", "replace").decode("latin-1")
