"""The fill style: one size for every line, as large as the box allows."""

from __future__ import annotations

import itertools

from .geometry import Box
from .measure import REF
from .partition import Partitioner
from .setting import GAP, Setting, centred_x, shapes
from .typeset import LineShape, shape_line
from .units import Text

BALANCE_TOLERANCE = 0.98  # a setting this much smaller may win if its lines are more even
LONE_LINE = 0.45  # a line under this share of the widest looks like a lone word


def fill(text: Text, box: Box) -> Setting:
    """Try each line count with its narrowest partition, sized by the lines' real ink.

    Among settings within 2 % of the largest, one without a lone short line is preferred.
    """
    part = Partitioner(text)
    widths = part.widths()
    pitch = _default_pitch(text)
    lowest = _lowest_ink(text)
    candidates: list[tuple[float, float, list[tuple[int, int]]]] = []
    best = 0.0
    for n in range(part.forced, len(text.units) + 1):
        # No line is lower than the lowest unit: the most n lines could ever reach.
        if box.height * REF / (n * lowest + (n - 1) * GAP * REF) < best * BALANCE_TOLERANCE:
            break
        for ranges in part.candidates(n, widths):
            lines = shapes(text, ranges)
            size = _fill_size(lines, pitch, box)
            candidates.append((size, _evenness(lines), ranges))
            best = max(best, size)
    chosen = max(candidates, key=lambda c: c[0])
    if chosen[1] < LONE_LINE:
        even = [c for c in candidates if c[0] >= best * BALANCE_TOLERANCE and c[1] > chosen[1]]
        if even:
            chosen = max(even, key=lambda c: c[1])
    return _place_fill(shapes(text, chosen[2], exact=True), pitch, box, text.lang)


def _evenness(shapes: list[LineShape]) -> float:
    """Narrowest line over widest: low when a short word sits alone on a line."""
    inked = [s.ink.width for s in shapes if s.ink]
    return min(inked) / max(inked) if inked else 1.0


def _line_pitch(shapes: list[LineShape], pitch: float) -> float:
    """The tightest pitch that keeps every pair of neighbouring lines apart by the gap,
    so Thai tone marks or Khmer subscripts set it only where they occur."""
    pairs = [a.ink.y1 - b.ink.y0 for a, b in itertools.pairwise(shapes) if a.ink and b.ink]
    return max(pairs) + GAP * REF if pairs else pitch


def _block_height(shapes: list[LineShape], pitch: float) -> tuple[float, float]:
    """Height of the block's ink at REF, and the first baseline below its top."""
    top = -shapes[0].ink.y0 if shapes[0].ink else 0.0
    bottom = shapes[-1].ink.y1 if shapes[-1].ink else 0.0
    return top + (len(shapes) - 1) * pitch + bottom, top


def _fill_size(shapes: list[LineShape], pitch: float, box: Box) -> float:
    """The size at which the lines' ink fills the box in one direction."""
    pitch = _line_pitch(shapes, pitch)
    height, _ = _block_height(shapes, pitch)
    widest = max(s.ink.width for s in shapes if s.ink)
    return min(box.width * REF / widest, box.height * REF / height)


def _place_fill(shapes: list[LineShape], pitch: float, box: Box, lang: str) -> Setting:
    """Size the lines by their real ink to fill the box, centre them, one pitch apart."""
    size = _fill_size(shapes, pitch, box)
    pitch = _line_pitch(shapes, pitch)
    height, top = _block_height(shapes, pitch)
    k = size / REF
    y = box.y0 + (box.height - height * k) / 2 + top * k
    lines = []
    for s in shapes:
        lines.append(s.place(size, centred_x(s, k, box), y, lang))
        y += pitch * k
    return Setting(tuple(lines), size)


def _unit_inks(text: Text) -> list[Box]:
    shapes = (shape_line(text, u.start, u.end, False) for u in text.units)
    return [s.ink for s in shapes if s.ink is not None]


def _default_pitch(text: Text) -> float:
    """Pitch for lines with no ink between them (blank lines): the text's full ink height."""
    inks = _unit_inks(text)
    if not inks:
        return REF
    return max(-b.y0 for b in inks) + max(b.y1 for b in inks) + GAP * REF


def _lowest_ink(text: Text) -> float:
    return min((b.height for b in _unit_inks(text)), default=REF)
