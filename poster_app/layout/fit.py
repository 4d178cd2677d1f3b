"""plan(): choose the break points and the size together, then place every run.

Widths are measured once per unit at REF and scale linearly with the size, so for a given
number of lines the largest size is fixed by the widest line and the height of the block:
the best partition into n lines is the one whose widest line is narrowest. We try each n
until the height alone rules out anything larger, then pick, among partitions of the winning
n that still fit, the most balanced one (no lone short word). Real ink then confirms the size.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, replace

from .fonts import chain
from .geometry import Box, Layout, Line
from .breaks import preferred_breaks
from .languages import Language, language
from .measure import REF
from .spec import Spec, parse_colour
from .typeset import LineShape, shape_line
from .units import Text

GAP = 0.16            # space between the ink of two lines, in em
CLEARLY_LARGER = 1.12  # an alternative setting (condensed, hyphenated) must win by this much
GOOD_BREAKS_COST = 0.8  # breaking only at words/phrases (CJK, Thai) may cost this much size
HYPHEN_PENALTY = 0.5   # a hyphenated line end counts like a line this much off the target
ENUMERATE_UP_TO = 36   # line-break choices tried exhaustively for one line count
BALANCE_TOLERANCE = 0.98  # a setting this much smaller may win if its lines are more even
LONE_LINE = 0.45       # a line under this share of the widest looks like a lone word
SIGNATURE_RATIO = 0.3  # signature size relative to the slogan's
SIGNATURE_RANGE = (0.03, 0.12)  # … but within these fractions of the box's shorter side


@dataclass(frozen=True)
class Setting:
    lines: tuple[Line, ...]
    score: float  # what "larger text" means when comparing settings: the smallest line size


@dataclass(frozen=True)
class Block:
    """One text of the banner in its own language: the slogan, or a translation of it."""

    text: str
    lang: Language

    @property
    def base_level(self) -> int:
        return 1 if self.lang.direction == "rtl" else 0


def plan(spec: Spec) -> Layout:
    """Measure and place the slogan of `spec` on its page; nothing is drawn."""
    lang = language(spec.lang)
    page = spec.page
    m = spec.margin * min(page.width, page.height)
    box = Box(m, m, page.width - m, page.height - m)
    blocks = [Block(spec.text.strip(), lang)]
    blocks += [Block(text, language(tag)) for tag, text in spec.also]
    signature: tuple[Line, ...] = ()
    text_box = box
    if spec.signature:
        # The signature is sized from the slogan's size alone on the page, then the slogan
        # is set again in the room left above it.
        slogan_size = _best_setting(blocks[0], spec.family, spec.style, box).score
        faces = chain(spec.family, lang.script, lang.tag)
        sig = Text(spec.signature, lang.tag, blocks[0].base_level, faces)
        signature, text_box = _signature(sig, box, slogan_size)
    lines = _set_blocks(blocks, spec.family, spec.style, text_box)
    return Layout(page=page, box=box, lines=lines, fg=parse_colour(spec.fg),
                  bg=parse_colour(spec.bg), style=spec.style, lang=lang.tag,
                  direction=lang.direction, signature=signature)


def _best_setting(block: Block, family: str, style: str, box: Box) -> Setting:
    """The plain setting, or a condensed or hyphenated one when a long word holds it back."""
    lang = block.lang
    good = preferred_breaks(block.text, lang.tag)

    def setting(family: str, hyphenate: bool = False) -> Setting:
        text = Text(block.text, lang.tag, block.base_level,
                    chain(family, lang.script, lang.tag), hyphenate)
        return _set_with_good_breaks(text, good, style, box)

    best = setting(family)
    if not _long_word_limits(best, box):
        return best
    # Narrower letters first; hyphenation only if it is clearly better still.
    alternatives = [lambda: setting("condensed")] if family != "condensed" else []
    if style == "fill":  # stack sets each line to the width: hyphens only shrink it
        alternatives.append(lambda: setting(family, hyphenate=True))
    for alternative in alternatives:
        candidate = alternative()
        if candidate.score > best.score * CLEARLY_LARGER:
            best = candidate
    return best


# --- several languages: the slogan on top, its translations smaller below -------------------

SECONDARY_RATIO = 0.6     # a translation's size relative to the slogan's, ideally
SECONDARY_MAX = 0.8       # … and at most
PRIMARY_SHARES = (0.5, 0.58, 0.66, 0.74)  # of the height tried for the slogan
BLOCK_GAP = 0.05          # between blocks, as a share of the box height


def _set_blocks(blocks: list[Block], family: str, style: str, box: Box) -> tuple[Line, ...]:
    """Set each block in a band of the box, sizes balanced, then stack the bands by ink."""
    if len(blocks) == 1:
        return _best_setting(blocks[0], family, style, box).lines
    gap = BLOCK_GAP * box.height
    room = box.height - gap * (len(blocks) - 1)
    best: tuple[float, list[Setting]] | None = None
    for share in PRIMARY_SHARES:
        heights = [room * share] + [room * (1 - share) / (len(blocks) - 1)] * (len(blocks) - 1)
        settings, y = [], box.y0
        for block, h in zip(blocks, heights):
            settings.append(_best_setting(block, family, style, Box(box.x0, y, box.x1, y + h)))
            y += h + gap
        primary, secondary = settings[0].score, min(s.score for s in settings[1:])
        score = min(primary, secondary / SECONDARY_RATIO)
        if best is None or score > best[0]:
            best = (score, settings)
    return _stack_blocks(best[1], gap, box)


def _stack_blocks(settings: list[Setting], gap: float, box: Box) -> tuple[Line, ...]:
    """Shrink translations set larger than the slogan allows, then centre the blocks."""
    limit = SECONDARY_MAX * settings[0].score
    blocks = []
    for number, setting in enumerate(settings):
        lines = setting.lines
        if number and setting.score > limit:
            ink = _ink_of(lines)
            k = limit / setting.score
            lines = tuple(li.transformed(k, (ink.x0 + ink.x1) / 2, ink.y0) for li in lines)
        blocks.append(tuple(replace(li, block=number) for li in lines))
    inks = [_ink_of(lines) for lines in blocks]
    total = sum(ink.height for ink in inks) + gap * (len(inks) - 1)
    y = box.y0 + (box.height - total) / 2
    out: list[Line] = []
    for lines, ink in zip(blocks, inks):
        out += [li.transformed(1.0, 0, 0, y - ink.y0) for li in lines]
        y += ink.height + gap
    return tuple(out)


def _ink_of(lines: tuple[Line, ...]) -> Box:
    out = lines[0].ink
    for line in lines[1:]:
        out = out.union(line.ink)
    return out


def _set_with_good_breaks(text: Text, good: frozenset[int] | None, style: str,
                          box: Box) -> Setting:
    """Set the text; prefer breaks at words or phrases if they cost little size."""
    set_text = _stack if style == "stack" else _fill
    if good is not None:
        text = text.marked_poor(good)
    best = set_text(text, box)
    coarse = text.coarsened(good) if good is not None else None
    if coarse is not None:
        candidate = set_text(coarse, box)
        if candidate.score >= best.score * GOOD_BREAKS_COST:
            best = candidate
    return best


def _long_word_limits(setting: Setting, box: Box) -> bool:
    """Is the size held back by a line that is one unbreakable word filling the width?"""
    for line in setting.lines:
        words = [w for w in line.text.split() if any(ch.isalnum() for ch in w)]
        if len(words) == 1 and len(words[0]) >= 8 and line.ink.width >= 0.97 * box.width:
            return True
    return False


# --- fill: one size for every line ----------------------------------------------------------

class Partitioner:
    """Line widths of a text's units and the partitions the fitter needs."""

    def __init__(self, text: Text):
        self.units = text.units
        n = len(self.units)
        self.prefix = [0.0]
        for u in self.units:
            self.prefix.append(self.prefix[-1] + u.width)
        # A line may not run past a hard break: lines starting at i end at most at limit[i].
        self.limit = [0] * n
        end = n
        for i in range(n - 1, -1, -1):
            if self.units[i].hard:
                end = i + 1
            self.limit[i] = end
        self.forced = 1 + sum(1 for u in self.units[:-1] if u.hard)

    def width(self, i: int, j: int) -> float:
        """Width of a line holding units i..j-1."""
        return self.prefix[j - 1] - self.prefix[i] + self.units[j - 1].end_width

    def widths(self) -> list[float]:
        return sorted({self.width(i, j) for i in range(len(self.units))
                       for j in range(i + 1, self.limit[i] + 1)})

    def greedy_lines(self, cap: float) -> int:
        """Fewest lines with no line wider than `cap` (first fit is optimal here)."""
        lines, i, n = 0, 0, len(self.units)
        while i < n:
            j = i + 1
            if self.width(i, j) > cap:
                return n + 1
            while j < self.limit[i] and self.width(i, j + 1) <= cap:
                j += 1
            lines, i = lines + 1, j
        return lines

    def narrowest(self, n: int, widths: list[float]) -> float:
        """The smallest possible width of the widest line when using at most n lines."""
        k = bisect.bisect_left(widths, True, key=lambda w: self.greedy_lines(w) <= n)
        return widths[min(k, len(widths) - 1)]

    def candidates(self, n: int, widths: list[float]) -> list[list[tuple[int, int]]]:
        """Partitions into n lines worth sizing by their real ink: all of them when there
        are few (on a wide banner the lowest pair of lines, not the narrowest, may win),
        else the most balanced of those whose widest line is narrowest."""
        if math.comb(len(self.units) - 1, n - 1) <= ENUMERATE_UP_TO:
            return [r for r in self.partitions(n)]
        widest = self.narrowest(n, widths)
        ranges = self.balanced(n, widest, widest * 1.0001)
        return [ranges] if ranges else []

    def partitions(self, n: int, start: int = 0):
        """Every way to set units start.. in n lines that respects the hard breaks."""
        size = len(self.units)
        if n == 1:
            if self.limit[start] == size:
                yield [(start, size)]
            return
        for j in range(start + 1, min(self.limit[start], size - n + 1) + 1):
            for rest in self.partitions(n - 1, j):
                yield [(start, j), *rest]

    def balanced(self, n: int, target: float, cap: float) -> list[tuple[int, int]]:
        """Exactly-n-line partition with lines ≤ cap, closest to `target` (least squares)."""
        size = len(self.units)
        inf = float("inf")
        cost = [[inf] * (size + 1) for _ in range(n + 1)]
        back = [[0] * (size + 1) for _ in range(n + 1)]
        cost[0][0] = 0.0
        for k in range(1, n + 1):
            for j in range(1, size + 1):
                for i in range(j - 1, -1, -1):
                    if self.limit[i] < j:
                        break
                    w = self.width(i, j)
                    if w > cap:
                        break
                    c = cost[k - 1][i] + (target - w) ** 2
                    if (self.units[j - 1].hyphen or self.units[j - 1].poor) and j < size:
                        c += (HYPHEN_PENALTY * target) ** 2
                    if c < cost[k][j]:
                        cost[k][j], back[k][j] = c, i
        if cost[n][size] == inf:
            return []
        out, j = [], size
        for k in range(n, 0, -1):
            i = back[k][j]
            out.append((i, j))
            j = i
        return out[::-1]


