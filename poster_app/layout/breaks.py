"""Line-break opportunities: Unicode UAX #14 via ICU, plus hyphenation points via pyphen.

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

# Only these scripts break words with a hyphen at the end of a line.
_HYPHENATING_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek"})
_HYPHEN_MIN = 2  # never leave fewer than this many characters on either side

# Scripts written without spaces between words but with spaces between phrases: a break at a
# space reads far better than one between dictionary words.
_PHRASE_SPACED_SCRIPTS = frozenset({"Thai", "Laoo", "Khmr", "Mymr"})

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
    to_python = _utf16_to_python(paragraph)
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
    return _iterator("line", locale, icu.BreakIterator.createLineInstance)


def _iterator(kind: str, locale: str, create) -> icu.BreakIterator:
    cache = getattr(_iterators, "by_language", None)
    if cache is None:
        cache = _iterators.by_language = {}
    iterator = cache.get((kind, locale))
    if iterator is None:
        iterator = cache[(kind, locale)] = create(icu.Locale(locale))
    return iterator


def preferred_breaks(text: str, lang: str) -> frozenset[int] | None:
    """Offsets where a line break reads well, or None when every opportunity does.

    Chinese breaks between any two ideographs, but a break inside a word (酷|刑) reads badly:
    prefer ICU's dictionary word boundaries. Japanese: ICU's phrase breaking (lw=phrase).
    Thai, Lao, Khmer, Burmese: the spaces between phrases.
    """
    info = language(lang)
    if info.script in _PHRASE_SPACED_SCRIPTS:
        return frozenset(i for i in range(1, len(text) + 1) if text[i - 1].isspace())
    if info.code == "ja":
        iterator = _iterator("line", "ja@lw=phrase", icu.BreakIterator.createLineInstance)
    elif info.code in _STRICT_CJK:
        iterator = _iterator("word", info.code, icu.BreakIterator.createWordInstance)
    else:
        return None
    iterator.setText(icu.UnicodeString(text))
    to_python = _utf16_to_python(text)
    good = {to_python(b) for b in iterator}
    good.update(i for i in range(1, len(text) + 1) if text[i - 1].isspace())
    return frozenset(good)


def _utf16_to_python(text: str):
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


def hyphenation_points(word: str, lang: str) -> list[int]:
    """Return the offsets in word where it may be hyphenated; [] where the language doesn't."""
    dictionary = _hyphenator(language(lang).tag)
    if dictionary is None:
        return []
    return [
        int(point)
        for point in dictionary.positions(word)
        if _HYPHEN_MIN <= point <= len(word) - _HYPHEN_MIN
    ]


@lru_cache(maxsize=64)
def _hyphenator(tag: str):
    found = language(tag)
    if found.script not in _HYPHENATING_SCRIPTS:
        return None  # Thai, Khmer, CJK… wrap between words, never with a hyphen
    subtags = [found.code, *tag.split("-")[1:]]
    import pyphen  # only slogans with a long compound need it

    dictionary = pyphen.language_fallback("_".join(subtags))
    if dictionary is None:
        return None
    _load_parsed(pyphen, pyphen.LANGUAGES[dictionary])
    return pyphen.Pyphen(lang=dictionary, left=_HYPHEN_MIN, right=_HYPHEN_MIN)


def _load_parsed(pyphen, path) -> None:
    """Put the parsed dictionary in pyphen's cache from our own pickle of it.

    Parsing the German dictionary takes 1–2.5 s; unpickling our earlier parse, 50 ms. The
    pickle is ours (written here, keyed by pyphen's version and the file's size and time).
    """
    import os
    import pickle
    import tempfile
    from pathlib import Path

    if path in pyphen.hdcache:
        return
    cache = Path(os.environ.get("POSTER_CACHE_DIR") or Path.home() / ".cache" / "poster_app")
    stat = Path(path).stat()
    name = f"hyph-{Path(path).stem}-{pyphen.VERSION}-{stat.st_size}-{int(stat.st_mtime)}.pickle"
    try:
        with open(cache / name, "rb") as f:
            pyphen.hdcache[path] = pickle.load(f)
        return
    except (OSError, pickle.UnpicklingError, EOFError):
        pass
    pyphen.hdcache[path] = parsed = pyphen.HyphDict(path)
    try:  # a cache that can't be written (read-only home) only costs time
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache, delete=False) as out:
            pickle.dump(parsed, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, cache / name)
    except OSError:
        pass
