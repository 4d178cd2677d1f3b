"""Choosing a text's line breaks and its size together, by total cost.

TeX's idea, for a poster: every way of breaking has a cost — the penalties of the breaks it
takes (opportunities.py), how ragged its lines are, an orphan word on the last line, the
part of the box it leaves empty — and a size, the largest at which its lines fit the box. The
best setting has the highest `log(size) − cost`: a penalty of 0.1 is paid by a setting 10.5 %
larger.

Lines are measured by adding up their units' advances (units.py), so trying a setting shapes
nothing. The search stays near-linear in the number of units: for each level of penalty
(sentence ends only, then clause punctuation, then spaces, …) a bisection on the size with a
greedy fit (first fit gives the fewest lines for a width) finds the largest size at that
level; a dynamic programme then picks, among the breakings with that fewest number of lines
under that width, the one of least cost (O(units × units per line)). One line fewer, sized by
its width, is also tried. Hard rules are never traded: typed line breaks are taken; a line
holding a sentence end goes on to the end of the next sentence, so a sentence's first words
never dangle at the end of the previous one's line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .measure import REF
from .opportunities import SENTENCE_INSIDE
from .units import Unit

GAP = 0.16  # space between the ink of two lines, in em
RAGGED = 0.1  # cost of a line's short fall from the widest allowed, squared, per line
RAGGED_AT_SENTENCE = 0.03  # … when it ends a sentence or a typed line: a short slogan line
ORPHAN = 0.08  # a single word on the last line, under ORPHAN_SHARE of the width, or a
# single character (a lone ideograph, 孤字)
ORPHAN_SHARE = 0.5
WEAK_LINE = 0.1  # a line of one function word or symbol alone ("the", "Ⓐ")
DOUBLE_HYPHEN = 0.3  # a line both opening with a word's tail and ending with a hyphen
# Part of the box left empty, costing COVER × −log(the share the ink's bounding box covers):
# of two settings nearly as large, the one shaped like the box fills the page (a poster is
# read by its mass), e.g. Chinese clauses in two lines each rather than four wide lines on a
# tall page. (0.35: "释放所有 / 政治犯， / 停止 / 酷刑， / 拆除牢笼！" at 122 pt over four clause
# lines at 120 pt, the page 76 % full rather than 59 %.)
COVER = 0.35
WORD_LEVEL = 0.1  # … but it only chooses among breaks up to this penalty (spaces, after a
# function word): a hyphen or a break inside a word must pay for itself in size
SEARCH_STEPS = 16  # bisection steps on a size or a width (a precision of about 10⁻³)
ENUMERATE_UNITS = 14  # up to this many units every line count is tried
FEWER_LINES = 1  # else this many counts below the largest size's
GREEDY_KEPT = 4  # greedy fits kept per level (Lines.greedy)
UNIT_WORK = 250  # measuring one unit (shaping, ink, its break) costs about as many steps


class Budget:
    """The work a plan may do before the fitters take the cheaper choices (None: no limit).

    Counted, never timed: a spec must get the same layout on a busy machine as on an idle
    one (files are served `immutable` by id, and servers share the cache). Work is what
    dominates the cost of planning (bench/plan_cost.py): the unit pairs the line choosers look
    at (`Lines.steps`) and UNIT_WORK for each unit measured.
    """

    def __init__(self, limit: int | None = None):
        self.limit = limit
        self.measured = 0
        self.watched: list[Lines] = []

    def watch(self, lines: Lines) -> Lines:
        """Count the steps of these lines' choosers."""
        self.watched.append(lines)
        return lines

    def measure(self, units: int) -> None:
        self.measured += units

    @property
    def spent(self) -> int:
        return UNIT_WORK * self.measured + sum(lines.steps for lines in self.watched)

    def passed(self) -> bool:
        return self.limit is not None and self.spent > self.limit


@dataclass(frozen=True)
class Breaking:
    """A way to cut the units into lines, with its cost and its measures at REF."""

    ranges: tuple[tuple[int, int], ...]
    cost: float
    widest: float
    height: float

    def size(self, width: float, height: float) -> float:
        """The size at which the lines fill a box `width` × `height` (points)."""
        return min(width * REF / self.widest, height * REF / self.height)

    def score(self, width: float, height: float) -> float:
        """log(size) − cost, the part of the box left empty included."""
        k = self.size(width, height) / REF
        return self.bare(width, height) - empty_cost(
            self.widest * k, self.height * k, width, height
        )

    def bare(self, width: float, height: float) -> float:
        """log(size) − the cost of its breaks."""
        return math.log(self.size(width, height)) - self.cost


