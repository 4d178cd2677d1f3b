"""The stack style: every line scaled to the full width, the classic protest sign."""

from __future__ import annotations

from .geometry import Box
from .measure import REF
from .partition import Partitioner
from .setting import GAP, Setting, centred_x, shapes
from .typeset import LineShape
from .units import Text

MAX_STACK_LINES = 8
STACK_MAX_RATIO = 2.5  # no line more than this many times the size of the smallest


def stack(text: Text, box: Box) -> Setting:
    """Try each line count; keep the one whose lines cover most of the box."""
    part = Partitioner(text)
    widths = part.widths()
    best: tuple[float, list[tuple[int, int]]] | None = None
    for n in range(part.forced, min(len(text.units), max(MAX_STACK_LINES, part.forced)) + 1):
        widest = part.narrowest(n, widths)
        ranges = part.balanced(n, widest, widest * 1.0001)
        if not ranges:
            continue
        # Exact ink: a full-width "！" has half the ink its advance suggests, and at full
        # width that decides how large a short line would be.
        lines = shapes(text, ranges, exact=True)
        coverage = _stack_coverage(lines, _stack_sizes(lines, box), box)
        if best is None or coverage > best[0]:
            best = (coverage, ranges)
    assert best is not None, "a part has at least its forced lines"
    return _place_stack(shapes(text, best[1], exact=True), box, text.lang)


def _stack_sizes(shapes: list[LineShape], box: Box) -> list[float]:
    """Each inked line at the size that makes it full width, but none more than
    STACK_MAX_RATIO times the smallest (a lone short word stays narrower), all shrunk if
    they overflow the height."""
    sizes = [box.width * REF / s.ink.width if s.ink else 0.0 for s in shapes]
    cap = STACK_MAX_RATIO * min((z for z in sizes if z), default=0.0)
    sizes = [min(z, cap) for z in sizes]
    height = _stack_height(shapes, sizes)
    if height > box.height:
        sizes = [z * box.height / height for z in sizes]
    return sizes


def _stack_height(shapes: list[LineShape], sizes: list[float]) -> float:
    total = 0.0
    for k, (s, z) in enumerate(zip(shapes, sizes, strict=True)):
        if s.ink:
            total += s.ink.height * z / REF
        if k:
            total += _stack_gap(z, sizes[k - 1])
    return total


def _stack_gap(size: float, previous: float) -> float:
    """Space between two stacked lines: in proportion to the larger, so it reads as a gap."""
    return GAP * max(size, previous)


def _stack_coverage(shapes: list[LineShape], sizes: list[float], box: Box) -> float:
    """Share of the box covered by the lines' ink boxes."""
    area = sum(
        s.ink.width * s.ink.height * (z / REF) ** 2
        for s, z in zip(shapes, sizes, strict=True)
        if s.ink
    )
    return area / (box.width * box.height)


def _place_stack(shapes: list[LineShape], box: Box, lang: str) -> Setting:
    sizes = _stack_sizes(shapes, box)
    height = _stack_height(shapes, sizes)
    y = box.y0 + (box.height - height) / 2
    lines = []
    for k, (s, z) in enumerate(zip(shapes, sizes, strict=True)):
        if k:
            y += _stack_gap(z, sizes[k - 1])
        top = -s.ink.y0 * z / REF if s.ink else 0.0
        lines.append(s.place(z or 1.0, centred_x(s, z / REF, box), y + top, lang))
        if s.ink:
            y += s.ink.height * z / REF
    # A stack is as legible as its smallest line: a huge lone "笼！" must not make a split
    # word look like a win.
    return Setting(tuple(lines), min(z for z in sizes if z))
