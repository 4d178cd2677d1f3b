"""In Chromium, with the interface in Tamil or Arabic chosen from its menu, on a phone and on a
desktop: a campaign's page names its banners in that language, as the server writes the list
and as the page's script rewrites it, and in Arabic (right to left) a banner's sides read in
their order: '105 × 148 مم' read from the right is 105, then 148, then the unit."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.screenshots import look
from tests.e2e.test_e2e_reasons import REFUSED_FR, campaign_made, reader_page

SHOTS = Path(os.environ.get("SCREENSHOTS", "/tmp")) / "campaign-labels"
RLI, PDI = "\u2067", "\u2069"

# The French banner's label (it fails), the English one's (made), the English one's card, the unit.
LABELS = {
    "ta": (
        "பிரெஞ்சு (fr) - A6 (105 × 148 மி.மீ.)",
        "ஆங்கிலம் (en) - A6 (105 × 148 மி.மீ.)",
        "English · A6 (105 × 148 மி.மீ.)",
        "மி.மீ.",
    ),
    "ar": (
        f"الفرنسية (fr) - A6 ({RLI}105 × 148 مم{PDI})",
        f"الإنجليزية (en) - A6 ({RLI}105 × 148 مم{PDI})",
        f"English · A6 ({RLI}105 × 148 مم{PDI})",
        "مم",
    ),
}

# Where each word of an element's text is drawn: its box's top, left edge and height, in px.
WORD_BOXES = """(element, words) => {
  const node = element.firstChild, text = node.data;
  return words.map(word => {
    const range = document.createRange(), at = text.indexOf(word);
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const box = range.getBoundingClientRect();
    return [box.top, box.left, box.height];
  });
}"""


@pytest.fixture(
    params=[(ui, size) for ui in LABELS for size in ("phone", "desktop")],
    ids=lambda param: "-".join(param),
)
def reader(browser, live_server, request):
    """A browser page whose person chose the interface language from its menu."""
    ui, size = request.param
    page = reader_page(browser, live_server, (390, 844) if size == "phone" else (1366, 900), ui)
    page.name = request.node.callspec.id
    yield ui, page
    page.context.close()


def assert_read_in_order(element, words: list[str], rtl: bool) -> None:
    """The words are drawn one after another in the reading direction of the interface: line
    by line (a card's label wraps on a phone), and on a line from the left, or from the right."""
    boxes = element.evaluate(WORD_BOXES, words)
    where = list(zip(words, boxes, strict=True))
    for (top, left, height), (next_top, next_left, _) in itertools.pairwise(boxes):
        if abs(next_top - top) < height / 2:  # on the same line
            assert (next_left < left) if rtl else (next_left > left), where
        else:
            assert next_top > top, where


def test_a_campaigns_banners_are_named_in_the_interface_language(reader):
    ui, page = reader
    failed_label, done_label, card_label, unit = LABELS[ui]
    in_order, rtl = ["A6", "105", "148", unit], ui == "ar"
    campaign_made(page, {"fr": REFUSED_FR, "en": "Free them all"}, "done", timeout=120_000)
    # Written by the page's script as the banners finished (or by the server, if quick).
    failed, card = page.locator("#campaign-items li.failed"), page.locator(".card-label")
    for _ in range(2):
        assert failed.text_content().startswith(f"{failed_label}: "), failed.text_content()
        assert page.locator("#campaign-items li.done").text_content() == done_label
        expect(card).to_have_text(card_label)
        assert_read_in_order(failed, in_order, rtl)
        assert_read_in_order(card, in_order, rtl)
        look(page, SHOTS / f"{page.name}.png", full_page=True)
        page.reload()  # then the list as the server writes it