def _fill(text: Text, box: Box) -> Setting:
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
            shapes = _shapes(text, ranges)
            size = _fill_size(shapes, pitch, box)
            candidates.append((size, _evenness(shapes), ranges))
            best = max(best, size)
    chosen = max(candidates, key=lambda c: c[0])
    if chosen[1] < LONE_LINE:
        even = [c for c in candidates if c[0] >= best * BALANCE_TOLERANCE and c[1] > chosen[1]]
        if even:
            chosen = max(even, key=lambda c: c[1])
    return _place_fill(_shapes(text, chosen[2], exact=True), pitch, box, text.lang)


def _evenness(shapes: list[LineShape]) -> float:
    """Narrowest line over widest: low when a short word sits alone on a line."""
    inked = [s.ink.width for s in shapes if s.ink]
    return min(inked) / max(inked) if inked else 1.0


def _shapes(text: Text, ranges: list[tuple[int, int]], exact: bool = False) -> list[LineShape]:
    """The lines holding units i..j-1 for each (i, j)."""
    units = text.units
    return [shape_line(text, units[i].start, units[j - 1].end, units[j - 1].hyphen, exact)
            for i, j in ranges]


def _line_pitch(shapes: list[LineShape], pitch: float) -> float:
    """The tightest pitch that keeps every pair of neighbouring lines apart by the gap,
    so Thai tone marks or Khmer subscripts set it only where they occur."""
    pairs = [a.ink.y1 - b.ink.y0 for a, b in zip(shapes, shapes[1:]) if a.ink and b.ink]
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
        lines.append(s.place(size, _centred_x(s, k, box), y, lang))
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


