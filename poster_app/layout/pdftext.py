"""Exact text in the PDF: what copy, search, pdftotext and screen readers get back.

A shaped run's glyphs do not spell its text: the ligature لا is one glyph whose ToUnicode
reads back as ال in right-to-left order, a Devanagari vowel sign drawn before its consonant
reads back first, Khmer and Burmese marks come out in drawing order. So the text is told
twice, for the two kinds of readers:

1. **Tags** (a tagged PDF): every block (the slogan, each translation, the signature) is a
   /P structure element with its /Lang and its logical text as /ActualText, pointing at the
   block's marked content (an MCID). Screen readers and tag-aware copy read the slogan from
   here, as it was typed (`Layout.texts`), in its language.
   (On the page the engine's hyphen stays "-": poppler and PDFium join a word broken by a
   hyphen at a line end themselves, while a soft hyphen there reaches poppler's output.)
2. **Spans** in the page content: every word of every run is a /Span marked-content sequence
   whose /ActualText is that word. Readers that extract from the page (poppler's pdftotext
   and the viewers built on it, PDFium in Chrome, MuPDF) take a span's text instead of its
   glyphs' ToUnicode.

Those page readers lay a span's text left to right over its glyphs and then reorder
right-to-left text themselves, exactly as they do with glyphs. A right-to-left word's span
text is therefore given in the order its glyphs are painted (the word reversed): given in
logical order, poppler 22.12, PDFium and MuPDF each read every Arabic and Hebrew word
backwards. Spans hold one word, not a run: PDFium swaps the words of a longer span. And
the words of a right-to-left run are written in reading order, each placed by its own text
matrix: pdf.js, which ignores ActualText, reads the page's text items in content order.

Measured on 18 slogans (the corpus's right-to-left, Indic and South-East Asian entries, لا
للتعذيب), text read back exactly: poppler 12 → 16, PDFium 6 → 15, pdf.js 6 → 6, MuPDF 6 → 6
(before → after); what is left is brackets around digits in right-to-left text (poppler,
pdf.js) and vocalised Arabic, Persian and Indic marks in the readers that ignore or misplace
span text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from fpdf import FPDF
from fpdf.enums import TextDirection
from fpdf.fonts import TTFFont
from fpdf.line_break import Fragment
from fpdf.structure_tree import StructElem
from fpdf.syntax import PDFString

from .geometry import Layout, Line

# Brackets that a right-to-left run paints as their mirror image (Unicode's Bidi_Mirrored pairs
# that occur in slogans).
MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


class WordSpans(Fragment):
    """A shaped fragment that draws each word inside a /Span carrying the word's text.

    The drawing is fpdf2 2.8.9's `render_with_text_shaping` (glyph by glyph, a text matrix
    move where HarfBuzz offsets a glyph); only the marked-content operators are added.
    """

    def render_with_text_shaping(
        self, pos_x: float, pos_y: float, h: float, word_spacing: float
    ) -> str:
        # Shaping is on (text_shaping_parameters set): the font is a TTF one, not a core font.
        font = cast(TTFFont, self.font)
        params, text = self.text_shaping_parameters or {}, self.string
        glyphs = font.shape_text(text, self.font_size_pt, params)
        clusters = [
            g.cluster for g in font.perform_harfbuzz_shaping(text, self.font_size_pt, params)[0]
        ]
        if len(clusters) != len(glyphs) or word_spacing or self.char_spacing:
            return super().render_with_text_shaping(pos_x, pos_y, h, word_spacing)
        rtl = params.get("fragment_direction") == TextDirection.RTL
        scale = font.scale * self.font_size_pt * (self.font_stretching / 100) / 1000 / self.k
        starts = _word_starts(text, clusters, rtl)
        words: list[list[str]] = []  # each word's operators, in painting order
        pending = ""  # glyph codes not yet shown

        def show() -> None:
            nonlocal pending
            if pending:
                words[-1].append(f"({pending}) Tj")
                pending = ""

        def move_to(x: float, y: float) -> None:
            words[-1].append(f"1 0 0 1 {x * self.k:.2f} {(h - y) * self.k:.2f} Tm")

        for i, glyph in enumerate(glyphs):
            if i in starts:
                show()
                words.append([f"/Span <</ActualText {PDFString(starts[i]).serialize()}>> BDC"])
                move_to(pos_x, pos_y)  # a word is placed on its own: see below
            if glyph["mapped_char"] is None:
                continue
            if glyph["x_offset"] or glyph["y_offset"]:
                show()
                move_to(pos_x + glyph["x_offset"] * scale, pos_y - glyph["y_offset"] * scale)
            pending += font.escape_text(chr(glyph["mapped_char"]))
            pos_x += glyph["x_advance"] * scale
            pos_y += glyph["y_advance"] * scale
            if glyph["force_positioning"]:
                show()
                move_to(pos_x, pos_y)
        show()
        # Right to left, the words are written in reading order (each placed by its own text
        # matrix), so readers that take the content's order, such as pdf.js, read them in order.
        if rtl:
            words.reverse()
        return " ".join(" ".join(word) + " EMC" for word in words)


def _word_starts(text: str, clusters: list[int], rtl: bool) -> dict[int, str]:
    """Map the index of each word's first glyph (and each space's) to its span text.

    `clusters[i]` is the offset in `text` of glyph i's cluster, in painting order. A word's
    text is its clusters' characters; right to left, reversed into painting order (brackets
    mirrored, as painted).
    """
    ends = dict(zip(sorted(set(clusters)), sorted(set(clusters))[1:] + [len(text)], strict=True))
    groups: list[list[int]] = []  # glyph indices of each word or space, in painting order
    for i, cluster in enumerate(clusters):
        space = text[cluster : ends[cluster]].isspace()
        if not groups or space or text[clusters[groups[-1][0]]].isspace():
            groups.append([])
        groups[-1].append(i)
    starts = {}
    for group in groups:
        first = min(clusters[i] for i in group)
        last = max(ends[clusters[i]] for i in group)
        word = text[first:last]
        starts[group[0]] = word[::-1].translate(MIRRORED) if rtl else word
    return starts


def block_text(layout: Layout, block: int, lines: Sequence[Line]) -> str:
    """What block `block` of the layout says: as typed, or else its lines joined by spaces."""
    if block < len(layout.texts):
        return layout.texts[block]
    return " ".join(line.text for line in lines)


class _Paragraph(StructElem):
    """A /P structure element that also carries /Lang and /ActualText."""

    __slots__ = ("lang", "actual_text")

    def __init__(self, parent: Any, mcid: int, page: int, lang: str, text: str) -> None:
        super().__init__("/P", parent, [mcid], page_number=page)
        self.lang = PDFString(lang) if lang else None
        self.actual_text = PDFString(text)


@contextmanager
def tagged_block(pdf: FPDF, text: str, lang: str) -> Iterator[None]:
    """Mark what is drawn inside as one paragraph of `text` in `lang`, in the structure tree."""
    builder = pdf.struct_builder
    mcid = builder.next_mcid_for_page(pdf.page)
    spid = builder.spid_per_page_number.setdefault(pdf.page, len(builder.spid_per_page_number))
    paragraph = _Paragraph(builder.doc_struct_elem, mcid, pdf.page, lang, text)
    builder.doc_struct_elem.k.append(paragraph)
    builder.struct_tree_root.parent_tree.nums[spid].append(paragraph)
    pdf.pages[pdf.page].struct_parents = spid
    pdf._set_min_pdf_version("1.4")  # /MarkInfo
    pdf._out(f"/P <</MCID {mcid}>> BDC")
    yield
    pdf._out("EMC")
