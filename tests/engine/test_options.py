"""RenderOptions and PrintOptions: one parse of the print options for the command line, the web
and campaigns, with one set of limits and messages."""

from __future__ import annotations

import re

import pytest

from poster_app.layout import PrintOptionError, PrintOptions, RenderOptions, Spec, plan
from poster_app.layout.options import render_file


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({}, ""),
        ({"tile": "a4"}, "tiled-a4"),
        ({"tile": "letter", "overlap_mm": 15}, "tiled-letter-overlap15mm"),
        ({"tile": "a4", "overlap_mm": 10}, "tiled-a4"),
        ({"bleed_mm": 3, "crop_marks": True}, "bleed3mm-crop-marks"),
        ({"hem_mm": 40}, "hem40mm"),
    ],
)
def test_good_print_options_and_their_file_names(options, name):
    assert PrintOptions(**options).name == name


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"tile": "a3"}, "tile", "tiles are printed on a4 or letter sheets (not 'a3')"),
        ({"tile": "a4", "overlap_mm": 60}, "overlap", "overlap must be between 0 and 50 mm"),
        ({"overlap_mm": 5}, "overlap", "overlap goes with tile"),
        ({"bleed_mm": 25}, "bleed", "bleed must be between 0 and 20 mm (not 25 mm)"),
        ({"bleed_mm": -1}, "bleed", "bleed must be between 0 and 20 mm"),
        ({"hem_mm": -4}, "hem", "hem must be 0 mm or more"),
        ({"hem_mm": "40"}, "hem", "hem must be a length in mm"),
        ({"tile": "a4", "crop_marks": True}, "tile", "use one or the other"),
        ({"tile": "a4", "hem_mm": 40}, "tile", "use one or the other"),
    ],
)
def test_bad_print_options_name_the_option(options, field, message):
    with pytest.raises(PrintOptionError, match=re.escape(message)) as e:
        PrintOptions(**options)
    assert e.value.field == field


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"tile": "A4"}, PrintOptions(tile="a4")),
        ({"tile": "a4", "overlap": "14.6"}, PrintOptions(tile="a4", overlap_mm=15)),
        ({"bleed": "3", "crop": "1"}, PrintOptions(bleed_mm=3, crop_marks=True)),
        ({"hem": "40"}, PrintOptions(hem_mm=40)),
        ({"crop": "0"}, PrintOptions()),
    ],
)
def test_options_from_a_download_query(query, expected):
    assert PrintOptions.from_query(query) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [({"bleed": "abc"}, "bleed"), ({"hem": "nan"}, "hem"), ({"crop": "yes"}, "crop")],
)
def test_bad_queries_name_the_option(query, field):
    with pytest.raises(PrintOptionError) as e:
        PrintOptions.from_query(query)
    assert e.value.field == field


@pytest.mark.parametrize(
    ("options", "field"),
    [({"format": "jpg"}, "format"), ({"dpi": 10}, "dpi"), ({"dpi": 72.5}, "dpi")],
)
def test_bad_render_options(options, field):
    with pytest.raises(PrintOptionError) as e:
        RenderOptions(**options)
    assert e.value.field == field


def test_render_file_makes_what_the_options_say():
    layout = plan(Spec(text="Hands off", size="a6"))
    assert render_file(layout, RenderOptions("png", dpi=72)).startswith(b"\x89PNG")
    assert render_file(layout, RenderOptions("pdf")).startswith(b"%PDF")
    tiled = render_file(layout, RenderOptions("pdf"), PrintOptions(tile="a4"))
    assert tiled.startswith(b"%PDF") and tiled != render_file(layout, RenderOptions("pdf"))
    with pytest.raises(PrintOptionError, match="make a PDF"):
        render_file(layout, RenderOptions("png"), PrintOptions(bleed_mm=3))
    with pytest.raises(ValueError, match="megapixel"):
        render_file(layout, RenderOptions("png", dpi=300), max_pixels=1000)
