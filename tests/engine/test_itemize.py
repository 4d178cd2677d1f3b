"""Font runs: every character in a face that really has it, clusters kept whole."""

import itertools
import time
import unicodedata
from functools import cache

import pytest
from fontTools.ttLib import TTFont

from poster_app.layout.corpus import CORPUS
from poster_app.layout.fonts import chain
from poster_app.layout.itemize import FontRun, MissingGlyphs, itemize, missing_chars
from poster_app.layout.languages import language

FAMILIES = ["sans", "condensed", "serif"]
ZWJ, ZWNJ = "\u200d", "\u200c"


@cache
def real_cmap(face):
    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap())


def slogan_chain(lang, family="sans"):
    return chain(family, language(lang).script, lang)


def shaper_ignorable(char):
    """Controls, format characters and variation selectors: shaped without a glyph."""
    cp = ord(char)
    return (
        unicodedata.category(char) in ("Cc", "Cf")
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
    )


def pieces(text, runs):
    return [(text[r.start : r.end], r.face.key) for r in runs]


def assert_contiguous(text, runs):
    assert runs[0].start == 0 and runs[-1].end == len(text)
    for before, after in itertools.pairwise(runs):
        assert before.end == after.start and before.face != after.face


def run_at(runs, i):
    return next(r for r in runs if r.start <= i < r.end)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("slogan_id", CORPUS)
def test_corpus_slogan_is_covered_by_real_glyphs(slogan_id, family):
    lang, text = CORPUS[slogan_id]
    faces = slogan_chain(lang, family)
    assert missing_chars(text, faces) == []
    runs = itemize(text, faces)
    assert_contiguous(text, runs)
    for run in runs:
        lacking = [
            f"U+{ord(c):04X}"
            for c in text[run.start : run.end]
            if not shaper_ignorable(c) and ord(c) not in real_cmap(run.face)
        ]
        assert not lacking, f"{run.face.key} lacks {lacking}"
    for i, char in enumerate(text):
        if unicodedata.category(char) in ("Mn", "Mc", "Me") or char in (ZWJ, ZWNJ):
            assert run_at(runs, i) == run_at(runs, i - 1), f"mark at {i} split from its base"
        if char in (ZWJ, ZWNJ) and i + 1 < len(text):
            assert run_at(runs, i + 1) == run_at(runs, i), f"joiner at {i} split from the next"


@pytest.mark.parametrize(
    ("slogan_id", "main_face"),
    [
        ("en", "NotoSans-Black.ttf"),
        ("ru-demo", "NotoSans-Black.ttf"),
        ("vi", "NotoSans-Black.ttf"),
        ("ar-vocalised", "NotoSansArabic-Black.ttf"),
        ("fa", "NotoSansArabic-Black.ttf"),
        ("si", "NotoSansSinhala-Black.ttf"),
        ("th", "NotoSansThai-Black.ttf"),
        ("my", "NotoSansMyanmar-Black.ttf"),
        ("km", "NotoSansKhmer-Black.ttf"),
        ("zh-Hans", "NotoSansCJK-Black.ttc#2"),
        ("zh-Hant", "NotoSansCJK-Black.ttc#3"),
        ("ja", "NotoSansCJK-Black.ttc"),
        ("ko", "NotoSansCJK-Black.ttc#1"),
    ],
)
def test_slogan_in_one_script_is_one_run(slogan_id, main_face):
    lang, text = CORPUS[slogan_id]
    assert pieces(text, itemize(text, slogan_chain(lang))) == [(text, main_face)]


