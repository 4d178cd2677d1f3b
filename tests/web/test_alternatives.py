"""Other layouts beside the preview: portrait/landscape × fill/stack, each with how much larger
the engine sets its text ("+46 %"), one request per pause in typing."""

from __future__ import annotations

import base64

import pytest

from poster_app import rendering
from poster_app.layout import Spec
from poster_app.rendering import Renderer
from tests.web_helpers import png_size

FORM = {"size": "a4", "style": "fill", "family": "sans", "colours": "black-on-white"}


def percent(text: str) -> int:
    """'+46 %', '−12 %', 'same size' → 46, -12, 0."""
    if text == "same size":
        return 0
    sign = -1 if text[0] in "−-" else 1
    return sign * int("".join(c for c in text if c.isdigit()))


def test_four_layouts_with_the_engines_sizes(client):
    slogan = "Free them all\nStop torture"
    response = client.get("/preview/alternatives.json", query_string={**FORM, "text": slogan})
    assert response.status_code == 200
    found = response.get_json()["alternatives"]
    assert [(a["orientation"], a["style"]) for a in found] == [
        ("portrait", "fill"),
        ("portrait", "stack"),
        ("landscape", "fill"),
        ("landscape", "stack"),
    ]
    assert [a["current"] for a in found] == [True, False, False, False]
    assert found[0]["change"] == "now" and found[0]["orientation_choice"] == ""
    assert found[2]["orientation_choice"] == "landscape"
    spec = Spec.from_options({"text": slogan, "lang": "en", "size": "a4"})
    now = rendering.text_size(Renderer().layout(spec))
    for alt in found[1:]:
        other = spec.replace(orientation=alt["orientation"], style=alt["style"])
        size = rendering.text_size(Renderer().layout(other))
        assert percent(alt["change"]) == round((size / now - 1) * 100), alt["change"]
        assert alt["label"].startswith(alt["orientation"].title() + ", " + alt["style"].title())
    for alt in found:
        png = base64.b64decode(alt["thumb"].removeprefix("data:image/png;base64,"))
        width, height = png_size(png)
        assert (width < height) == (alt["orientation"] == "portrait")


def test_a_square_page_offers_fill_and_stack(client):
    query = {**FORM, "text": "No borders", "size": "square-1080px", "style": "stack"}
    found = client.get("/preview/alternatives.json", query_string=query).get_json()
    assert [(a["style"], a["current"]) for a in found["alternatives"]] == [
        ("fill", False),
        ("stack", True),
    ]


def test_sizes_read_in_the_interface_language(client):
    client.set_cookie("ui_lang", "ru")
    query = {**FORM, "text": "Свободу\nвсем политзаключённым", "lang": "ru"}
    found = client.get("/preview/alternatives.json", query_string=query).get_json()
    changes = [a["change"] for a in found["alternatives"]]
    assert changes[0] == "сейчас"
    assert all(c.endswith("\u00a0%") or c == "тот же размер" for c in changes[1:]), changes
    assert found["alternatives"][2]["label"].startswith("Альбомная, ")


@pytest.mark.parametrize("text", ["", "x" * 600, "\U000f0001"])
def test_errors_are_json(client, text):
    response = client.get("/preview/alternatives.json", query_string={**FORM, "text": text})
    assert response.status_code == 422 and response.get_json()["field"] == "text"
