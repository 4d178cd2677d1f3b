"""Bilingual and trilingual banners: each block in its own script and direction, the slogan
first and largest, every block inside the page, PNG and PDF in agreement."""

import io
import itertools

import pytest
from PIL import Image
from raster_helpers import dark_mask, mask_iou, pdf_raster

from poster_app.layout import Spec, SpecError, plan, render_pdf, render_png

CASES = {
    "ru+tpi": ("ru", "СВОБОДУ АНАРХИСТАМ — ОГОНЬ ТЮРЬМАМ!", (("tpi", "Fridom long ol anarkis!"),)),
    "en+ar+zh": (
        "en",
        "Free all political prisoners",
        (("ar", "الحرية للمعتقلين السياسيين"), ("zh-Hans", "释放所有政治犯")),
    ),
    "ar+en": ("ar", "الحرية للمعتقلين", (("en", "Freedom for the prisoners"),)),
    "si+ta": ("si", "දේශපාලන සිරකරුවන්ට නිදහස", (("ta", "அரசியல் கைதிகளை விடுதலை செய்!"),)),
}
PAGES = ["a4", "300x100cm", "1080x1080px"]


def layout_of(case, size="a4", style="fill"):
    lang, text, also = CASES[case]
    return plan(Spec(text=text, lang=lang, also=also, size=size, style=style))


def looks(lines) -> float:
    """How tall a block looks: the median height of its lines' ink above the baseline."""
    heights = sorted(line.runs[0].baseline - line.ink.y0 for line in lines)
    return heights[len(heights) // 2]


@pytest.mark.parametrize("size", PAGES)
@pytest.mark.parametrize("case", CASES)
def test_blocks_in_order_inside_the_box_the_slogan_largest(case, size):
    layout = layout_of(case, size)
    blocks = [[line for line in layout.lines if line.block == b] for b in range(3)]
    blocks = [b for b in blocks if b]
    assert len(blocks) == 1 + len(CASES[case][2])
    for upper, lower in itertools.pairwise(blocks):
        assert max(li.ink.y1 for li in upper) < min(li.ink.y0 for li in lower)
    # Matched by how big they look (the height of their ink), not by font size: a
    # translation never stands taller than the slogan.
    primary = looks(blocks[0])
    for block in blocks[1:]:
        assert looks(block) <= 0.85 * primary, [line.text for line in block]
    for line in layout.lines:
        assert layout.box.contains(line.ink, tolerance=0.5), (line.text, line.ink, layout.box)


@pytest.mark.parametrize("case", CASES)
def test_each_block_keeps_its_language_and_direction(case):
    lang, _, also = CASES[case]
    layout = layout_of(case)
    expected = [lang] + [tag for tag, _ in also]
    for line in layout.lines:
        tag = expected[line.block]
        assert {run.language for run in line.runs} == {tag}
        letters = [r for r in line.runs if any(ch.isalpha() for ch in r.text)]
        rtl = tag in ("ar", "he", "fa", "ur")
        assert all(r.direction == ("rtl" if rtl else "ltr") for r in letters), line.text


@pytest.mark.parametrize("case", CASES)
def test_png_and_pdf_agree(case, tmp_path):
    layout = layout_of(case, "a6")
    dpi = 150
    png = Image.open(io.BytesIO(render_png(layout, dpi=dpi)))
    raster = pdf_raster(render_pdf(layout), dpi, tmp_path, png.size)
    assert mask_iou(dark_mask(png), dark_mask(raster)) >= 0.9


@pytest.mark.parametrize(
    ("also", "message"),
    [
        ([("ru", "a"), ("es", "b"), ("fr", "c")], "at most 3 languages"),
        (["ru:"], "the slogan in 'ru' is empty"),
        (["xx-ZZ:hello"], "unknown language 'xx-ZZ'"),
        ([5], "each other language is 'LANG:TEXT'"),
        (["ru:a\u202eb"], "bidi override"),
    ],
)
def test_bad_translations_are_refused(also, message):
    with pytest.raises(SpecError, match=message) as err:
        Spec(text="Free them", also=also)
    assert err.value.field == "also"


def test_translations_take_every_form_and_round_trip():
    a = Spec(text="x", also=["ru:свобода", {"lang": "ar", "text": "حرية"}])
    assert a.also == (("ru", "свобода"), ("ar", "حرية"))
    assert Spec(**a.to_dict()) == a
