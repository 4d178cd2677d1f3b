"""A slogan cut into units (what lies between two break opportunities), each measured once.

A unit knows its advance when a line goes on after it (trailing spaces included) and when the
line ends with it (spaces dropped, or a hyphen added where a long word was hyphenated), the
height of its ink, and what a line break after it costs (opportunities.py). Lines are then
measured by adding units up: no candidate line is ever shaped again while breaks are chosen.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from . import bidi
from .fonts import Face
from .itemize import _is_extend, itemize
from .languages import Language
from .measure import REF, advance, ink, vertical_ink
from .opportunities import Opportunity, table

# Words in capitals are tracked slightly, as a designer sets them: this much of the em is
# added before each cluster of an all-caps word but its first (and before a hyphen ending it).
TRACKING = 0.02


def tracked_clusters(text: str) -> frozenset[int]:
    """Offsets of the clusters that a tracking gap precedes: every cluster of a word of two
    letters or more, all capitals ("FREE", "ТЮРЬМАМ!"), but the word's first, and the space
    after it; a hyphen breaking such a word at offset k is tracked if k is in the set."""
    out: set[int] = set()
    for word in re.finditer(r"\S+", text):
        letters = [ch for ch in word.group() if ch.isalpha()]
        if len(letters) < 2 or not all(ch.isupper() for ch in letters):
            continue
        out.update(k for k in range(word.start() + 1, word.end()) if not _is_extend(text[k]))
        if word.end() < len(text) and text[word.end()] == " ":
            out.add(word.end())  # the space after it widens as the letters do
    return frozenset(out)


@dataclass(frozen=True)
class Piece:
    """A stretch of the text in one face at one bidi level."""

    start: int
    end: int
    face: Face
    level: int
    scale: float = 1.0  # its size relative to the line's (optical_scales)
    accent: bool = False  # emphasised (`*word*`): a piece never crosses an emphasis mark

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
    penalty: float = 0.0  # what ending a line after it costs (opportunities.py)
    sentence: bool = False  # a sentence or a typed line ends after it
    top: float = 0.0  # its ink's top and bottom at REF, relative to the baseline (y down)
    bottom: float = 0.0
    inked: bool = False
    lone: bool = False  # a single letter or ideograph: alone on the last line, an orphan
    weak: bool = False  # a function word or a symbol (opportunities.Opportunity.weak)


class Text:
    """The slogan, itemized by font, resolved for direction and cut into measured units."""

    def __init__(
        self,
        text: str,
        language: Language,
        base_level: int,
        chain,
        hyphenate: bool = False,
        opportunities: list[Opportunity] | None = None,
        accents: tuple[tuple[int, int], ...] = (),
    ):
        self.text = text
        # Emphasised ranges (emphasis.py): pieces are cut where the colour changes, but never
        # inside a cluster (a mark typed between a letter and its vowel sign is ignored).
        self.accents = accents
        self.cuts = {
            i for span in accents for i in span if i >= len(text) or not _is_extend(text[i])
        }
        self.language = language
        self.lang = language.tag
        self.base_level = base_level
        self.font_runs = itemize(text, chain)
        self.scales = optical_scales(text, self.font_runs, language.tag, chain[0])
        self.levels = _paragraph_levels(text, base_level)
        self.tracked = tracked_clusters(text)
        if opportunities is None:
            opportunities = table(text, language, hyphenate)
        self.units = tuple(self._unit(o) for o in opportunities)

    def pieces(self, start: int, end: int) -> list[Piece]:
        """Pieces of text[start:end], split where the face or the level changes."""
        out: list[Piece] = []
        for run in self.font_runs:
            lo, hi = max(run.start, start), min(run.end, end)
            i = lo
            while i < hi:
                j = i + 1
                while j < hi and self.levels[j] == self.levels[i] and j not in self.cuts:
                    j += 1
                accent = any(a <= i < b for a, b in self.accents)
                scale = self.scales.get(run.face, 1.0)
                out.append(Piece(i, j, run.face, self.levels[i], scale, accent))
                i = j
        return out

    def blocked(self, ends: set[int]) -> Text:
        """A copy in which no line may end at these offsets."""
        out = copy.copy(self)
        out.units = tuple(
            dataclasses.replace(u, penalty=math.inf) if u.end in ends and not u.hard else u
            for u in self.units
        )
        return out

    def width(self, start: int, end: int, hyphen: bool = False) -> float:
        total = 0.0
        for p in self.pieces(start, end):
            piece = self.text[p.start : p.end] + ("-" if hyphen and p.end == end else "")
            total += advance(p.face.file, p.face.index, piece, p.direction, self.lang) * p.scale
            total += len(self.gaps(p, hyphen and p.end == end)) * TRACKING * REF * p.scale
        return total

    def gaps(self, piece: Piece, hyphen: bool = False) -> list[int]:
        """Where in the piece's text (and its hyphen) tracking gaps go (tracked_clusters);
        left to right text only."""
        if piece.direction != "ltr":
            return []
        out = [k - piece.start for k in sorted(self.tracked) if piece.start < k < piece.end]
        if hyphen and piece.end in self.tracked:
            out.append(piece.end - piece.start)
        return out

    def _ink_end(self, end: int, advance_width: float) -> float:
        """A line's width (`advance_width`) to the ink of the full-width stop at `end`: the
        rest of the stop's em (a third to two thirds of it) is blank page at a line's end,
        and counting it made a line ending "，" look as wide as four ideographs."""
        p = self.pieces(end - 1, end)[-1]
        if p.direction != "ltr":
            return advance_width
        box = ink(p.face.file, p.face.index, self.text[end - 1], p.direction, self.lang, True)
        if box is None:
            return advance_width
        stop = advance(p.face.file, p.face.index, self.text[end - 1], p.direction, self.lang)
        return advance_width - (stop - min(box.x1, stop)) * p.scale

    def _unit(self, o: Opportunity) -> Unit:
        core = o.start + len(self.text[o.start : o.end].rstrip())
        width = self.width(o.start, o.end)
        if o.end in self.tracked:  # the next unit goes on with the same word in capitals
            width += TRACKING * REF * self.pieces(o.start, o.end)[-1].scale
        if core == o.end and not o.hyphen:
            end_width = width
        else:
            end_width = self.width(o.start, core, hyphen=o.hyphen) if core > o.start else 0.0
        if core > o.start and not o.hyphen and _full_width_stop(self.text[core - 1]):
            end_width = self._ink_end(core, end_width)
        top, bottom, inked = 0.0, 0.0, False
        for p in self.pieces(o.start, core):
            box = vertical_ink(
                p.face.file, p.face.index, self.text[p.start : p.end], p.direction, self.lang
            )
            if box is not None:
                box = (box[0] * p.scale, box[1] * p.scale)
                top, bottom = (min(top, box[0]), max(bottom, box[1])) if inked else box
                inked = True
        letters = sum(ch.isalpha() for ch in self.text[o.start : core])
        return Unit(
            o.start,
            o.end,
            width,
            end_width,
            o.hard,
            o.hyphen,
            o.penalty,
            o.sentence,
            top,
            bottom,
            inked,
            letters == 1,
            o.weak,
        )


@lru_cache(maxsize=64)  # a Text of 500 characters holds ~100 kB: at most ~6 MB kept
def measured(
    text: str,
    language: Language,
    base_level: int,
    chain: tuple[Face, ...],
    hyphenate: bool = False,
    accents: tuple[tuple[int, int], ...] = (),
) -> Text:
    """The Text of these arguments, measured once per process: a plan tries a text in several
    widths and settings, and a re-plan (a preview, then its download) measures it again. A
    Text is never changed once made (Text.blocked copies)."""
    return Text(text, language, base_level, chain, hyphenate, accents=accents)


# Runs of another script inside a line are matched to the slogan's own by how big they look,
# within these bounds: Latin in a Chinese line a little larger, never a jump in size.
OPTICAL_RANGE = (0.85, 1.15)
_SCRIPTLESS = frozenset({"Zsym", "Zmth", "Zyyy"})


def optical_scales(text: str, runs, lang: str, main) -> dict:
    """Size factor per fallback face whose script differs from the main face's: the main
    face's typical ink height above the baseline over this face's, for this text's words."""
    heights: dict = {}
    for run in runs:
        for word in text[run.start : run.end].split():
            box = vertical_ink(run.face.file, run.face.index, word, "ltr", lang)
            if box is not None and any(ch.isalpha() for ch in word):
                heights.setdefault(run.face, []).append(-box[0])
    if main not in heights:
        return {}
    reference = sorted(heights[main])[len(heights[main]) // 2]
    scales = {}
    for face, values in heights.items():
        if face is main or set(face.scripts) & set(main.scripts) or face.scripts[0] in _SCRIPTLESS:
            continue
        look = sorted(values)[len(values) // 2]
        scales[face] = min(max(reference / look, OPTICAL_RANGE[0]), OPTICAL_RANGE[1])
    return scales


def _full_width_stop(ch: str) -> bool:
    """A full-width punctuation mark (，。、！？；：), whose ink fills a corner of its em."""
    return unicodedata.category(ch).startswith("P") and unicodedata.east_asian_width(ch) in "FW"


def _paragraph_levels(text: str, base_level: int) -> list[int]:
    """Bidi levels paragraph by paragraph (a newline ends a paragraph, and each typed line
    takes its own base level: bidi.paragraph_level)."""
    out: list[int] = []
    for k, para in enumerate(text.split("\n")):
        if k:
            out.append(base_level)
        out.extend(bidi.levels(para, bidi.paragraph_level(para, base_level)))
    return out
