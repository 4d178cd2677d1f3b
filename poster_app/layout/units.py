"""A slogan cut into units (what lies between two break opportunities), each measured once.

A unit knows its advance when a line goes on after it (trailing spaces included) and when the
line ends with it (spaces dropped, or a hyphen added where a long word was hyphenated).
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from . import bidi
from .breaks import Segment, hyphenation_points, segments
from .fonts import Face
from .itemize import itemize
from .measure import advance

# Only compounds this long are hyphenated, leaving at least this much on each side:
# a banner reads better with whole common words and no "по-" fragments.
HYPHENATE_FROM = 12
HYPHEN_MIN_PART = 5
DASHES = {"\u2014", "\u2013", "-", "\u2015"}


@dataclass(frozen=True)
class Piece:
    """A stretch of the text in one face at one bidi level."""

    start: int
    end: int
    face: Face
    level: int

    @property
    def direction(self) -> Literal["ltr", "rtl"]:
        return "rtl" if self.level % 2 else "ltr"


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    width: float  # advance at REF when the line continues after it
    end_width: float  # advance at REF when the line ends after it
    hard: bool  # the line must end after it (a newline in the text)
    hyphen: bool  # a line ending here gets a hyphen
    poor: bool = False  # a line may end here, but it reads badly (inside a CJK word)


class Text:
    """The slogan, itemized by font, resolved for direction and cut into measured units."""

    def __init__(self, text: str, lang: str, base_level: int, chain, hyphenate: bool = False):
        self.text = text
        self.lang = lang
        self.base_level = base_level
        self.font_runs = itemize(text, chain)
        self.levels = _paragraph_levels(text, base_level)
        self.units = tuple(self._units(hyphenate))

    def pieces(self, start: int, end: int) -> list[Piece]:
        """Pieces of text[start:end], split where the face or the level changes."""
        out: list[Piece] = []
        for run in self.font_runs:
            lo, hi = max(run.start, start), min(run.end, end)
            i = lo
            while i < hi:
                j = i + 1
                while j < hi and self.levels[j] == self.levels[i]:
                    j += 1
                out.append(Piece(i, j, run.face, self.levels[i]))
                i = j
        return out

    def marked_poor(self, good: frozenset[int]) -> Text:
        """A copy whose units know whether a line ending after them reads well."""
        out = copy.copy(self)
        out.units = tuple(dataclasses.replace(u, poor=u.end not in good) for u in self.units)
        return out

    def coarsened(self, good: frozenset[int]) -> Text | None:
        """A copy whose lines may only end where a break reads well; None if nothing changes."""
        merged: list[Unit] = []
        pending: Unit | None = None
        for k, unit in enumerate(self.units):
            if pending is not None:
                unit = Unit(
                    pending.start,
                    unit.end,
                    pending.width + unit.width,
                    pending.width + unit.end_width,
                    unit.hard,
                    unit.hyphen,
                    unit.poor,
                )
            if unit.hard or unit.end in good or k == len(self.units) - 1:
                merged.append(unit)
                pending = None
            else:
                pending = unit
        if len(merged) == len(self.units):
            return None
        out = copy.copy(self)
        out.units = tuple(merged)
        return out

    def width(self, start: int, end: int, hyphen: bool = False) -> float:
        total = 0.0
        for p in self.pieces(start, end):
            piece = self.text[p.start : p.end] + ("-" if hyphen and p.end == end else "")
            total += advance(p.face.file, p.face.index, piece, p.direction, self.lang)
        return total

    @cached_property
    def is_empty(self) -> bool:
        return not self.text.strip()

    def _units(self, hyphenate: bool):
        for seg in _glue_dashes(segments(self.text, self.lang)):
            cuts = [seg.start]
            word = seg.text.rstrip()
            if hyphenate and sum(ch.isalpha() for ch in word) >= HYPHENATE_FROM:
                cuts += [seg.start + k for k in _middle_hyphen(word, self.lang)]
            cuts.append(seg.end)
            for k, (a, b) in enumerate(itertools.pairwise(cuts)):
                last = k == len(cuts) - 2
                core = a + len(self.text[a:b].rstrip())
                yield Unit(
                    a,
                    b,
                    self.width(a, b),
                    self.width(a, core, hyphen=not last) if core > a else 0.0,
                    hard=seg.hard and last,
                    hyphen=not last,
                )


def has_long_word(text: str) -> bool:
    """Does the text hold a word long enough to be hyphenated?"""
    return any(sum(ch.isalpha() for ch in word) >= HYPHENATE_FROM for word in text.split())


def _middle_hyphen(word: str, lang: str) -> list[int]:
    """At most one hyphenation point per word, the one nearest its middle: a long compound
    splits in two ("Abschiebe-haftanstalten"), never into three short fragments."""
    points = [
        k
        for k in hyphenation_points(word, lang)
        if HYPHEN_MIN_PART <= k <= len(word) - HYPHEN_MIN_PART
    ]
    return [min(points, key=lambda k: abs(2 * k - len(word)))] if points else []


def _glue_dashes(segs: list[Segment]) -> list[Segment]:
    """Keep a spaced dash at the end of its line: "АНАРХИСТАМ —", never "— ОГОНЬ"."""
    out: list[Segment] = []
    for seg in segs:
        if out and not out[-1].hard and seg.text.strip() in DASHES:
            prev = out.pop()
            seg = Segment(prev.text + seg.text, prev.start, seg.end, seg.hard)
        out.append(seg)
    return out


def _paragraph_levels(text: str, base_level: int) -> list[int]:
    """Bidi levels paragraph by paragraph (a newline ends a paragraph)."""
    out: list[int] = []
    for k, para in enumerate(text.split("\n")):
        if k:
            out.append(base_level)
        out.extend(bidi.levels(para, base_level))
    return out
