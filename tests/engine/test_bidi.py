"""Bidi levels (implicit rules) and line reordering, checked against UAX #9 examples."""

import pytest

from poster_app.layout.bidi import levels, visual_order


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("abc def", 0, [0] * 7),
        ("אבג", 1, [1, 1, 1]),
        # Numbers inside right-to-left text are a left-to-right island (level 2).
        ("حرية 2020", 1, [1, 1, 1, 1, 1, 2, 2, 2, 2]),
        # Neutral parentheses between Arabic letters and Arabic numbers follow the Arabic.
        ("ا (12) ب", 1, [1, 1, 1, 2, 2, 1, 1, 1]),
        # Latin inside Arabic: a left-to-right island; the spaces around it stay right-to-left.
        ("ا abc ب", 1, [1, 1, 2, 2, 2, 1, 1]),
        # After Hebrew, numbers in English text stay European numbers (level 2) and the
        # space before them follows the Hebrew (N1); the comma between digits joins them (W4).
        ("a אב 1,5", 0, [0, 0, 1, 1, 1, 2, 2, 2]),
        # Marks take the level of their base (W1): vocalised Arabic stays one level.
        ("بِسْم", 1, [1, 1, 1, 1, 1]),
    ],
)
def test_levels(text, base, expected):
    assert levels(text, base) == expected


@pytest.mark.parametrize(
    ("run_levels", "order"),
    [
        ([0, 0], [0, 1]),
        ([1, 1, 1], [2, 1, 0]),
        ([1, 2, 1], [2, 1, 0]),  # a number run inside Arabic keeps its place, reversed around
        ([0, 1, 1, 0], [0, 2, 1, 3]),
        ([1, 2, 2, 1], [3, 1, 2, 0]),  # two ltr runs inside rtl keep their own order
    ],
)
def test_visual_order(run_levels, order):
    assert visual_order(run_levels) == order
