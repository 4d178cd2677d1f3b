"""The stack style: every line scaled to the full width, the classic protest sign.

Breaks are chosen with the same costs as in fill (partition.py), plus a stack's own judgement:
a line of only function words ("THE", "и", "การ") scaled up to the width would be the loudest
line of the sign, so it costs, and it costs more when it would be the largest line — the
largest line carries a content word. Short words stay with their neighbour ("FREE THEM / ALL"
is fine; "THE" alone is not).
"""

from __future__ import annotations

import math

from .geometry import Box
from .measure import REF
from .partition import ENUMERATE_UNITS, GAP, Breaking, Budget, Lines, empty_cost
from .setting import Setting, centred_x, shapes
from .typeset import LineShape
from .units import Text

MAX_STACK_LINES = 8
STACK_MAX_RATIO = 2.5  # no line more than this many times the size of the smallest
WEAK_STACK = 0.3  # a line of function words alone, scaled up to the width
WEAK_LARGEST = 0.6  # … and more when it would be the largest line of the sign
SHORT_WORD = 0.15  # a single word alone with under half the letters of the longest word
# "No" opening a sentence is the sign's cry, not a function word: "Ні / тортурам!", "NIE /
# wojnie!" head their sign as "NO / WAR" does.
NEGATIONS = frozenset({"не", "ні", "ни", "nie", "ne", "no", "non", "nein", "nee", "nej"})


def stack(text: Text, box: Box, budget: Budget | None = None, cover: bool = True) -> Setting:
    """Try each line count; keep the breaking of best coverage and cost (`cover`: the part
    of the box left empty counted, partition.COVER)."""
    lines = (budget or Budget()).watch(Lines(text.units))
    candidates: dict[tuple, Breaking] = {}
    for n in range(lines.forced, min(lines.n, max(MAX_STACK_LINES, lines.forced)) + 1):
        for level in lines.levels() or [0.0]:
            cap = lines.narrowest(n, level, 1.0, lines.width(0, lines.n) + lines.prefix[-1])
            if cap is None:
                continue
            found = lines.cheapest(cap * (1 + 1e-9), level, ragged=False)
            if found is not None and len(found.ranges) == n:
                candidates.setdefault(found.ranges, found)
                break  # the cheapest level that makes n lines
        found = _any_widths(lines, n)
        if found is not None:
            candidates.setdefault(found.ranges, found)
        if budget is not None and budget.passed():
            break
    best = _best(text, lines, list(candidates.values()), box, cover)
    placed = shapes(text, best.ranges, exact=True)
    return _place_stack(placed, box, text.lang, best.cost)


def _any_widths(lines: Lines, n: int) -> Breaking | None:
    """For a short text, the cheapest n lines whatever their widths: the narrowest n lines
    may hold fewer ("FREE Ⓐ ///" fits where "NETWORK" does, so "FREE / Ⓐ ///" never came
    above) — each line no wider than n − 1 lines can be, so none turns into a footnote."""
    levels = lines.levels()
    if lines.n > ENUMERATE_UNITS or n == 1 or not levels:
        return None
    widest = lines.width(0, lines.n) + lines.prefix[-1]
    cap = lines.narrowest(n - 1, levels[-1], 1.0, widest) or math.inf
    for level in levels:
        found = lines.cheapest_lines(n, level, cap)
        if found is not None:
            return found
    return None


def _best(text: Text, lines: Lines, candidates: list[Breaking], box: Box, cover: bool):
    """The best by apparent size and cost, or the best plain one (no short word alone, no
    function word as its largest line) once the part of the box each leaves empty is
    counted (`cover`): filling the page never buys a shouting "the" or "дела"."""
    judged = {b: _value(text, lines, b, box) for b in candidates}
    best = max(candidates, key=lambda b: judged[b][0])
    plain = [b for b in candidates if not judged[b][2]]
    if cover and plain:
        full = max(plain, key=lambda b: judged[b][0] - judged[b][1])
        if judged[full][0] - judged[full][1] > judged[best][0] - judged[best][1]:
            best = full
    return best