def _centred_x(shape: LineShape, k: float, box: Box) -> float:
    if shape.ink is None:
        return box.x0
    return box.x0 + (box.width - shape.ink.width * k) / 2 - shape.ink.x0 * k


# --- stack: every line scaled to the full width -----------------------------------------------

MAX_STACK_LINES = 8
STACK_MAX_RATIO = 2.5   # the largest line at most this many times the size of the smallest


def _stack(text: Text, box: Box) -> Setting:
    """Try each line count; keep the one that covers most of the box without a short word
    set many times larger than the rest."""
    part = Partitioner(text)
    widths = part.widths()
    best: tuple[bool, float, list[tuple[int, int]]] | None = None
    for n in range(part.forced, min(len(text.units), max(MAX_STACK_LINES, part.forced)) + 1):
        widest = part.narrowest(n, widths)
        ranges = part.balanced(n, widest, widest * 1.0001)
        if not ranges:
            continue
        # Exact ink: a full-width "！" has half the ink its advance suggests, and at full
        # width that decides whether a short line towers over the rest.
        shapes = _shapes(text, ranges, exact=True)
        sizes = [z for z in _stack_sizes(shapes, box) if z]
        candidate = (max(sizes) <= STACK_MAX_RATIO * min(sizes),
                     _stack_coverage(shapes, sizes, box), ranges)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return _place_stack(_shapes(text, best[2], exact=True), box, text.lang)


