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
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.line_break import Fragment

from .fontcache import font_path
from .geometry import Layout, Run

# Fixed creation date: fpdf2 derives the file /ID from the content and this date, so the same
# layout gives the same bytes.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
# ISO 15924 codes that name no real script; HarfBuzz guesses from the text instead.
_NO_SCRIPT = {"", "Zyyy", "Zinh", "Zzzz", "Zxxx"}


class _RunPDF(FPDF):
    """FPDF that shapes each cell's text as one fragment (see the module docstring)."""

    def _parse_chars(self, text, markdown, *, _initial_emphasis=None):  # type: ignore[override]
        if markdown or not self.text_shaping or self._fallback_font_ids:
            yield from super()._parse_chars(text, markdown, _initial_emphasis=_initial_emphasis)
            return
        yield Fragment(text, self._get_current_graphics_state(), self.k)


def render_pdf(layout: Layout) -> bytes:
    """Render the layout to PDF bytes at the page's exact size in points."""
    page = layout.page
    pdf = _RunPDF(unit="pt", format=(page.width, page.height))
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer("poster_app")
    pdf.set_title(" ".join(line.text for line in layout.lines))
    if layout.lang:
        pdf.set_lang(layout.lang)
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.c_margin = 0
    pdf.add_page()
    pdf.set_fill_color(*layout.bg)
    pdf.rect(0, 0, page.width, page.height, style="F")
    pdf.set_text_color(*layout.fg)
    families: dict[tuple[str, int], str] = {}
    for line in layout.all_lines:
        for run in line.runs:
            _draw_run(pdf, run, _family(pdf, families, run))
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def _family(pdf: FPDF, families: dict[tuple[str, int], str], run: Run) -> str:
    """The fpdf2 family name of the run's face, adding the font once per document."""
    key = (run.font, run.index)
    if key not in families:
        name = f"f{len(families)}"
        pdf.add_font(name, "", font_path(run.font), collection_font_number=run.index)
        families[key] = name
    return families[key]


def _draw_run(pdf: FPDF, run: Run, family: str) -> None:
    """Draw one run so that its advance box starts at run.x and its baseline is run.baseline."""
    pdf.set_font(family, "", run.size)
    pdf.set_text_shaping(True, direction=run.direction,
                         script=None if run.script in _NO_SCRIPT else run.script,
                         language=run.language or None)
    # cell() puts the baseline at y + h/2 + 0.3·font size; with h = size that is y + 0.8·size.
    h = run.size
    # Assign, not set_xy(): fpdf2 reads a negative x or y as measured from the right or bottom
    # edge, but a run may start left of the page (a big "Н" whose ink begins at its side
    # bearing) or above it (the first line of a tight fit on a small page).
    pdf.x, pdf.y = run.x, run.baseline - 0.8 * run.size
    pdf.cell(None, h, run.text, align="L")
