"""Line-break opportunities: Unicode UAX #14 via ICU (opportunities.py gives them penalties).

`segments()` cuts a slogan into the smallest units a line may not split: a line break may
come only between two segments, and must come after a segment with `hard=True`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import icu

from .languages import language

# Mandatory breaks (UAX #14 classes BK, CR, LF, NL); "\r\n" counts as one.
_NEWLINE = re.compile("\r\n|[\n\r\v\f\x85\u2028\u2029]")

# Languages whose line breaking follows CJK conventions: ICU's strict rules also keep small
# kana and the prolonged sound mark (ぁ ッ ー) off the start of a line.
_STRICT_CJK = frozenset({"zh", "ja", "yue", "wuu", "hak", "nan", "gan", "hsn", "cmn"})

# Korean keeps words whole (like CSS word-break: keep-all, but also keeping a particle on
# its closing quote: 「자유」를): a break must follow a space or fall between two characters
# outside these UAX #14 classes. ICU 77 ignores the "lw=keepall" keyword, so we merge.
_KEEP_ALL_CLASSES = frozenset(
    {"AL", "HL", "NU", "AI", "ID", "H2", "H3", "JL", "JV", "JT", "EB", "EM"}
)
_ATTACHING_CLASSES = frozenset({"CM", "ZWJ"})

_iterators = threading.local()  # ICU break iterators are not thread-safe: one set per thread


@dataclass(frozen=True)
class Segment:
    """A unit a line may not split, with its trailing spaces; `hard`: a newline follows."""

    text: str
    start: int  # offsets into the original text, in Python characters (code points)
    end: int
    hard: bool = False


def segments(text: str, lang: str) -> list[Segment]:
    """Cut text into line-break units for the language; newlines become hard breaks.

    Newline characters are consumed: they appear in no segment and mark `hard=True` on the
    segment before them. A line with nothing on it (two newlines in a row, or a newline
    at the very start) is an empty segment with `hard=True`. A newline at the very end
    only marks the last segment hard; it adds no empty segment after it.
    """
    code = language(lang).code
    result: list[Segment] = []
    position = 0
    for newline in _NEWLINE.finditer(text):
        line = _paragraph(text, position, newline.start(), code)
        if line:
            last = line[-1]
            line[-1] = Segment(last.text, last.start, last.end, hard=True)
        else:
            line = [Segment("", position, position, hard=True)]
        result += line
        position = newline.end()
    result += _paragraph(text, position, len(text), code)
    return result


def _paragraph(text: str, start: int, end: int, code: str) -> list[Segment]:
    """Segment text[start:end], which holds no newline, with ICU's line BreakIterator."""
    if start == end:
        return []
    paragraph = text[start:end]
    iterator = _line_iterator(code)
    iterator.setText(icu.UnicodeString(paragraph))
    to_python = utf16_to_python(paragraph)
    boundaries = [to_python(b) for b in iterator]  # ICU offsets are UTF-16 code units
    if code == "ko":
        boundaries = _keep_all(paragraph, boundaries)
    pieces = []
    previous = 0
    for boundary in boundaries:
        pieces.append(Segment(paragraph[previous:boundary], start + previous, start + boundary))
        previous = boundary
    return pieces


def _line_iterator(code: str) -> icu.BreakIterator:
    """Return this thread's line BreakIterator for the language, creating it once."""
    locale = f"{code}@lb=strict" if code in _STRICT_CJK else code
    return cached_iterator("line", locale, icu.BreakIterator.createLineInstance)


def cached_iterator(kind: str, locale: str, create) -> icu.BreakIterator:
    cache = getattr(_iterators, "by_language", None)
    if cache is None:
        cache = _iterators.by_language = {}
    iterator = cache.get((kind, locale))
    if iterator is None:
        iterator = cache[(kind, locale)] = create(icu.Locale(locale))
    return iterator


def utf16_to_python(text: str):
    """Return a function mapping UTF-16 offsets in text to Python string offsets."""
    if text.isascii() or max(text) < "\U00010000":
        return int
    offsets = []
    for index, char in enumerate(text):
        offsets.append(index)
        if char >= "\U00010000":
            offsets.append(index)  # the low surrogate: never a boundary
    offsets.append(len(text))
    return offsets.__getitem__


def _keep_all(text: str, boundaries: list[int]) -> list[int]:
    """Keep Korean words whole: break after a space, or between two non-letters only."""
    kept = []
    for boundary in boundaries[:-1]:
        before = boundary - 1
        while before > 0 and _line_class(text[before]) in _ATTACHING_CLASSES:
            before -= 1
        if text[before].isspace() or (
            _line_class(text[before]) not in _KEEP_ALL_CLASSES
            and _line_class(text[boundary]) not in _KEEP_ALL_CLASSES
        ):
            kept.append(boundary)
    return kept + boundaries[-1:]


@lru_cache(maxsize=4096)
def _line_class(char: str) -> str:
    value = icu.Char.getIntPropertyValue(char, icu.UProperty.LINE_BREAK)
    return icu.Char.getPropertyValueName(
        icu.UProperty.LINE_BREAK, value, icu.UPropertyNameChoice.SHORT_PROPERTY_NAME
    )
