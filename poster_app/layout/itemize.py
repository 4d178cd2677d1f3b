"""Split a slogan into runs of one font each, down a fallback chain of faces.

A cluster (a base character with its combining marks, joiners, variation selectors and emoji
modifiers) always gets one face that has every character of it, so a shaper sees conjuncts
and vocalised words whole. Spaces, digits and punctuation stay in the face of the run they
are in when it has them, so a line is not cut into many runs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .errors import EngineError
from .fonts import Face, covers
from .scripts import script

ZWNJ, ZWJ = "\u200c", "\u200d"
_WEAK_SCRIPTS = frozenset({"Zyyy", "Zinh", "Zzzz"})


@dataclass(frozen=True)
class FontRun:
    """Characters text[start:end] drawn with one face."""

    start: int
    end: int
    face: Face


class MissingGlyphs(EngineError):
    """Some characters of the slogan are in no bundled font (`chars` quotes them with their
    code points: "𒀀 (U+12000)"; `names` gives their Unicode names)."""

    def __init__(self, chars: Sequence[str]):
        self.chars = list(chars)
        super().__init__(
            "missing_glyphs",
            "text",
            names=", ".join(describe(c) for c in self.chars),
            them="them" if len(self.chars) > 1 else "it",
            chars=" ".join(f"{c} (U+{ord(c):04X})" for c in self.chars),
        )


def describe(char: str) -> str:
    """Name a character the way Unicode charts do: `U+12000 CUNEIFORM SIGN A`."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '<unnamed>')}"


_script = script  # ICU's Script property: the line breaker has loaded ICU already


@lru_cache(maxsize=4096)
def _is_extend(char: str) -> bool:
    """Tell whether the character belongs to the cluster of the character before it."""
    cp = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char in (ZWJ, ZWNJ)
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # emoji tag sequences
    )


@lru_cache(maxsize=4096)
def _is_ignorable(char: str) -> bool:
    """Tell whether a face may lack the character: the shaper handles it without a glyph."""
    cp = ord(char)
    return (
        unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
    )


def _never_missing(char: str) -> bool:
    """Tell whether a character needs no glyph at all: controls, joiners and spaces."""
    return _is_ignorable(char) or char.isspace()


def _clusters(text: str) -> list[tuple[int, int]]:
    """Cut text into clusters; a joiner also binds the character after it."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text)):
        if _is_extend(text[i]) or text[i - 1] in (ZWJ, ZWNJ):
            continue
        bounds.append((start, i))
        start = i
    if text:
        bounds.append((start, len(text)))
    return bounds


def _covers(face: Face, cluster: str) -> bool:
    """Tell whether the face has the cluster; it may lack controls, joiners and selectors."""
    return all(covers(face, c) or _is_ignorable(c) for c in cluster)


def _first_face(cluster: str, candidates: Sequence[Face]) -> Face | None:
    return next((face for face in candidates if _covers(face, cluster)), None)


def _is_weak(cluster: str) -> bool:
    return _script(cluster[0]) in _WEAK_SCRIPTS


def _assign(text: str, chain: Sequence[Face]) -> tuple[list[tuple[int, int, Face]], list[str]]:
    """Give each cluster a face; return (start, end, face) pieces and the missing characters."""
    clusters = _clusters(text)
    pieces: list[tuple[int, int, Face]] = []
    missing: list[str] = []
    current: Face | None = None
    leading = 0  # clusters of only spaces and controls before the first face is known
    for n, (start, end) in enumerate(clusters):
        cluster = text[start:end]
        script = _script(cluster[0])
        if current is None and all(_never_missing(c) for c in cluster):
            leading += 1
            continue
        if script in _WEAK_SCRIPTS:
            # Spaces, digits and punctuation stay in the face of the text around them, but
            # never in a symbols face: "✊ 2024" sets 2024 in the slogan's face.
            text_face = None if current is None or _is_symbols(current) else current
            preferred = text_face or _next_strong_face(text, clusters[n + 1 :], chain)
        elif current is not None and script in current.scripts:
            preferred = current
        else:
            # Letters go down the chain even when the current face happens to have them:
            # a Russian word after a Chinese one is drawn with the Cyrillic face, not CJK's.
            preferred = None
        face = _first_face(cluster, [preferred, *chain] if preferred else chain)
        if face is not None:
            pieces.append((start, end, face))
        else:
            _split_cluster(text, start, end, chain, pieces, missing)
        current = pieces[-1][2]
    if leading:
        # Leading spaces and newlines join the first run (or the main face if nothing follows).
        first = pieces[0][2] if pieces else chain[0]
        pieces[:0] = [(start, end, first) for start, end in clusters[:leading]]
    return pieces, missing


def _is_symbols(face: Face) -> bool:
    return face.scripts[0] in ("Zsym", "Zmth")


def _next_strong_face(text: str, clusters, chain: Sequence[Face]) -> Face | None:
    for start, end in clusters:
        cluster = text[start:end]
        if not _is_weak(cluster):
            return _first_face(cluster, chain)
    return None


def _split_cluster(text, start, end, chain, pieces, missing) -> None:
    """Place a cluster no single face has: each character in the first face that has it."""
    previous = pieces[-1][2] if pieces else None
    for i in range(start, end):
        char = text[i]
        face = next((f for f in chain if covers(f, char)), None)
        if face is None:
            if not _never_missing(char) and char not in missing:
                missing.append(char)
            face = previous or chain[0]  # never drawn: itemize raises MissingGlyphs
        pieces.append((i, i + 1, face))
        previous = face


def _merge(pieces: list[tuple[int, int, Face]]) -> list[FontRun]:
    runs: list[FontRun] = []
    for start, end, face in pieces:
        if runs and runs[-1].face == face and runs[-1].end == start:
            runs[-1] = FontRun(runs[-1].start, end, face)
        else:
            runs.append(FontRun(start, end, face))
    return runs


def itemize(text: str, chain: Sequence[Face]) -> list[FontRun]:
    """Split text into font runs covering it contiguously; raise MissingGlyphs if need be."""
    if not chain:
        raise ValueError("the fallback chain is empty")
    pieces, missing = _assign(text, chain)
    if missing:
        raise MissingGlyphs(missing)
    return _merge(pieces)


def missing_chars(text: str, chain: Sequence[Face]) -> list[str]:
    """Return the distinct characters of text that no face of the chain has."""
    if not chain:
        raise ValueError("the fallback chain is empty")
    return _assign(text, chain)[1]
