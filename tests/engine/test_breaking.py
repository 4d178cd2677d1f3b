"""A designer's line breaks, as TeX-style tables: (slogan, language, page) → the lines.

The hard rules hold on every page shape: typed line breaks are final; no line ends with a
one-letter word in Russian, Ukrainian, Belarusian, Polish, Czech or Slovak; a sentence's first
words never dangle at the end of the previous sentence's line. The soft rules (sentence ends
before clause punctuation before spaces, words kept whole in Chinese, Japanese, Vietnamese and
Thai, no orphan) are checked on slogans where a designer's choice is clear.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

import pytest

from poster_app.layout import Spec, plan
from poster_app.layout.opportunities import _sentence_ends
from poster_app.layout.vietnamese import WORDS as VIETNAMESE_WORDS

PAGES = ["a4", "a4-landscape", "300x100cm", "1080x1080px", "a6"]
STYLES = ["fill", "stack"]


@cache
def lines_of(text: str, lang: str, page: str, style: str = "fill") -> tuple[str, ...]:
    size, orientation = (page[:-10], "landscape") if page.endswith("-landscape") else (page, None)
    layout = plan(Spec(text=text, lang=lang, size=size, orientation=orientation, style=style))
    return tuple(line.text for line in layout.lines)


# --- the lines a designer sets -------------------------------------------------------------------

FTP = (
    "Fight The Patriots!\nFlog Torturing Police!\nFlay the Prosecutor!\n"
    "Flames to Penitentiaries!\nFree the Prisoners!"
)


@pytest.mark.parametrize(
    ("text", "lang", "page", "expected"),
    [
        # Typed lines are the person's own: never broken again, never joined.
        (
            "FREE THEM ALL\nSTOP THE TORTURE",
            "en",
            "300x100cm",
            ("FREE THEM ALL", "STOP THE TORTURE"),
        ),
        ("FREE THEM ALL\nSTOP THE TORTURE", "en", "a4", ("FREE THEM ALL", "STOP THE TORTURE")),
        ("NO JUSTICE\nNO PEACE", "en", "1080x1080px", ("NO JUSTICE", "NO PEACE")),
        (FTP, "en", "300x100cm", tuple(FTP.split("\n"))),
        # Untyped, the FTP banner still gets one "!" sentence per line on the cloth.
        (FTP.replace("\n", " "), "en", "300x100cm", tuple(FTP.split("\n"))),
        # Chinese words whole: 释放 (release) / 政治犯 (political prisoners).
        ("释放政治犯", "zh-Hans", "a4", ("释放", "政治犯")),
        # 牢笼 (cage) whole, though ICU's dictionary splits it (was 拆除 / 牢 / 笼！).
        ("拆除牢笼！", "zh-Hans", "a4", ("拆除", "牢笼！")),
        # On a tall page, a clause a line or two rather than wide lines and an empty page:
        # five lines at letters as large as four clause lines (122 vs 120 pt), the page fuller.
        (
            "释放所有政治犯，停止酷刑，拆除牢笼！",
            "zh-Hans",
            "a4",
            ("释放所有", "政治犯，", "停止", "酷刑，", "拆除牢笼！"),
        ),
        (
            "釋放所有政治犯，停止酷刑，拆除牢籠！",
            "zh-Hant",
            "a4",
            ("釋放所有", "政治犯，", "停止", "酷刑，", "拆除牢籠！"),
        ),
        # 良心犯 (prisoner of conscience) whole: "良心犯！" is as wide as its ink, not its
        # full-width "！"'s em (was 釋放良 / 心犯！, the split paid for by the blank em).
        ("還我自由，釋放良心犯！", "zh-Hant", "a4", ("還我", "自由，", "釋放", "良心犯！")),
        # Japanese phrases (bunsetsu) whole.
        (
            "すべての政治犯を釈放せよ！拷問をやめろ！",
            "ja",
            "a4",
            ("すべての", "政治犯を", "釈放せよ！", "拷問を", "やめろ！"),
        ),
        # A one-letter word is bound to the next word.
        ("Свобода у нас и у вас", "ru", "a4", ("Свобода", "у нас", "и у вас")),
        # A clause ends at its comma, not mid-clause.
        (
            "Hentikan penyeksaan, bebaskan tahanan politik!",
            "ms",
            "300x100cm",
            ("Hentikan penyeksaan,", "bebaskan tahanan politik!"),
        ),
    ],
)
def test_a_designers_lines(text, lang, page, expected):
    assert lines_of(text, lang, page) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Свабоду ўсім палітвязням! Жыве Беларусь!",
            "be",
            ("Свабоду ўсім", "палітвязням!", "Жыве", "Беларусь!"),
        ),
        ("زن، زندگی، آزادی", "fa", ("زن،", "زندگی،", "آزادی")),
        # "No" opening a sentence heads its line as "NO / WAR" does: not a function word.
        (
            "Свободу політв’язням! Ні тортурам!",
            "uk",
            ("Свободу", "політв’язням!", "Ні", "тортурам!"),
        ),
        ("Nie wojnie!", "pl", ("Nie", "wojnie!")),
        # German: "Freiheit / für alle!", not a strip across the page.
        (
            "Abschiebehaftanstalten abschaffen – Freiheit für alle!",
            "de",
            ("Abschiebehaftanstalten", "abschaffen –", "Freiheit", "für alle!"),
        ),
        # … but never with an article alone as the largest line (Greek "στους").
        (
            "Ελευθερία στους πολιτικούς κρατούμενους!",
            "el",
            ("Ελευθερία στους", "πολιτικούς", "κρατούμενους!"),
        ),
    ],
)
def test_a_stack_fills_a_tall_page(text, lang, expected):
    """A stack on a portrait page takes more lines rather than leave most of it empty."""
    assert lines_of(text, lang, "a4", "stack") == expected


def test_a_stack_of_capitals_and_symbols_fills_a_tall_page():
    """Four short lines rather than three, whatever the tracking of the capitals does to
    their widths (the narrowest three lines also fit where four would be)."""
    layout = plan(Spec(text="FCK FSB FREE Ⓐ /// NETWORK", size="a4", style="stack"))
    ink = layout.ink
    assert len(layout.lines) == 4, [line.text for line in layout.lines]
    assert ink.width * ink.height >= 0.6 * layout.page.width * layout.page.height


def test_a_typed_line_too_long_alone_is_broken_at_a_phrase_boundary():
    """A typed line that alone would be set under half the wrapped size may be broken, at a
    phrase boundary and never with a hyphen; the other typed lines stay whole."""
    text = (
        "Love, Rage and Solidarity from ‘Australia’ to the Russian Anarchists imprisoned "
        "in the Network case\nSTOP THE TORTURE!\nFCKFSB!"
    )
    lines = lines_of(text, "en", "a4")
    assert lines[-2:] == ("STOP THE TORTURE!", "FCKFSB!")
    assert len(lines) > 3
    assert not any(line.endswith("-") for line in lines)
    assert " ".join(lines[:-2]).split() == text.split("\n")[0].split()


# --- the hard rules, on every page and style -----------------------------------------------------

ONE_LETTER = [
    ("ru", "Свобода у нас и у вас"),
    ("ru", "Свободу узникам и прекратить пытки в тюрьмах"),
    ("ru", "Свободу всем фигурантам дела «Сети» и к ним в тюрьмы с письмами"),
    ("uk", "Воля в Україні і у світі, а з нею й правда"),
    ("be", "Свабода ў Беларусі і ў свеце, а з ёй і праўда"),
    ("pl", "Solidarność z więźniami i z ich rodzinami w Rosji"),
    ("cs", "Svoboda v Rusku a v Bělorusku i s námi"),
    ("sk", "Sloboda v Rusku a v Bielorusku i s nami"),
]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("lang", "text"), ONE_LETTER)
def test_no_line_ends_with_a_one_letter_word(lang, text, page, style):
    lines = lines_of(text, lang, page, style)
    assert " ".join(lines).split() == text.split()
    for line in lines[:-1]:
        last = line.split()[-1].lstrip("«„")
        assert not (len(last) == 1 and last.isalpha()), lines


SENTENCES = [
    ("en", "Free them all. Stop the torture! No more prisons, no more borders."),
    ("en", "Love, Rage and Solidarity to Russian Anarchists. STOP THE TORTURE! FCKFSB!"),
    ("en", "Fight The Patriots! Flog Torturing Police! Flay the Prosecutor! Free them all!"),
    ("ru", "Свободу анархистам! Огонь тюрьмам. Нет пыткам и войне!"),
    ("es", "¡Libertad para todos! ¡Basta de tortura! Ni una menos."),
    ("de", "Freiheit für alle Gefangenen! Schluss mit der Folter. Kein Mensch ist illegal!"),
]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("lang", "text"), SENTENCES)
def test_a_sentences_first_words_never_dangle(lang, text, page, style):
    """A line that holds a sentence end goes on to the end of a sentence."""
    lines = lines_of(text, lang, page, style)
    ends = _sentence_ends(text)
    position = 0
    for line in lines:
        start = text.index(line.rstrip("-"), position)
        end = start + len(line)
        inside = [e for e in ends if start < e < end]
        assert not inside or text[:end].rstrip()[-1] in ".!?", (line, lines)
        position = end


# --- soft rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_vietnamese_words_stay_whole(page):
    text = "Tự do cho tù nhân chính trị! Chấm dứt tra tấn!"
    lines = lines_of(text, "vi", page)
    for a, b in zip(lines, lines[1:], strict=False):
        pair = f"{a.split()[-1]} {b.split()[0]}".lower().strip("!")
        assert pair not in VIETNAMESE_WORDS, lines


@pytest.mark.parametrize("page", PAGES)
def test_thai_one_syllable_words_are_not_left_alone(page):
    lines = lines_of("ปล่อยเพื่อนเรา ปล่อยนักโทษการเมืองทุกคน หยุดการทรมาน", "th", page)
    assert not any(re.fullmatch("การ|คน|ทุก", line) for line in lines), lines
    assert not any(line.endswith("การ") for line in lines), lines


@pytest.mark.parametrize(
    ("text", "page"),
    [
        # A size-first fit left "now" alone on the last line of each of these.
        ("No borders, no nations, stop deportations now", "a4-landscape"),
        ("Stop the war on migrants and refugees now", "a4-landscape"),
        ("Stop the war on migrants and refugees now", "300x100cm"),
        ("We are the workers and we will not be silenced", "a4"),
    ],
)
def test_no_orphan_word_on_the_last_line(text, page):
    lines = lines_of(text, "en", page)
    assert all(len(line.split()) > 1 or len(line) > 3 for line in lines), lines


ARMENIAN = [
    "Ազատություն բանտարկյալներին",  # freedom to the prisoners
    "Ազատություն քաղաքական բանտարկյալներին",
    "Ոչ խոշտանգումներին",  # no to torture
    "Համերաշխություն",  # solidarity
    "Ազատություն բոլոր քաղբանտարկյալներին",  # freedom to all political prisoners
]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("text", ARMENIAN)
def test_armenian_slogans_fill_a_fifth_of_a_portrait_page(text, style):
    """Armenian words run long: hyphenated at their syllables (never a part under three
    letters, never two hyphenated lines in a row) they fill the page like other scripts."""
    layout = plan(Spec(text=text, lang="hy", size="a4", style=style))
    ink = layout.ink
    assert ink.width * ink.height >= 0.2 * layout.page.width * layout.page.height
    lines = [line.text for line in layout.lines]
    for line, after in itertools.pairwise(lines):
        if line.endswith("-"):
            head, tail = line.split()[-1][:-1], after.split()[0].rstrip("!")
            assert len(head) >= 3 and len(tail) >= 3, lines
            assert not after.endswith("-"), lines


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("拆除牢笼！", "牢笼"),  # cage: ICU's dictionary splits it 牢|笼
        ("释放良心犯！", "良心犯"),  # prisoner of conscience: 良心|犯
        ("关闭集中营！", "集中营"),  # concentration camp: 集中|营
        ("声援维权律师", "维权"),  # rights defence: 维|权
    ],
)
def test_chinese_words_icu_splits_cost_like_any_word(text, word):
    from poster_app.layout.languages import language
    from poster_app.layout.opportunities import INSIDE_WORD, SPACE, table

    ends = {text[: o.end]: o.penalty for o in table(text, language("zh-Hans"))}
    start = text.index(word)
    for k in range(start + 1, start + len(word)):
        assert ends[text[:k]] == INSIDE_WORD  # inside the word: as inside any word
    assert ends[text[:start]] <= SPACE  # before it: a plain word boundary


def test_a_full_width_stop_ending_a_line_counts_by_its_ink():
    """A full-width comma or "！" inks part of its em: at a line's end the rest of the
    em is blank page, so the line is measured to its ink. "撐住， / 釋放 / 全部 / 抗爭者！"
    ("Hold on, release all protesters!") was no narrower than "釋放全部" by the ems, so it
    was set in three lines at 134 pt filling 47 % of the page."""
    from poster_app.layout.fit import Block
    from poster_app.layout.fonts import chain
    from poster_app.layout.languages import language
    from poster_app.layout.measure import REF
    from poster_app.layout.partition import Budget

    text, lang = "撐住，釋放全部抗爭者！", "zh-HK"
    units = Block(text, language(lang)).measured(chain("sans", "Hani", lang), Budget()).units
    comma = next(u for u in units if text[u.start : u.end] == "住，")
    assert comma.end_width < comma.width - 0.3 * REF  # a third of the em is blank
    layout = plan(Spec(text=text, lang=lang, size="a4"))
    assert tuple(line.text for line in layout.lines) == ("撐住，", "釋放", "全部", "抗爭者！")
    page = layout.page
    assert layout.ink.width * layout.ink.height / (page.width * page.height) > 0.65
    assert layout.lines[0].size > 145  # larger letters, not only a fuller page