@pytest.mark.parametrize(
    ("lang", "family", "text", "expected"),
    [
        (
            "ar",
            "sans",
            "(2020) الحرية للسجناء",
            [
                ("(2020) ", "NotoSans-Black.ttf"),
                ("الحرية للسجناء", "NotoSansArabic-Black.ttf"),
            ],
        ),
        (
            "ar",
            "sans",
            "الحرية؟ (نعم)",
            [
                ("الحرية؟ ", "NotoSansArabic-Black.ttf"),
                ("(", "NotoSans-Black.ttf"),
                ("نعم", "NotoSansArabic-Black.ttf"),
                (")", "NotoSans-Black.ttf"),
            ],
        ),
        (
            "he",
            "sans",
            "די! 2024",
            [
                ("די", "NotoSansHebrew-Black.ttf"),
                ("! 2024", "NotoSans-Black.ttf"),
            ],
        ),
        (
            "he",
            "condensed",
            "די!",
            [
                ("די", "NotoSansHebrew-ExtraCondensedBlack.ttf"),
                ("!", "NotoSans-ExtraCondensedBlack.ttf"),
            ],
        ),
        (
            "en",
            "sans",
            "FCK FSB FREE Ⓐ /// NETWORK",
            [
                ("FCK FSB FREE ", "NotoSans-Black.ttf"),
                ("Ⓐ", "NotoSansSymbols-Black.ttf"),
                (" /// NETWORK", "NotoSans-Black.ttf"),
            ],
        ),
        (
            "en",
            "sans",
            "★ NO CAGES",
            [
                ("★", "NotoSansSymbols2-Regular.ttf"),
                (" NO CAGES", "NotoSans-Black.ttf"),
            ],
        ),
        ("en", "sans", "GO ⇒", [("GO ", "NotoSans-Black.ttf"), ("⇒", "NotoSansCJK-Black.ttc#2")]),
        (
            "zh-Hans",
            "sans",
            "释放 Network 囚犯!",
            [("释放 Network 囚犯!", "NotoSansCJK-Black.ttc#2")],
        ),
        (
            "ru",
            "sans",
            "Свобода 自由 Россия",
            [
                ("Свобода ", "NotoSans-Black.ttf"),
                ("自由 ", "NotoSansCJK-Black.ttc#2"),
                ("Россия", "NotoSans-Black.ttf"),
            ],
        ),
        (
            "th",
            "sans",
            "ปล่อย Навального",
            [
                ("ปล่อย ", "NotoSansThai-Black.ttf"),
                ("Навального", "NotoSans-Black.ttf"),
            ],
        ),
        ("ja", "sans", "自由", [("自由", "NotoSansCJK-Black.ttc")]),
        (
            "ur",
            "serif",
            "سیاسی قیدیوں کو رہا کرو",
            [
                ("سیاسی قیدیوں کو رہا کرو", "NotoNastaliqUrdu-Bold.ttf"),
            ],
        ),
        ("en", "serif", "NO CAGES\nNO BORDERS", [("NO CAGES\nNO BORDERS", "NotoSerif-Black.ttf")]),
        ("he", "sans", "חופש\nלכולם", [("חופש\nלכולם", "NotoSansHebrew-Black.ttf")]),
        ("en", "sans", "\n★", [("\n★", "NotoSansSymbols2-Regular.ttf")]),
        (
            "en",
            "sans",
            "★\ufe0f FREE",
            [
                ("★\ufe0f", "NotoSansSymbols2-Regular.ttf"),
                (" FREE", "NotoSans-Black.ttf"),
            ],
        ),
        ("en", "sans", "", []),
    ],
)
def test_runs(lang, family, text, expected):
    assert pieces(text, itemize(text, slogan_chain(lang, family))) == expected


def test_hebrew_digits_and_punctuation_fall_back_to_a_face_that_has_them():
    lang, text = CORPUS["mixed-he-punct"]
    runs = itemize(text, slogan_chain(lang))
    for i, char in enumerate(text):
        face = run_at(runs, i).face
        if char.isascii() and not char.isspace():
            assert face.file == "NotoSans-Black.ttf", (char, face.file)
        elif "\u05d0" <= char <= "\u05ea":
            assert face.file == "NotoSansHebrew-Black.ttf"


def test_sinhala_conjunct_with_zwj_is_one_face():
    text = "ශ්\u200dරී"
    assert pieces(text, itemize(text, slogan_chain("si"))) == [(text, "NotoSansSinhala-Black.ttf")]


@pytest.mark.parametrize(
    ("text", "chars", "message"),
    [
        (
            "\U00012000",
            ["\U00012000"],
            "no bundled font has U+12000 CUNEIFORM SIGN A; remove it from the slogan",
        ),
        (
            "FREE \U00012000 ✊ \U00012001 \U00012000",
            ["\U00012000", "\U00012001"],
            "no bundled font has U+12000 CUNEIFORM SIGN A, U+12001 CUNEIFORM SIGN A TIMES A; "
            "remove them from the slogan",
        ),
        (
            "A\U000e0000",
            ["\U000e0000"],
            "no bundled font has U+E0000 <unnamed>; remove it from the slogan",
        ),
    ],
)
def test_missing_glyphs_are_named(text, chars, message):
    faces = slogan_chain("en")
    with pytest.raises(MissingGlyphs) as excinfo:
        itemize(text, faces)
    assert isinstance(excinfo.value, ValueError)
    assert excinfo.value.chars == chars
    assert str(excinfo.value) == message
    assert missing_chars(text, faces) == chars


@pytest.mark.parametrize("text", ["A\tB", "A\u200bB", "A\r\nB", "A\u2028B", "A\u2060B", "\n"])
def test_whitespace_and_controls_are_never_missing(text):
    faces = slogan_chain("en")
    assert missing_chars(text, faces) == []
    assert_contiguous(text, itemize(text, faces))


def test_runs_are_frozen_values():
    run = itemize("FREE", slogan_chain("en"))[0]
    assert run == FontRun(0, 4, run.face)
    with pytest.raises(AttributeError):
        run.start = 1


def test_empty_chain_is_rejected():
    with pytest.raises(ValueError, match="empty"):
        itemize("FREE", ())


def test_two_hundred_characters_itemize_in_well_under_five_ms():
    text = "".join(slogan for _, slogan in CORPUS.values())[:200]
    faces = slogan_chain("ru")
    itemize(text, faces)
    best = min(_timed(lambda: itemize(text, faces)) for _ in range(20))
    assert best < 0.005


def _timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start
