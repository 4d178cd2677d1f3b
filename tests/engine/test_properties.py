"""Property tests (hypothesis) on the engine: any text of supported characters lays out with its
ink inside the page and the box; any spec, valid or not, gives a Layout or a ValueError that says
what is wrong — never another exception."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from poster_app.layout.corpus import CORPUS
from poster_app.layout.fit import plan
from poster_app.layout.itemize import MissingGlyphs
from poster_app.layout.spec import Spec, SpecError

FAST = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
PAGE = "100x70mm"  # small: the layout is the same at any scale, and faster to plan
TOLERANCE = 1.0  # pt


def alphabet(slogan: str) -> str:
    """The corpus entry's own characters, with spaces, digits, punctuation and newlines."""
    return "".join(sorted(set(slogan) | set(" \n" + string.digits + ".,!?-()")))


# Scripts that bring something of their own: shaping, dictionary breaks, RTL, no spaces, CJK.
ENTRIES = [
    "ru",
    "el",
    "vi",
    "ar-vocalised",
    "fa",
    "ur",
    "he",
    "hi",
    "si",
    "th",
    "my",
    "km",
    "ka",
    "am",
    "zh-Hans",
    "ja",
    "ko",
    "mixed-symbols",
]


def slogans(entry: str):
    return st.text(alphabet=alphabet(CORPUS[entry][1]), min_size=1, max_size=60)


def inside(inner, outer, slack: float) -> bool:
    return (
        inner.x0 >= outer.x0 - slack
        and inner.y0 >= outer.y0 - slack
        and inner.x1 <= outer.x1 + slack
        and inner.y1 <= outer.y1 + slack
    )


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("style", ["fill", "stack"])
def test_any_text_of_supported_characters_fits_inside(entry, style):
    lang = CORPUS[entry][0]

    @FAST
    @given(text=slogans(entry))
    def check(text):
        try:
            spec = Spec(text=text, lang=lang, size=PAGE, style=style)
        except SpecError as e:  # only spaces and joiners (ZWJ, ZWNJ): nothing to draw
            assert "slogan is empty" in str(e)
            assume(False)
        layout = plan(spec)
        page = layout.page
        assert inside(layout.ink, type(layout.box)(0, 0, page.width, page.height), 0), text
        assert inside(layout.ink, layout.box, TOLERANCE), (text, layout.ink, layout.box)
        assert all(line.size > 0 for line in layout.lines)

    check()


# Values people (and scripts) send: valid ones, near misses and junk of every type.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
)
SIZES = st.one_of(
    st.sampled_from(
        [
            "a4",
            "a6",
            "letter",
            "banner-300x100cm",
            "1080x1080px",
            "a11",
            "",
            "0x0cm",
            "-5x5cm",
            "10000x100cm",
            "90x50mm",
            "3x2in",
            "120x40px",
            "2x2cm",
            "19x19mm",
        ]
    ),
    st.builds(
        lambda w, h, u: f"{w}x{h}{u}",
        st.floats(0, 6000, allow_nan=False),
        st.floats(0, 6000, allow_nan=False),
        st.sampled_from(["mm", "cm", "in", "px", "m", ""]),
    ),
    JUNK,
)
SPECS = st.fixed_dictionaries(
    {
        "text": st.one_of(
            st.sampled_from(["Free them all", "Свободу", "自由", "حرية", " ", "a\u202eb"]),
            st.text(max_size=20),
            JUNK,
        ),
    },
    optional={
        "lang": st.one_of(
            st.sampled_from(["en", "ru", "ar", "zh-Hant", "sr-Latn", "xx", "", "EN"]), JUNK
        ),
        "size": SIZES,
        "orientation": st.one_of(st.sampled_from(["portrait", "landscape", "diagonal"]), JUNK),
        "style": st.one_of(st.sampled_from(["fill", "stack", "wavy"]), JUNK),
        "family": st.one_of(st.sampled_from(["sans", "condensed", "serif", "comic"]), JUNK),
        "fg": st.one_of(st.sampled_from(["#000", "#cc0000", "red", "#12", "blurple", ""]), JUNK),
        "bg": st.one_of(st.sampled_from(["#fff", "#ffffff", "white", "#gggggg"]), JUNK),
        "margin": st.one_of(st.floats(-1, 1), JUNK),
        "dpi": st.one_of(st.integers(0, 2000), st.floats(), JUNK),
        "signature": st.one_of(st.sampled_from(["", "— the network", "x" * 200]), JUNK),
    },
)


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(options=SPECS)
def test_any_spec_gives_a_layout_or_a_value_error_with_a_message(options):
    try:
        spec = Spec.from_options(options)
    except ValueError as e:
        assert str(e).strip(), options
        assert "Traceback" not in str(e)
        return
    if spec.page.width * spec.page.height > 400_000**2:
        return
    try:
        layout = plan(spec.replace(size="100x70mm") if spec.page.name.endswith("cm") else spec)
    except MissingGlyphs as e:  # a ValueError that names the characters
        assert e.chars and str(e)
        return
    assert layout.lines