def empty_cost(ink_width: float, ink_height: float, width: float, height: float) -> float:
    """What leaving part of a `width` × `height` box empty costs (COVER)."""
    covered = ink_width * ink_height / (width * height)
    return -COVER * math.log(min(max(covered, 1e-9), 1.0))


class Lines:
    """Measures of the lines a text's units can make, by prefix sums."""

    def __init__(self, units: tuple[Unit, ...]):
        self.units = units
        self.n = len(units)
        self.prefix = [0.0]
        for u in units:
            self.prefix.append(self.prefix[-1] + u.width)
        inked = [u for u in units if u.inked]
        top = min((u.top for u in inked), default=-0.75 * REF)
        bottom = max((u.bottom for u in inked), default=0.25 * REF)
        self.default_pitch = bottom - top + GAP * REF  # between lines with no ink (blank)
        self.forced = 1 + sum(1 for u in units[:-1] if u.hard)
        # Plain lists for the inner loops, which run a few hundred thousand times.
        self.end_width = [u.end_width for u in units]
        self.hard = [u.hard for u in units]
        self.sentence = [u.sentence for u in units]
        self.top = [u.top if u.inked else math.inf for u in units]
        self.bottom = [u.bottom if u.inked else -math.inf for u in units]
        self._allowed: dict[float, list[bool]] = {}
        # The last greedy fits per level, with the caps for which each stands: (low, high,
        # lines, steps). A bisection closes in on the cap where the fit changes, so its
        # later steps fall on either side of it, inside the last two fits' intervals.
        self._greedy: dict[float, list[tuple[float, float, list | None, int]]] = {}
        self._heights: dict[tuple, float] = {}
        self.steps = 0  # unit pairs looked at by greedy fits and the DP: the work done

    def width(self, i: int, j: int) -> float:
        """Advance of a line holding units i..j-1."""
        return self.prefix[j - 1] - self.prefix[i] + self.units[j - 1].end_width

    def ink(self, i: int, j: int) -> tuple[float, float] | None:
        """Top and bottom of the line's ink at REF, or None for a blank line."""
        top = min(self.top[i:j])
        return None if top == math.inf else (top, max(self.bottom[i:j]))

    def height(self, ranges) -> float:
        """Height of the lines' ink at REF, one even pitch apart (the tightest that keeps
        each pair of neighbouring lines GAP apart)."""
        key = tuple(ranges)
        found = self._heights.get(key)
        if found is None:
            found = self._heights[key] = self._height(key)
        return found

    def _height(self, ranges) -> float:
        inks = [self.ink(i, j) for i, j in ranges]
        pairs = [a[1] - b[0] for a, b in zip(inks, inks[1:], strict=False) if a and b]
        pitch = max(pairs) + GAP * REF if pairs else self.default_pitch
        top = -inks[0][0] if inks[0] else 0.0
        bottom = inks[-1][1] if inks[-1] else 0.0
        return max(top + (len(ranges) - 1) * pitch + bottom, 1.0)

    def allowed(self, level: float) -> list[bool]:
        """For each j, may a line end after unit j-1 at this level of penalty?"""
        found = self._allowed.get(level)
        if found is None:
            found = [False] + [
                u.hard or j == self.n or u.penalty <= level for j, u in enumerate(self.units, 1)
            ]
            self._allowed[level] = found
        return found

    def greedy(self, cap: float, level: float) -> list[tuple[int, int]] | None:
        """Fewest lines no wider than `cap` (first fit is optimal here), or None.

        The fit depends on `cap` only through which line widths it compares under it, so
        it stands for every cap in [the widest width it took, the narrowest it refused):
        the last fits per level are kept with their intervals, and their work counted again."""
        kept = self._greedy.setdefault(level, [])
        for low, high, lines, steps in kept:
            if low <= cap < high:
                self.steps += steps
                return lines
        prefix, end_width, hard, sentence = self.prefix, self.end_width, self.hard, self.sentence
        allowed = self.allowed(level)
        out: list[tuple[int, int]] = []
        fit: list[tuple[int, int]] | None = out
        i, n, steps = 0, self.n, 0
        low, high = -math.inf, math.inf  # the caps for which every comparison goes the same
        while i < n:
            best, inside_sentence, start = None, False, prefix[i]
            j = i + 1
            while j <= n:
                w = prefix[j - 1] - start + end_width[j - 1]
                if w > cap:
                    if w < high:
                        high = w
                    break
                if w > low:
                    low = w
                if allowed[j] and (not inside_sentence or sentence[j - 1]):
                    best = j
                if hard[j - 1]:
                    break
                inside_sentence = inside_sentence or sentence[j - 1]
                j += 1
            steps += j - i
            if best is None:
                fit = None
                break
            out.append((i, best))
            i = best
        self.steps += steps
        kept.insert(0, (low, high, fit, steps))
        del kept[GREEDY_KEPT:]
        return fit

    def cheapest(self, cap: float, level: float, ragged: bool = True) -> Breaking | None:
        """Among the breakings with the fewest lines no wider than `cap`, the one of least
        cost (penalties, raggedness unless `ragged` is false, an orphan)."""
        n, units = self.n, self.units
        inf = (math.inf, math.inf)
        best: list[tuple[float, float]] = [inf] * (n + 1)
        back = [0] * (n + 1)
        best[0] = (0, 0.0)
        allowed = self.allowed(level)
        for j in range(1, n + 1):
            if not allowed[j]:
                continue
            end = units[j - 1]
            penalty = end.penalty if j < n and not end.hard else 0.0
            ragged_weight = (RAGGED_AT_SENTENCE if end.sentence else RAGGED) * ragged
            inside = 0  # sentence ends inside the line
            for i in range(j - 1, -1, -1):
                self.steps += 1
                if i < j - 1:
                    u = units[i]
                    if u.hard:
                        break
                    if u.sentence:
                        if not end.sentence:
                            break  # the next sentence's first words would dangle
                        inside += 1
                w = self.width(i, j)
                if w > cap:
                    break
                if best[i][0] == math.inf:
                    continue
                cost = penalty + ragged_weight * (1 - w / cap) ** 2 + SENTENCE_INSIDE * inside
                if j == n and i == j - 1 and i > 0 and (w < ORPHAN_SHARE * cap or end.lone):
                    cost += ORPHAN
                if i == j - 1 and end.weak and n > 1:
                    cost += WEAK_LINE
                if end.hyphen and j < n and i and units[i - 1].hyphen:
                    cost += DOUBLE_HYPHEN
                candidate = (best[i][0] + 1, best[i][1] + cost)
                if candidate < best[j]:
                    best[j], back[j] = candidate, i
        if best[n][0] == math.inf:
            return None
        ranges, j = [], n
        while j:
            ranges.append((back[j], j))
            j = back[j]
        ranges.reverse()
        return self.breaking(ranges, best[n][1])

    def cheapest_lines(self, count: int, level: float, cap: float) -> Breaking | None:
        """The cheapest breaking into exactly `count` lines no wider than `cap` at this level
        (a stack scales each line to the width): O(units² × count), for short texts."""
        n, units = self.n, self.units
        allowed = self.allowed(level)
        best = [[math.inf] * (count + 1) for _ in range(n + 1)]
        back = [[0] * (count + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        for j in range(1, n + 1):
            if not allowed[j]:
                continue
            end = units[j - 1]
            penalty = end.penalty if j < n and not end.hard else 0.0
            inside = 0
            for i in range(j - 1, -1, -1):
                self.steps += 1
                if i < j - 1:
                    if units[i].hard:
                        break
                    if units[i].sentence:
                        if not end.sentence:
                            break  # the next sentence's first words would dangle
                        inside += 1
                if self.width(i, j) > cap:
                    break
                cost = penalty + SENTENCE_INSIDE * inside
                if i == j - 1 and end.weak and n > 1:
                    cost += WEAK_LINE
                for k in range(1, count + 1):
                    if best[i][k - 1] + cost < best[j][k]:
                        best[j][k], back[j][k] = best[i][k - 1] + cost, i
        if best[n][count] == math.inf:
            return None
        ranges, j = [], n
        for k in range(count, 0, -1):
            ranges.append((back[j][k], j))
            j = back[j][k]
        ranges.reverse()
        return self.breaking(ranges, best[n][count])

    def breaking(self, ranges, cost: float) -> Breaking:
        widest = max(self.width(i, j) for i, j in ranges)
        return Breaking(tuple(ranges), cost, max(widest, 1.0), self.height(ranges))

    def flawed(self, breaking: Breaking) -> bool:
        """Does a line hold a function word or a symbol alone, or the last line an orphan?"""
        ranges = breaking.ranges
        if len(ranges) == 1:
            return False
        if any(j - i == 1 and self.units[i].weak for i, j in ranges):
            return True
        i, j = ranges[-1]
        last = self.units[j - 1]
        return j - i == 1 and (last.lone or self.width(i, j) < ORPHAN_SHARE * breaking.widest)

    def levels(self) -> list[float]:
        """The distinct penalties of the opportunities, cheapest first."""
        return sorted({u.penalty for u in self.units[:-1] if not u.hard and u.penalty < math.inf})

    def largest_at(self, level: float, width: float, height: float):
        """The greedy lines at the largest size at which they fit the box, and that size."""
        # No size is larger than one unit's filling the width, or one line's the height.
        hi = min(width * REF / max(max(self.end_width), 1.0), height * REF / 1.0)
        lo, found = hi * 1e-3, None
        for _ in range(SEARCH_STEPS):
            mid = math.sqrt(lo * hi)
            ranges = self.greedy(width * REF / mid, level)
            if ranges is not None and self.height(ranges) * mid / REF <= height:
                lo, found = mid, ranges
            else:
                hi = mid
        if found is None:
            found = self.greedy(math.inf, level)
            lo = min(
                width * REF / self.breaking(found, 0).widest, height * REF / self.height(found)
            )
        return found, lo

    def cheapest_in(self, lines: int, level: float, width: float) -> Breaking | None:
        """The cheapest breaking into `lines` lines as narrow as that many can be."""
        cap = self.narrowest(lines, level, 1.0, width * REF / 1e-3)
        return None if cap is None else self.cheapest(cap * (1 + 1e-9), level)

    def lowest(self, lines: int) -> float:
        """A lower bound on the height of `lines` lines at REF."""
        inked = [b - t for t, b in zip(self.top, self.bottom, strict=True) if t < math.inf]
        return max(lines * min(inked, default=1.0) + (lines - 1) * GAP * REF, 1.0)

    def narrowest(self, lines: int, level: float, low: float, high: float) -> float | None:
        """The narrowest cap in [low, high] at which `lines` lines suffice, or None."""
        ranges = self.greedy(high, level)
        if ranges is None or len(ranges) > lines:
            return None
        low = max(low, max(self.end_width))
        for _ in range(SEARCH_STEPS):
            mid = math.sqrt(low * high)
            ranges = self.greedy(mid, level)
            if ranges is not None and len(ranges) <= lines:
                high = mid
            else:
                low = mid
        return high


def choose(
    lines: Lines, width: float, height: float, budget: Budget | None = None, cover: bool = True
) -> Breaking:
    """The breaking of highest log(size) − cost in a box `width` × `height` (points).

    The part of the box left empty (COVER) counts only among plain breakings — word breaks
    (up to WORD_LEVEL), no function word alone on a line, no orphan: filling the page never
    buys a hyphen, a split word or a lone "the". So the best is the better of the best by
    log(size) − cost alone and the best plain one with the empty part counted (`cover`
    false: the first alone).
    """
    bare: Breaking | None = None  # the best by log(size) − cost
    plain: Breaking | None = None  # the best plain breaking, the empty part counted
    bare_value = plain_value = -math.inf

    def consider(candidate: Breaking | None, level: float) -> None:
        nonlocal bare, plain, bare_value, plain_value
        if candidate is None:
            return
        value = candidate.bare(width, height)
        if value > bare_value:
            bare, bare_value = candidate, value
        if cover and level <= WORD_LEVEL and not lines.flawed(candidate):
            value = candidate.score(width, height)
            if value > plain_value:
                plain, plain_value = candidate, value

    def beaten(bound: float, level: float) -> bool:
        """Can no breaking at this level worth at most `bound` be chosen any more?"""
        if cover and level <= WORD_LEVEL:
            return bound <= min(bare_value, plain_value)
        return bound <= bare_value

    for level in lines.levels() or [0.0]:
        ranges, size = lines.largest_at(level, width, height)
        if beaten(math.log(size) - level, level):
            continue  # this level's breaks cost more than its size can pay
        cap = width * REF / size
        consider(lines.cheapest(cap * (1 + 1e-9), level) or lines.breaking(ranges, level), level)
        if budget is not None and budget.passed():
            break
        # Other line counts, each as narrow as it can be: fewer breaks, perhaps as large.
        # A count is tried only while an upper bound on its size can still pay the level.
        small = lines.n <= ENUMERATE_UNITS
        fewer = range(len(ranges) - 1, lines.forced - 1, -1)
        for n in fewer if small else fewer[:FEWER_LINES]:
            if beaten(math.log(width * REF * n / lines.prefix[-1]) - level, level):
                break  # no n lines are narrower than the whole text split evenly
            consider(lines.cheapest_in(n, level, width), level)
        for n in range(len(ranges) + 1, lines.n + 1) if small else ():
            if beaten(math.log(height * REF / lines.lowest(n)) - level, level):
                break  # no n lines are lower than this
            consider(lines.cheapest_in(n, level, width), level)
        if budget is not None and budget.passed():
            break
    assert bare is not None
    if plain is not None and plain_value > bare.score(width, height):
        return plain
    return bare
