"""Details a designer checks: punctuation hanging past centred lines, optional typographic
punctuation per language, the chosen type family kept, capitals tracked."""

from __future__ import annotations

import io
import json
import subprocess

import pytest
from PIL import Image
from raster_helpers import dark_mask, mask_iou, pdf_raster

from poster_app.cli import main
from poster_app.layout import Spec, SpecError, plan
from poster_app.layout.languages import language
from poster_app.layout.measure import REF, advance
from poster_app.layout.pdf import render_pdf
from poster_app.layout.png import render_png
from poster_app.layout.punctuation import smarten
from poster_app.layout.units import TRACKING


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("ru", '"Сеть" - это сфабрикованное дело', "«Сеть» — это сфабрикованное дело"),
        ("uk", "Свободу політв'язням!", "Свободу політвʼязням!"),
        ("be", "Вызваленне палітвʼязняў...", "Вызваленне палітвʼязняў…"),
        ("de", '"Kein Mensch ist illegal" - niemals', "„Kein Mensch ist illegal“ – niemals"),
        ("pl", '"Solidarność" z więźniami', "„Solidarność” z więźniami"),
        ("en", 'Don\'t stop "now"', "Don’t stop “now”"),
        ("fr", 'Liberté pour "tous" !', "Liberté pour «\u202ftous\u202f»\u202f!"),
        ("zh-Hant", '"自由"', "「自由」"),
        ("en", 'an "odd quote', 'an "odd quote'),  # unpaired: left as typed
    ],
)
def test_smart_punctuation_per_language(lang, typed, expected):
    assert smarten(typed, language(lang)) == expected


def test_smart_punctuation_is_off_by_default_and_on_when_asked():
    typed = '"Сеть" - дело'
    plain = plan(Spec(text=typed, lang="ru"))
    assert "".join(line.text for line in plain.lines).replace(" ", "") == typed.replace(" ", "")
    smart = plan(Spec(text=typed, lang="ru", smart_punctuation=True))
    assert "«Сеть»" in " ".join(line.text for line in smart.lines)
    assert Spec.from_options({"text": typed, "smart_punctuation": True}).smart_punctuation
    with pytest.raises(SpecError) as err:
        Spec(text=typed, smart_punctuation="yes")
    assert err.value.field == "smart_punctuation"


def test_smart_punctuation_on_the_command_line(capsys):
    assert main(["render", "Don't stop", "--smart-punctuation", "--json"]) == 0
    layout = json.loads(capsys.readouterr().out)
    assert "Don’t" in " ".join(line["text"] for line in layout["lines"])


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("FREEDOM\nNOW!", "en"),
        ("СВОБОДУ АНАРХИСТАМ — ОГОНЬ ТЮРЬМАМ!", "ru"),
        ("NO BORDERS\nNO NATIONS\nNO DEPORTATIONS!\nNO PRISONS!", "en"),
        ("释放所有政治犯，停止酷刑，拆除牢笼！", "zh-Hans"),
    ],
)
def test_line_end_punctuation_hangs_past_the_centred_words(text, lang):
    layout = plan(Spec(text=text, lang=lang))
    box = layout.box
    widest = max(li.ink.width for li in layout.lines)
    line = next(li for li in layout.lines if li.text[-1] in "!,，！" and li.ink.width < widest)
    left, right = line.ink.x0 - box.x0, box.x1 - line.ink.x1
    assert left > right + 1, (line.text, left, right)
    assert box.contains(line.ink, tolerance=0.01)


@pytest.mark.parametrize("lang", ["ru", "el", "hi", "ta", "si", "ms"])
def test_the_serif_family_is_kept(lang):
    """Condensed only within the family: Noto Serif's own narrower width, never sans."""
    text = {
        "ru": "Свободу всем политзаключённым!",
        "el": "Ελευθερία στους πολιτικούς κρατούμενους!",
        "hi": "सभी राजनीतिक बंदियों को रिहा करो",
        "ta": "அனைத்து அரசியல் கைதிகளையும் விடுதலை செய்!",
        "si": "දේශපාලන සිරකරුවන්ට නිදහස",
        "ms": "Hentikan penyeksaan, bebaskan tahanan politik!",
    }[lang]
    layout = plan(Spec(text=text, lang=lang, family="serif"))
    fonts = {run.font for line in layout.lines for run in line.runs if run.text.strip()}
    assert all(font.startswith("NotoSerif") for font in fonts), fonts


CAPITALS = [
    ("en", "FREE THEM ALL\nSTOP THE TORTURE", "300x100cm"),
    ("ru", "СВОБОДУ АНАРХИСТАМ — ОГОНЬ ТЮРЬМАМ!", "a4"),
    ("el", "ΕΛΕΥΘΕΡΙΑ ΣΤΟΥΣ ΠΟΛΙΤΙΚΟΥΣ ΚΡΑΤΟΥΜΕΝΟΥΣ", "1080x1080px"),
]


@pytest.mark.parametrize(("lang", "text", "size"), CAPITALS)
def test_capitals_are_tracked_slightly(lang, text, size):
    """A word in capitals is drawn letter by letter, each TRACKING em further than the
    shaper (kerning included) would put it; a word in lower case is one run."""
    layout = plan(Spec(text=text, lang=lang, size=size))
    for line in layout.lines:
        assert "".join(run.text for run in line.runs) == line.text
        word = line.text.split()[0].rstrip("!")
        at = {}  # offset in the line of each run's first character
        offset = 0
        for run in line.runs:
            at[offset] = run
            offset += len(run.text)
        first, last = at[0], at[len(word) - 1]
        shaped = advance(first.font, first.index, word[:-1], "ltr", lang) * line.size / REF
        expected = shaped + (len(word) - 1) * TRACKING * line.size
        assert last.x - first.x == pytest.approx(expected, rel=0.01), line.text
    lower = plan(Spec(text=text.lower(), lang=lang, size=size))
    assert all(len(run.text) > 1 for line in lower.lines for run in line.runs)


@pytest.mark.parametrize(("lang", "text", "size"), CAPITALS)
def test_tracked_capitals_are_the_same_in_png_and_pdf(lang, text, size, tmp_path):
    layout = plan(Spec(text=text, lang=lang, size=size))
    dpi = round(72 * 1500 / layout.page.width)  # 1500 px wide
    png = Image.open(io.BytesIO(render_png(layout, dpi=dpi))).convert("RGB")
    pdf = render_pdf(layout)
    assert mask_iou(dark_mask(png), dark_mask(pdf_raster(pdf, dpi, tmp_path, png.size))) >= 0.9
    (tmp_path / "t.pdf").write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True)
    assert out.stdout.decode().split() == text.split()