def _stack_sizes(shapes: list[LineShape], box: Box) -> list[float]:
    """Each inked line at the size that makes it full width, all shrunk if they overflow."""
    sizes = [box.width * REF / s.ink.width if s.ink else 0.0 for s in shapes]
    height = _stack_height(shapes, sizes)
    if height > box.height:
        sizes = [z * box.height / height for z in sizes]
    return sizes


def _stack_height(shapes: list[LineShape], sizes: list[float]) -> float:
    total = 0.0
    for k, (s, z) in enumerate(zip(shapes, sizes)):
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
    inked = [s for s in shapes if s.ink]
    area = sum(s.ink.width * s.ink.height * (z / REF) ** 2 for s, z in zip(inked, sizes))
    return area / (box.width * box.height)


def _place_stack(shapes: list[LineShape], box: Box, lang: str) -> Setting:
    sizes = _stack_sizes(shapes, box)
    height = _stack_height(shapes, sizes)
    y = box.y0 + (box.height - height) / 2
    lines = []
    for k, (s, z) in enumerate(zip(shapes, sizes)):
        if k:
            y += _stack_gap(z, sizes[k - 1])
        top = -s.ink.y0 * z / REF if s.ink else 0.0
        lines.append(s.place(z or 1.0, _centred_x(s, z / REF, box), y + top, lang))
        if s.ink:
            y += s.ink.height * z / REF
    # A stack is as legible as its smallest line: a huge lone "笼！" must not make a split
    # word look like a win.
    return Setting(tuple(lines), min(z for z in sizes if z))


# --- signature: one small line at the bottom --------------------------------------------------

def _signature(text: Text, box: Box, slogan_size: float) -> tuple[tuple[Line, ...], Box]:
    """Set the signature at the bottom of `box`; return it and the box left for the slogan."""
    shape = shape_line(text, 0, len(text.text), False, exact=True)
    if shape.ink is None:
        return (), box
    low, high = (f * min(box.width, box.height) for f in SIGNATURE_RANGE)
    size = min(max(SIGNATURE_RATIO * slogan_size, low), high, box.width * REF / shape.ink.width)
    k = size / REF
    baseline = box.y1 - shape.ink.y1 * k
    line = shape.place(size, _centred_x(shape, k, box), baseline, text.lang)
    return (line,), Box(box.x0, box.y0, box.x1, line.ink.y0 - 0.8 * size)
