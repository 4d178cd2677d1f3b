"""Ways to cut a text's units into lines: the narrowest, the most balanced, or all of them."""

from __future__ import annotations

import bisect
import math

from .units import Text

HYPHEN_PENALTY = 0.5  # a hyphenated or poor line end counts like a line this far off the target
ENUMERATE_UP_TO = 36  # line-break choices tried exhaustively for one line count


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
        return sorted(
            {
                self.width(i, j)
                for i in range(len(self.units))
                for j in range(i + 1, self.limit[i] + 1)
            }
        )

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
