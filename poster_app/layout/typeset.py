"""Set one line: its pieces in visual order, measured at REF, placed later at any size."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

from . import bidi
from .geometry import Box, Line, Run
from .measure import REF, advance, ink
from .scripts import script_of
from .units import TRACKING, Text

# Punctuation that hangs past the line's end: a centred line is centred on its words.
HANGING = ".,;:!?\u2014\u2013-\u2026\u00bb\u201d\u201c\u2019\"')\u3001\u3002\uff0c\uff01\uff1f"


@dataclass(frozen=True)
class ShapedRun:
    text: str
    file: str
    index: int
    direction: Literal["ltr", "rtl"]
    script: str
    x: float  # from the line's left edge, at REF
    advance: float
    scale: float = 1.0  # the run's size relative to the line's
    accent: bool = False  # emphasised: drawn in the accent colour


@dataclass(frozen=True)
class LineShape:
    """A line measured at REF: runs left to right, total advance, ink relative to (0, baseline)."""

    text: str
    runs: tuple[ShapedRun, ...]
    advance: float
    ink: Box | None
    body: Box | None = None  # the ink without punctuation hanging at the line's end

    def place(self, size: float, x: float, baseline: float, lang: str) -> Line:
        """The line at `size` points with its origin (left edge, baseline) at (x, baseline)."""
        k = size / REF
        runs = tuple(
            Run(
                r.text,
                r.file,
                r.index,
                size * r.scale,
                r.direction,
                r.script,
                lang,
                x + r.x * k,
                baseline,
                r.advance * k,
                r.accent,
            )
            for r in self.runs
        )
        box = self.ink or Box(0, 0, 0, 0)
        return Line(self.text, size, runs, box.scaled(k).shifted(x, baseline))


def shape_line(text: Text, start: int, end: int, hyphen: bool, exact: bool = False) -> LineShape:
    """The line holding text[start:end] (trailing spaces dropped, hyphen added if asked).

    `exact` measures the horizontal ink by rasterising: for lines that will be placed.
    """
    s = text.text
    while end > start and s[end - 1].isspace():
        end -= 1
    pieces = text.pieces(start, end)
    # Trailing spaces are gone, so rule L1 holds; L2 orders the pieces.
    levels = [p.level for p in pieces]
    runs: list[ShapedRun] = []
    x = 0.0
    box: Box | None = None
    for i in bidi.visual_order(levels):
        p = pieces[i]
        piece = s[p.start : p.end] + ("-" if hyphen and p.end == end else "")
        script = script_of(piece, p.face)
        gap = TRACKING * REF * p.scale
        # Capitals are tracked: each cluster after a gap is a run of its own, placed where
        # the whole piece's shaping puts it (kerning kept) plus the gaps before it.
        cuts = [0, *text.gaps(p, hyphen and p.end == end), len(piece)]
        for n, (a, b) in enumerate(itertools.pairwise(cuts)):
            part = piece[a:b]
            adv = advance(p.face.file, p.face.index, part, p.direction, text.lang)
            shaped = advance(p.face.file, p.face.index, piece[:b], p.direction, text.lang)
            at = x + (shaped - adv) * p.scale + n * gap if n else x
            runs.append(
                ShapedRun(
                    part,
                    p.face.file,
                    p.face.index,
                    p.direction,
                    script,
                    at,
                    adv * p.scale,
                    p.scale,
                    p.accent,
                )
            )
            inked = ink(p.face.file, p.face.index, part, p.direction, text.lang, exact)
            if inked is not None:
                inked = inked.scaled(p.scale).shifted(at, 0)
                box = inked if box is None else box.union(inked)
        whole = advance(p.face.file, p.face.index, piece, p.direction, text.lang)
        x += whole * p.scale + (len(cuts) - 2) * gap
    body = None
    if exact and box is not None and not hyphen and all(r.direction == "ltr" for r in runs):
        words = s[start:end].rstrip(HANGING)
        if start < start + len(words) < end:
            body = shape_line(text, start, start + len(words), False, exact=True).ink
    return LineShape(s[start:end] + ("-" if hyphen else ""), tuple(runs), x, box, body)
