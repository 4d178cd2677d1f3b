"""The fill style: one size for every line, as large as the box allows."""

from __future__ import annotations

import itertools

from .geometry import Box
from .measure import REF
from .partition import GAP, Budget, Lines, choose
from .setting import Setting, centred_x, shapes
from .typeset import LineShape
from .units import Text


def fill(text: Text, box: Box, budget: Budget | None = None, cover: bool = True) -> Setting:
    """Choose breaks and size by total cost (partition.py), then set the lines by their
    real ink: shaped once each, sized to fill the box, centred, one pitch apart."""
    lines = (budget or Budget()).watch(Lines(text.units))
    chosen = choose(lines, box.width, box.height, budget, cover)
    placed = shapes(text, chosen.ranges, exact=True)
    return _place_fill(placed, lines.default_pitch, box, text, chosen.cost)


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


def fill_size(shapes: list[LineShape], pitch: float, box: Box) -> float:
    """The size at which the lines' ink fills the box in one direction."""
    pitch = _line_pitch(shapes, pitch)
    height, _ = _block_height(shapes, pitch)
    widest = max((s.ink.width for s in shapes if s.ink), default=1.0)
    return min(box.width * REF / widest, box.height * REF / max(height, 1.0))


def _place_fill(
    shapes: list[LineShape], pitch: float, box: Box, text: Text, cost: float
) -> Setting:
    """Size the lines by their real ink to fill the box, centre them, one pitch apart."""
    size = fill_size(shapes, pitch, box)
    pitch = _line_pitch(shapes, pitch)
    height, top = _block_height(shapes, pitch)
    k = size / REF
    y = box.y0 + (box.height - height * k) / 2 + top * k
    lines = []
    for s in shapes:
        lines.append(s.place(size, centred_x(s, k, box), y, text.lang))
        y += pitch * k
    return Setting(tuple(lines), size, cost)
