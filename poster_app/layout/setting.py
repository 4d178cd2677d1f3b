"""What the fitters return, and what they share: a set of placed lines and its measures."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .geometry import Box, Line
from .typeset import LineShape, shape_line
from .units import Text


@dataclass(frozen=True)
class Setting:
    lines: tuple[Line, ...]
    score: float  # what "larger text" means when comparing settings: the smallest line size
    cost: float = 0.0  # what its breaks cost, in log size (partition.py)

    @property
    def value(self) -> float:
        """What settings are compared by: log(size) − cost."""
        return math.log(max(self.score, 1e-9)) - self.cost


def shapes(text: Text, ranges: Sequence[tuple[int, int]], exact: bool = False) -> list[LineShape]:
    """The lines holding units i..j-1 for each (i, j)."""
    units = text.units
    return [
        shape_line(text, units[i].start, units[j - 1].end, units[j - 1].hyphen, exact)
        for i, j in ranges
    ]


def centred_x(shape: LineShape, k: float, box: Box) -> float:
    """The line's origin that centres its words in the box, line-end punctuation hanging
    out to the right as far as the box allows."""
    if shape.ink is None:
        return box.x0
    body = shape.body or shape.ink
    x = box.x0 + (box.width - body.width * k) / 2 - body.x0 * k
    return max(box.x0 - shape.ink.x0 * k, min(x, box.x1 - shape.ink.x1 * k))


def ink_of(lines: tuple[Line, ...]) -> Box:
    out = lines[0].ink
    for line in lines[1:]:
        out = out.union(line.ink)
    return out
