"""The PDF gives the slogan back exactly: to pdftotext, and in the tags screen readers read.

Before the text was marked (poster_app/layout/pdftext.py), pdftotext read each glyph's
ToUnicode: لا للتعذيب came out ال للتعذيب, Hindi vowel signs before their consonants, Khmer
and Burmese marks in drawing order. Whitespace is ignored (line breaks become newlines), and so
are the directional marks pdftotext adds around right-to-left text (U+202A–U+202C).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from poster_app.layout.corpus import CORPUS
from poster_app.layout.fit import plan
from poster_app.layout.pdf import render_pdf
from poster_app.layout.pdftext import block_text
from poster_app.layout.spec import Spec
from poster_app.layout.tiles import render_tiles

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")

# Slogans of our own, in the scripts whose PDF text used to come out wrong.
SLOGANS = {
    "ar": "لا للتعذيب، لا للسجون",
    "fa": "نه به اعدام",
    "he": "די לעינויים!",
    "hi": "यातना बंद करो",
    "bn": "নির্যাতন বন্ধ করো",
    "ta": "சித்திரவதையை நிறுத்து!",
    "si": "වධහිංසා නවත්වන්න!",
    "th": "ยกเลิกโทษประหารชีวิต",
    "km": "បញ្ឈប់ការធ្វើទារុណកម្ម",
    "my": "ညှဉ်းပန်းနှိပ်စက်မှု ရပ်တန့်ရေး",
}
SIZES = ("a4", "300x100cm", "1080x1080px")
# poppler 22.12 orders brackets around digits in right-to-left text its own way ("(2020"
# with the ")" apart); PDFium and MuPDF read these two back exactly.
BRACKETS_IN_RTL = "poppler puts brackets around digits in right-to-left text out of order"
KNOWN = {"mixed-ar-digits": BRACKETS_IN_RTL, "mixed-he-punct": BRACKETS_IN_RTL}
DIRECTION_MARKS = dict.fromkeys(range(0x202A, 0x202D))


def extracted(pdf: bytes, tmp_path, page: int = 1) -> str:
    """pdftotext's text of one page, without whitespace or its direction marks."""
    path = tmp_path / "banner.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return squeeze(out.translate(DIRECTION_MARKS))


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("style", ["fill", "stack"])
@pytest.mark.parametrize("lang", SLOGANS)
def test_pdftotext_gives_back_the_slogan(lang, style, size, tmp_path):
    text = SLOGANS[lang]
    layout = plan(Spec(text=text, lang=lang, style=style, size=size))
    assert extracted(render_pdf(layout), tmp_path) == squeeze(text)


def corpus_cases():
    for entry, (lang, text) in CORPUS.items():
        marks = [pytest.mark.xfail(reason=KNOWN[entry], strict=True)] if entry in KNOWN else []
        yield pytest.param(lang, text, marks=marks, id=entry)


@pytest.mark.parametrize(("lang", "text"), list(corpus_cases()))
def test_pdftotext_gives_back_every_corpus_slogan(lang, text, tmp_path):
    layout = plan(Spec(text=text, lang=lang, size="300x100cm"))
    assert extracted(render_pdf(layout), tmp_path) == squeeze(text)


def test_a_word_the_engine_hyphenated_is_found_whole(tmp_path):
    layout = plan(Spec(text="✊ СВОБОДУ ПОЛИТЗАКЛЮЧЁННЫМ ✊", lang="ru", size="a4"))
    assert "ПОЛИТЗА-" in [line.text for line in layout.lines], "hyphenated on A4"
    # The "-" stays on the page; poppler joins a word hyphenated at a line end itself.
    assert extracted(render_pdf(layout), tmp_path) == squeeze("✊ СВОБОДУ ПОЛИТЗАКЛЮЧЁННЫМ ✊")


def test_every_page_of_a_tiled_poster_is_tagged_with_the_slogan():
    text = SLOGANS["ar"]
    pdf = render_tiles(plan(Spec(text=text, lang="ar", size="a2")), "a4")
    pages = int(re.search(rb"/Count (\d+)", pdf).group(1))
    assert pages == 9  # the assembly map and 8 sheets, each showing part of the poster
    assert tags(pdf) == [("ar", text)] * pages


# The tags: one /P per block, with its language and its text in logical order.


def pdf_string(raw: bytes) -> str:
    """Decode a PDF string as fpdf2 writes it: (literal) or <FEFF…> hex UTF-16BE."""
    if raw.startswith(b"<"):
        return bytes.fromhex(raw[1:-1].decode()).decode("utf-16-be").removeprefix("\ufeff")
    return re.sub(rb"\\(.)", rb"\1", raw[1:-1]).decode("latin-1")


def tags(pdf: bytes) -> list[tuple[str, str]]:
    """(/Lang, /ActualText) of every /P structure element, in document order."""
    out = []
    for obj in pdf.split(b"endobj"):
        if b"/Type /StructElem" not in obj or b"/S /P\n" not in obj:
            continue
        text = re.search(rb"/ActualText (\(.*?(?<!\\)\)|<[0-9A-Fa-f]+>)", obj, re.S).group(1)
        lang = re.search(rb"/Lang (\(.*?\))", obj).group(1)
        out.append((pdf_string(lang), pdf_string(text)))
    return out


def test_the_pdf_is_tagged_with_each_blocks_language_and_text():
    spec = Spec(
        text="Freedom for political prisoners",
        size="a3",
        also=(("ru", "Свободу политзаключённым"), ("ar", "لا للتعذيب")),
        signature="Colectivo 8M (Colombo)",
    )
    pdf = render_pdf(plan(spec))
    assert b"/MarkInfo <</Marked true>>" in pdf
    assert b"/StructTreeRoot" in pdf
    assert tags(pdf) == [
        ("en", "Freedom for political prisoners"),
        ("ru", "Свободу политзаключённым"),
        ("ar", "لا للتعذيب"),
        ("en", "Colectivo 8M (Colombo)"),
    ]


@pytest.mark.parametrize("lang", SLOGANS)
def test_the_tags_hold_the_slogan_in_logical_order(lang):
    text = SLOGANS[lang]
    assert tags(render_pdf(plan(Spec(text=text, lang=lang, style="stack")))) == [(lang, text)]


@pytest.mark.parametrize(
    ("text", "lang", "size", "broken"),
    [
        ("✊ СВОБОДУ ПОЛИТЗАКЛЮЧЁННЫМ ✊", "ru", "a4", "ПОЛИТЗА-"),  # the engine's hyphen
        ("FREE THEM ALL\nSTOP THE TORTURE", "en", "300x100cm", "FREE THEM ALL"),  # typed
    ],
)
def test_the_tags_say_what_was_typed_whatever_the_line_breaks(text, lang, size, broken):
    layout = plan(Spec(text=text, lang=lang, size=size))
    assert broken in [line.text for line in layout.lines]
    assert tags(render_pdf(layout)) == [(lang, text)]


def test_a_hand_made_layout_is_tagged_with_its_lines():
    layout = plan(Spec(text="Free them all", style="stack"))
    bare = replace(layout, texts=())
    assert block_text(bare, 0, bare.lines) == " ".join(line.text for line in layout.lines)
    assert tags(render_pdf(bare)) == [("en", "Free them all")]