def _value(text: Text, lines: Lines, breaking: Breaking, box: Box) -> tuple[float, float, bool]:
    """log of the sign's apparent size (half the log of its ink's area over the box's) − its
    costs; what the part of the box it leaves empty costs (partition.COVER); and whether a
    short word stands alone on a line, or function words alone are its largest line."""
    widths, heights = _measures(lines, breaking)
    sizes = _sizes(widths, heights, box)
    area = sum(w * h * (z / REF) ** 2 for w, h, z in zip(widths, heights, sizes, strict=True))
    cost = breaking.cost
    largest = max(range(len(sizes)), key=sizes.__getitem__)
    letters = [_letters(text.text[u.start : u.end]) for u in text.units]
    longest = max(letters)
    flawed = False
    for k, (i, j) in enumerate(breaking.ranges):
        if len(breaking.ranges) == 1:
            break
        opens = i == 0 or text.units[i - 1].sentence
        if opens and j - i == 1 and j < len(text.units) and _negation(text, text.units[i]):
            pass  # heads its sentence's line like any short word opening a sentence
        elif all(u.weak for u in text.units[i:j]):
            cost += WEAK_STACK + (WEAK_LARGEST if k == largest else 0.0)
            flawed = flawed or k == largest
        elif j - i == 1 and 2 * letters[i] < longest and i and not text.units[i - 1].sentence:
            # "дела" scaled up beside "фигурантам": keep it with its neighbour. A short
            # word opening a sentence may head its line ("Жыве / Беларусь!", "Ні / тортурам!").
            cost += SHORT_WORD * (2 if k == largest else 1)
            flawed = True
    ink_width = max(w * z / REF for w, z in zip(widths, sizes, strict=True))
    empty = empty_cost(ink_width, _height(heights, sizes), box.width, box.height)
    return 0.5 * math.log(max(area, 1e-9) / (box.width * box.height)) - cost, empty, flawed


def _negation(text: Text, unit) -> bool:
    return text.text[unit.start : unit.end].strip().lower() in NEGATIONS


def _measures(lines: Lines, breaking: Breaking) -> tuple[list[float], list[float]]:
    """Each line's width and ink height at REF."""
    widths = [lines.width(i, j) for i, j in breaking.ranges]
    inks = [lines.ink(i, j) for i, j in breaking.ranges]
    return widths, [ink[1] - ink[0] if ink else 0.0 for ink in inks]


def _letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


def _sizes(widths: list[float], heights: list[float], box: Box) -> list[float]:
    """Each inked line at the size that makes it full width, but none more than
    STACK_MAX_RATIO times the smallest (a lone short word stays narrower), all shrunk if
    they overflow the height."""
    sizes = [
        box.width * REF / w if h and w > 0 else 0.0 for w, h in zip(widths, heights, strict=True)
    ]
    cap = STACK_MAX_RATIO * min((z for z in sizes if z), default=0.0)
    sizes = [min(z, cap) for z in sizes]
    height = _height(heights, sizes)
    if height > box.height:
        sizes = [z * box.height / height for z in sizes]
    return sizes


def _height(heights: list[float], sizes: list[float]) -> float:
    total = 0.0
    for k, (h, z) in enumerate(zip(heights, sizes, strict=True)):
        total += h * z / REF
        if k:
            total += _stack_gap(z, sizes[k - 1])
    return total


def _stack_gap(size: float, previous: float) -> float:
    """Space between two stacked lines: in proportion to the larger, so it reads as a gap."""
    return GAP * max(size, previous)


def _place_stack(shapes: list[LineShape], box: Box, lang: str, cost: float) -> Setting:
    widths = [s.ink.width if s.ink else 0.0 for s in shapes]
    heights = [s.ink.height if s.ink else 0.0 for s in shapes]
    sizes = _sizes(widths, heights, box)
    y = box.y0 + (box.height - _height(heights, sizes)) / 2
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
    return Setting(tuple(lines), min(z for z in sizes if z), cost)
