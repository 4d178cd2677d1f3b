"""Details a designer checks: punctuation hanging past centred lines, optional typographic
punctuation per language, the chosen type family kept."""

from __future__ import annotations

import json

import pytest

from poster_app.cli import main
from poster_app.layout import Spec, SpecError, plan
from poster_app.layout.languages import language
from poster_app.layout.punctuation import smarten


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
