"""Fonts for PDF documents: each face parsed once per process, each document given its glyphs.

fpdf2's `add_font` parses the font file for every document (cmap, widths of every glyph) and
at `output()` subsets that parse in place. For the 19 MB CJK collection that was 129 ms of
parsing and 122 ms of subsetting per document, 10-12× an English PDF. Here:

- `FacesPDF.add_face` gives the document a shallow copy of a TTFFont parsed once per process
  (its cmap, widths, glyph ids and HarfBuzz face are read-only once built); what a document
  changes — the subset map, the font descriptor, the index — is its own.
- `FacesPDF.output` first replaces each copy's `ttfont`, which fpdf2 subsets in place, with a
  small TrueType font made for this document of just the glyphs it used, drawn from the
  parsed face (CFF outlines become quadratic curves within 1/1000 em). fpdf2 subsets and
  embeds that as it would the whole face, under the same glyph names. Each glyph is drawn
  once per process; a document gets copies (saving sets their bounds and hinting).
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.filterPen import DecomposingFilterPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from .fontcache import font_path

# fontTools reads tables on first use and is not safe to read from two threads at once.
_reading = threading.Lock()


_faces: dict[tuple[str, int], TTFFont] = {}


def _parsed(file: str, index: int) -> TTFFont:
    """The face as fpdf2 parses it, once per process (threads wait for the one parse).

    At most every bundled face is kept (its file stays open, read on demand); most processes
    only ever meet a few.
    """
    with _reading:
        if (file, index) not in _faces:
            _faces[file, index] = TTFFont(
                FPDF(), Path(font_path(file)), file, "", collection_font_number=index
            )
        return _faces[file, index]


class FacesPDF(FPDF):
    """FPDF whose faces are parsed once per process (`add_face`) and subset per document."""

    def add_face(self, name: str, file: str, index: int = 0) -> None:
        """Add the face as `add_font` would, from the process's parse."""
        font = copy.copy(_parsed(file, index))
        font.i = len(self.fonts) + 1
        font.fontkey = name
        font.desc = copy.copy(font.desc)  # fpdf2 numbers and fills it when writing
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.subset = SubsetMap(font)
        self.fonts[name] = font

    def output(self, *args, **kwargs):
        # fpdf2 subsets each font's `ttfont` in place: never the process's parse.
        for font in self.fonts.values():
            if isinstance(font, TTFFont):
                font.ttfont = _glyphs_font(font)
                font.is_cff = font.is_cid_keyed = False
        return super().output(*args, **kwargs)


# Each glyph's quadratic outline, drawn once per process for every document that uses it:
# by its face's parse (one per face: _faces), then by glyph name. At most MAX_OUTLINES a face
# (~7 KB each): a CJK face has 65,000 glyphs, and slogans of rare characters, one after
# another, would otherwise grow a worker by hundreds of MB. Past it the face starts afresh.
MAX_OUTLINES = 4000
_outlines: dict[TTFont, dict[str, Glyph]] = {}


def _outline(source, glyph_set, name: str) -> Glyph:
    """The glyph's outline in quadratic curves, components decomposed (caller holds _reading)."""
    pen = TTGlyphPen(None)
    curves = Cu2QuPen(pen, max_err=source["head"].unitsPerEm / 1000)
    glyph_set[name].draw(DecomposingFilterPen(curves, glyph_set))
    return pen.glyph()


def _glyphs_font(font: TTFFont):
    """A TrueType font holding the glyphs `font` drew in this document, under their names."""
    source = font.ttfont
    names = sorted(set(font.subset.get_all_glyph_names()) | {".notdef"}, key=source.getGlyphID)
    with _reading:
        drawn = _outlines.setdefault(source, {})
        new = [name for name in names if name not in drawn]
        if len(drawn) + len(new) > MAX_OUTLINES:
            drawn.clear()
            new = names
        if new:
            glyph_set = source.getGlyphSet()
            for name in new:
                drawn[name] = _outline(source, glyph_set, name)
        # Copies: saving a document sets a glyph's bounds and hinting, on its copy only.
        outlines = {name: copy.copy(drawn[name]) for name in names}
        widths = source["hmtx"].metrics
        head, hhea, os2 = source["head"], source["hhea"], source["OS/2"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    # The source's dates, and no new ones on saving: the same document gives the same bytes.
    builder.setupHead(unitsPerEm=head.unitsPerEm, created=head.created, modified=head.modified)
    builder.font.recalcTimestamp = False
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({})
    builder.setupGlyf(outlines)
    builder.setupHorizontalMetrics({name: widths[name] for name in names})
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    builder.setupOS2(usWeightClass=os2.usWeightClass, sTypoAscender=os2.sTypoAscender)
    builder.setupNameTable({"familyName": font.name, "styleName": "Regular"})
    builder.setupPost()
    return builder.font
