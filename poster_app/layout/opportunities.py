"""The break-opportunity table: every place a line of a slogan may end, and what it costs.

Computed once per text, as Pango computes its PangoLogAttr table, and read by every fitter.
ICU's line breaker (breaks.segments) finds the opportunities; each gets a kind and a penalty
in the fitter's currency — the natural log of the size a setting must gain to pay for it, so
a penalty of 0.1 means "worth it only if the text is 10.5 % larger" (TeX's penalties, in
points of size instead of demerits).

The hard rules are not penalties: they remove opportunities (a one-letter word in Russian,
Ukrainian, Belarusian, Polish, Czech or Slovak is bound to the next word, as a typesetter does
with a no-break space) or mark them (`sentence`, which the line chooser uses so that a
sentence's first words never dangle at the end of the previous sentence's line).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import icu

from .breaks import Segment, cached_iterator, segments, utf16_to_python
from .languages import Language

# Penalties, as log size (see the module docstring). A typed line break and a sentence end
# are free; punctuation inside a sentence is the next best place, then a plain space.
MANDATORY = 0.0
SENTENCE = 0.0
CLAUSE = 0.02
SPACE = 0.05  # also between Chinese words, Japanese phrases, Thai/Lao/Khmer/Burmese words
OTHER = 0.08  # after a hyphen or a slash inside a word
INSIDE_PHRASE = 0.2  # beside a one-syllable word (政治|犯, ရေး), after a Thai function word
INSIDE_WORD = 0.3  # inside a Chinese word, a Japanese phrase or a Vietnamese word
COMPOUND = 0.15  # a hyphen where the parts of a compound join
HYPHEN = 0.3  # any other hyphen
AFTER_FUNCTION_WORD = 0.05  # added after "the", "a los", "pour": they lean on what follows
# A sentence end inside a line, not taken as a break: a designer sets one slogan per line.
SENTENCE_INSIDE = 0.03

_BOUND_ONE_LETTER = frozenset({"ru", "uk", "be", "pl", "cs", "sk"})
_PHRASE_SPACED_SCRIPTS = frozenset({"Thai", "Laoo", "Khmr", "Mymr"})
_CJK = frozenset({"zh", "ja", "yue", "wuu", "hak", "nan", "gan", "hsn", "cmn"})
# Punctuation that closes a clause: after it a line break reads as a pause.
_CLAUSE_MARKS = frozenset(
    ",;:\u2014\u2013\u2015-\u3001\uff0c\uff1b\uff1a\u060c\u061b\u1363\u1364\u055d"
)


_FUNCTION_WORDS = {
    "en": "a an the of to in on at by for and or but is are with from as it its our we us",
    "ru": "и в во на с со к ко по за из от до о об у не ни а но же ли для все всем",
    "uk": "і й в у на з із зі до від за по о про не ні а але та для всім",
    "be": "і й у ў на з са да ад за па аб не ні а але для",
    "es": "el la los las un una de del a al y e o u en por para con sin que su sus",
    "pt": "o a os as um uma de do da dos das em no na e ou por para com sem que",
    "fr": "le la les l un une de des du d à au aux et ou en pour par avec sans que",
    "de": "der die das den dem des ein eine und oder in im an am auf für mit von zu zum zur",
    "it": "il lo la i gli le un una di del della a al e o in per con",
    "pl": "i w we z ze na do o od za po a ale nie dla",
    "cs": "a i v ve z ze na do o od za po k s ale ne pro",
    "id": "dan di ke dari yang untuk dengan",
    "ms": "dan di ke dari yang untuk dengan",
    "fil": "ang ng mga sa at ay si ni",  # Tagalog (tl) is Filipino here
    "tpi": "ol i long bilong na o",
    "th": "การ ความ ทุก ผู้ ที่ และ ของ ใน ให้ กับ",
    "tr": "ve ile bir bu için",
    "vi": "cho và của các những là với trong ở để",
    "he": "את של על אל עם או גם",
    "ar": "في من إلى على عن مع و",
    "fa": "و به از در با برای را که همهٔ همه",
}
FUNCTION_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}


@dataclass(frozen=True)
class Opportunity:
    """A stretch of text a line may not split, and the break after it.

    `penalty` is what ending a line after it costs; `hyphen`: a line ending here gets a
    hyphen; `sentence`: a sentence (or a typed line) ends here.
    """

    start: int
    end: int
    hard: bool
    penalty: float
    sentence: bool = False
    hyphen: bool = False
    weak: bool = False


def table(text: str, lang: Language, hyphenate: bool = False) -> list[Opportunity]:
    """The opportunities of `text` in reading order; the last one ends the text."""
    segs = _glue_symbols(_glue_dashes(segments(text, lang.tag)))
    if lang.code in _BOUND_ONE_LETTER:
        segs = _bind_one_letter_words(text, segs)
    ends = _sentence_ends(text)
    good = _good_breaks(text, lang)
    words = frozenset(s.end for s in segs)  # dictionary words in Thai, Lao, Khmer, Burmese
    out: list[Opportunity] = []
    for seg in segs:
        sentence = seg.hard or seg.end in ends
        # Each word of the segment ("и прекратить", "ПОЛИТЗАКЛЮЧЁННЫМ ✊") on its own.
        cuts = [
            (word.start() + cut, penalty)
            for word in re.finditer(r"\S+", text[seg.start : seg.end])
            for cut, penalty in (_hyphenation(word.group(), lang) if hyphenate else [])
        ]
        start = seg.start
        for cut, penalty in cuts:
            out.append(Opportunity(start, seg.start + cut, False, penalty, hyphen=True))
            start = seg.start + cut
        penalty = _penalty(text, seg, sentence, good, words, lang)
        weak = _weak(text[start : seg.end], lang)
        if weak and not sentence:
            penalty += AFTER_FUNCTION_WORD
        out.append(Opportunity(start, seg.end, seg.hard, penalty, sentence, weak=weak))
    if out:
        out[-1] = replace(out[-1], penalty=0.0, sentence=True)
    return out


def _penalty(
    text: str, seg: Segment, sentence: bool, good, words: frozenset[int], lang: Language
) -> float:
    if seg.hard:
        return MANDATORY
    if sentence:
        return SENTENCE
    core = text[seg.start : seg.end].rstrip()
    if core and (core[-1] in _CLAUSE_MARKS or unicodedata.category(core[-1]) == "Pd"):
        # A hyphen inside a word ("anti-war") is no pause; a spaced dash or a comma is.
        return CLAUSE if seg.end > seg.start + len(core) or core[-1] not in "-\u2010" else OTHER
    if good is not None:
        cjk = lang.code in _CJK
        short = _next_to_short_word(text, seg.end, good if cjk else words, lang)
        if not cjk:
            # Thai, Lao, Khmer, Burmese wrap between words like other scripts at spaces; a
            # space there ends a phrase, a pause like a comma. A one-syllable word (การ, คน)
            # leans on its neighbour.
            if text[seg.end - 1].isspace():
                return CLAUSE
            return INSIDE_PHRASE if short else SPACE
        if seg.end not in good:
            return INSIDE_WORD  # inside a Chinese word or a Japanese phrase (釈放|せよ)
        if short and not text[seg.end - 1].isspace():
            return INSIDE_PHRASE
        return SPACE
    if seg.end > seg.start + len(core):  # a space follows
        if lang.code == "vi" and _inside_vietnamese_word(text, seg):
            return INSIDE_WORD
        return SPACE
    return OTHER


def _next_to_short_word(text: str, end: int, bounds: frozenset[int], lang: Language) -> bool:
    """Is the dictionary word before or after `end` a syllable alone (犯 in 政治|犯, การ in
    การ|ทรมาน, คน in ทุก|คน)? Such words lean on their neighbour like suffixes and prefixes."""
    ordered = _sorted(bounds, len(text))
    k = bisect.bisect_left(ordered, end)
    before, after = text[ordered[k - 1] : end], text[end : ordered[min(k + 1, len(ordered) - 1)]]
    # One character in CJK; in Burmese and Khmer one consonant with its marks (ရေး). Thai
    # and Lao words are mostly one syllable: there only the function words lean (การ, ทุก).
    if lang.script in ("Thai", "Laoo"):
        return before.strip() in FUNCTION_WORDS.get(lang.code, ())
    return any(0 < _letters(w) <= 1 for w in (before, after))


@lru_cache(maxsize=8)
def _sorted(bounds: frozenset[int], length: int) -> list[int]:
    return sorted(bounds | {0, length})


def _letters(word: str) -> int:
    return sum(unicodedata.category(ch).startswith("L") for ch in word)


def _weak(word: str, lang: Language) -> bool:
    """A function word, or nothing but symbols and punctuation (Ⓐ, ///, ★)."""
    core = word.strip().strip(".,!?;:—–-\"'«»“”„()¡¿").lower()
    if not any(ch.isalnum() for ch in core):
        return True
    return all(w in FUNCTION_WORDS.get(lang.code, ()) for w in core.split())


def _sentence_ends(text: str) -> frozenset[int]:
    """Offsets where ICU's sentence breaker ends a sentence (after its trailing spaces)."""
    if not text:
        return frozenset()
    iterator = cached_iterator("sentence", "root", icu.BreakIterator.createSentenceInstance)
    iterator.setText(icu.UnicodeString(text))
    to_python = utf16_to_python(text)
    ends = set()
    for b in iterator:
        end = to_python(b)
        # ICU also ends a "sentence" at a newline; a sentence needs its closing mark.
        core = text[:end].rstrip()
        if core and unicodedata.category(core[-1]) in ("Po", "Pf", "Pe") and not _clause(core):
            ends.add(end)
    return frozenset(ends)


def _clause(core: str) -> bool:
    return core[-1] in _CLAUSE_MARKS


# Chinese words of banners that ICU's dictionary splits (牢|笼, 良心|犯, 集中|营): each is
# kept whole like the words ICU knows (its traditional forms ICU has, but 良心犯 and 維權).
_CHINESE_WORDS = re.compile("牢笼|牢狱|冤狱|铁窗|镣铐|刑讯|劳改|集中营|良心犯|维权|維權")


def _good_breaks(text: str, lang: Language) -> frozenset[int] | None:
    """Offsets where a break reads well in scripts written without spaces between words.

    Chinese: ICU's dictionary words (酷|刑 splits a word). Japanese: ICU's phrases (bunsetsu,
    lw=phrase). Thai, Lao, Khmer, Burmese: the spaces between phrases. None elsewhere.
    """
    if lang.script in _PHRASE_SPACED_SCRIPTS:
        return frozenset(i for i in range(1, len(text) + 1) if text[i - 1].isspace())
    if lang.code == "ja":
        iterator = cached_iterator("line", "ja@lw=phrase", icu.BreakIterator.createLineInstance)
    elif lang.code in _CJK:
        iterator = cached_iterator("word", lang.code, icu.BreakIterator.createWordInstance)
    else:
        return None
    iterator.setText(icu.UnicodeString(text))
    to_python = utf16_to_python(text)
    good = {to_python(b) for b in iterator}
    good.update(i for i in range(1, len(text) + 1) if text[i - 1].isspace())
    if lang.code != "ja":
        for word in _CHINESE_WORDS.finditer(text):
            good.difference_update(range(word.start() + 1, word.end()))
    return frozenset(good)


DASHES = {"\u2014", "\u2013", "-", "\u2015"}


def _glue_dashes(segs: list[Segment]) -> list[Segment]:
    """Keep a spaced dash at the end of its line: "АНАРХИСТАМ —", never "— ОГОНЬ"."""
    out: list[Segment] = []
    for seg in segs:
        if out and not out[-1].hard and seg.text.strip() in DASHES:
            prev = out.pop()
            seg = Segment(prev.text + seg.text, prev.start, seg.end, seg.hard)
        out.append(seg)
    return out


def _glue_symbols(segs: list[Segment]) -> list[Segment]:
    """A symbol opening or closing a typed line (✊, ★, Ⓐ) stays with the word beside it:
    alone on a line it would be a stray."""
    out: list[Segment] = []
    opens_line, glue_next = True, False
    for k, seg in enumerate(segs):
        closes_line = seg.hard or k == len(segs) - 1
        if out and (glue_next or (closes_line and not out[-1].hard and _symbols(seg.text))):
            prev = out.pop()
            seg = Segment(prev.text + seg.text, prev.start, seg.end, seg.hard)
        glue_next = opens_line and not seg.hard and _symbols(seg.text)
        opens_line = seg.hard
        out.append(seg)
    return out


def _symbols(word: str) -> bool:
    return bool(word.strip()) and not any(ch.isalnum() for ch in word)


def _bind_one_letter_words(text: str, segs: list[Segment]) -> list[Segment]:
    """A one-letter word ("и", "в", "z", "w") never ends a line: it joins the next word."""
    out: list[Segment] = []
    for seg in segs:
        if out and not out[-1].hard and _one_letter(out[-1].text):
            prev = out.pop()
            seg = Segment(text[prev.start : seg.end], prev.start, seg.end, seg.hard)
        out.append(seg)
    return out


def _one_letter(segment: str) -> bool:
    """Does the segment end with a one-letter word and a space ("… и ")?"""
    words = segment.split()
    if not words or not segment[-1:].isspace():
        return False
    core = words[-1].lstrip("«„“\"'([")
    return len(core) == 1 and core.isalpha()


def _hyphenation(word: str, lang: Language) -> list[tuple[int, float]]:
    """Where a long word may take a hyphen: compound joins first, else one point near its
    middle. Offsets into `word`, each with its penalty."""
    from .hyphenate import hyphenation_cuts

    return hyphenation_cuts(word, lang)


# Vietnamese writes a space between syllables, also inside a word: "tù nhân" (prisoner) is
# one word. A break inside such a word reads like a break inside any other word.
def _inside_vietnamese_word(text: str, seg: Segment) -> bool:
    from .vietnamese import WORDS

    before = text[seg.start : seg.end].strip().lower().strip(".,!?;:\"'«»“”")
    after = text[seg.end :].split(maxsplit=1)
    if not after:
        return False
    after_word = after[0].lower().strip(".,!?;:\"'«»“”")
    return f"{before} {after_word}" in WORDS
