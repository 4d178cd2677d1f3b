"""Spec and page sizes: every bad value gets a precise message naming its field."""

import pytest

from poster_app.layout.geometry import PT_PER_MM
from poster_app.layout.pages import parse_page
from poster_app.layout.spec import Spec, SpecError


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"text": ""}, "text", "the slogan is empty"),
        ({"text": "  \n "}, "text", "the slogan is empty"),
        ({"text": "x" * 501}, "text", "501 characters long; at most 500"),
        ({"text": "a\x00b"}, "text", "control character U+0000"),
        ({"text": "a\u202eb"}, "text", "bidi override characters"),
        ({"text": "a\u2067b"}, "text", "bidi override characters"),
        ({"text": 5}, "text", "text must be text (not int)"),
        ({"text": "a", "lang": "xx-ZZ"}, "lang", "unknown language 'xx-ZZ'"),
        ({"text": "a", "size": "a11"}, "size", "unknown page size 'a11'; expected one of a0"),
        ({"text": "a", "size": "0x10cm"}, "size", "too small"),
        ({"text": "a", "size": "10000x100cm"}, "size", "too large"),
        ({"text": "a", "size": "-3x10cm"}, "size", "unknown page size"),
        (
            {"text": "a", "orientation": "sideways"},
            "orientation",
            "expected 'portrait', 'landscape' (not 'sideways')",
        ),
        ({"text": "a", "style": "bold"}, "style", "expected 'fill', 'stack' (not 'bold')"),
        ({"text": "a", "family": "comic"}, "family", "(not 'comic')"),
        ({"text": "a", "fg": "#ggg"}, "fg", "fg must be a colour like '#cc0000'"),
        ({"text": "a", "bg": "blurple"}, "bg", "(not 'blurple')"),
        ({"text": "a", "dpi": 5}, "dpi", "dpi must be from 36 to 1200 (not 5)"),
        ({"text": "a", "dpi": "300"}, "dpi", "whole number"),
        ({"text": "a", "margin": 0.9}, "margin", "from 0 to 0.3"),
        ({"text": "a", "signature": "x\ny"}, "signature", "control character U+000A"),
    ],
)
def test_bad_values_name_their_field(options, field, message):
    with pytest.raises(SpecError) as err:
        Spec(**options)
    assert err.value.field == field
    assert message in str(err.value)


def test_from_options_rejects_unknown_and_missing_keys():
    with pytest.raises(SpecError, match="unknown option 'colour'"):
        Spec.from_options({"text": "a", "colour": "red"})
    with pytest.raises(SpecError, match="slogan is missing"):
        Spec.from_options({"lang": "ru"})


def test_values_are_normalised():
    spec = Spec(text="Свободу\r\nвсем", lang="zh_Hant", size=" A3 ", fg="#C00", bg="white")
    assert spec.text == "Свободу\nвсем"
    assert (spec.lang, spec.size, spec.fg, spec.bg) == ("zh-Hant", "a3", "#cc0000", "#ffffff")


def test_key_is_stable_and_depends_on_everything():
    a, b = Spec(text="Stop torture"), Spec(text="Stop torture")
    assert a.key("1") == b.key("1")
    assert a.key("1") != a.replace(bg="#000000").key("1")
    assert a.key("1") != a.key("2")


@pytest.mark.parametrize(
    ("size", "orientation", "name", "mm", "dpi"),
    [
        ("a4", None, "a4", (210, 297), 300),
        ("a4", "landscape", "a4", (297, 210), 300),
        ("A3", None, "a3", (297, 420), 300),
        ("a2", None, "a2", (420, 594), 150),
        ("letter", None, "letter", (215.9, 279.4), 300),
        ("banner-300x100cm", None, "300x100cm", (3000, 1000), 150),
        ("300x100cm", "portrait", "300x100cm", (1000, 3000), 150),
        ("1080x1350px", None, "1080x1350px", (1080 / PT_PER_MM, 1350 / PT_PER_MM), 72),
        ("8.5x11in", None, "8.5x11in", (215.9, 279.4), 300),
    ],
)
def test_pages(size, orientation, name, mm, dpi):
    page = parse_page(size, orientation)
    assert page.name == name
    assert (round(page.width / PT_PER_MM, 1), round(page.height / PT_PER_MM, 1)) == (
        round(mm[0], 1),
        round(mm[1], 1),
    )
    assert page.native_dpi == dpi
