"""Never a missing-glyph box in the interface: every visible piece of text, in every interface
language, is drawn with a font that has its letters.

Chromium says which fonts drew a node's text (DevTools: CSS.getPlatformFontsForNode); fontTools
says which characters those fonts have. A letter none of them has is drawn as a box. The
machine's own fonts are what a phone without a Tamil or Sinhala font has (Debian's chromium
brings DejaVu only), so the interface's web fonts (static/css/fonts*.css) must do the rest.
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from poster_app.config import LANGUAGES
from poster_app.web.ui_language import COOKIE
from tests.e2e.screenshots import look
from tests.e2e.serving import e2e_app, served

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("POSTER_SCREENSHOTS") or "/tmp/poster-screenshots") / "ui-fonts"
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
# Han, kana and Hangul are the device's (every phone has them; fonts/build_webfonts.py), but for
# the letters of the language names (static/fonts/ui-cjk.woff2): the rest, the Chinese
# interface's text, is checked only on a machine that has a font for them.
DEVICE_SCRIPTS = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


@cache
def coverage() -> dict[str, set[int]]:
    """Family name → the characters it has: the machine's fonts and the interface's web fonts."""
    fonts: dict[str, set[int]] = {}
    listed = subprocess.run(
        ["fc-list", "--format", "%{family[0]}\t%{file}\n"], capture_output=True, text=True
    ).stdout
    files = [line.split("\t") for line in listed.splitlines() if "\t" in line]
    files += [["", str(path)] for path in (ROOT / "static" / "fonts").glob("*.woff2")]
    for family, path in files:
        with TTFont(path, fontNumber=0, lazy=True) as font:
            name = font["name"].getDebugName(1) if path.endswith(".woff2") else family
            fonts.setdefault(name, set()).update(font.getBestCmap())
    return fonts


@cache
def machine_has_han() -> bool:
    return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout)


@cache
def names_letters() -> set[int]:
    """The Han, kana and Hangul of the language names: the site's own subset has them."""
    return set(TTFont(ROOT / "static" / "fonts" / "ui-cjk.woff2").getBestCmap())


def left_to_device(char: str) -> bool:
    return (
        not machine_has_han()
        and bool(DEVICE_SCRIPTS.match(char))
        and ord(char) not in names_letters()
    )


def drawn(char: str) -> bool:
    """Whether the character is drawn as a letter (spaces, joiners, direction marks aren't)."""
    return not char.isspace() and unicodedata.category(char) not in {"Cf", "Cc", "Zs"}


def drop_down(node: dict) -> bool:
    """Whether the node is a <select> that shows one choice (not a list box)."""
    attributes = node.get("attributes", [])
    named = dict(zip(attributes[::2], attributes[1::2], strict=True))
    return (
        node.get("localName") == "select"
        and "multiple" not in named
        and named.get("size", "1") in {"", "1"}
    )


def boxes(cdp) -> list[str]:
    """Each visible text on the page with a letter none of the fonts that drew it has."""
    fonts = coverage()
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    found, stack = [], [(root, root)]
    while stack:
        node, parent = stack.pop()
        kids = node.get("shadowRoots", [])
        if not drop_down(node):  # its closed list isn't drawn; its shadow root shows the choice
            kids += node.get("children", [])
        stack += [(kid, node) for kid in kids]
        text = node.get("nodeValue", "") if node.get("nodeType") == 3 else ""
        if not text.strip() or parent.get("localName") in {"title", "script", "style"}:
            continue
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": parent["nodeId"]})["fonts"]
        if not used:
            continue  # not drawn: hidden, or in a closed menu
        have = set().union(*(fonts.get(f["familyName"], set()) for f in used))
        missing = {c for c in text if drawn(c) and ord(c) not in have and not left_to_device(c)}
        if missing:
            names = ", ".join(f["familyName"] for f in used)
            letters = "".join(sorted(missing))
            found.append(f"<{parent['localName']}> {text.strip()[:40]!r} in {names}: {letters!r}")
    return found


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory, migrated_db):
    """The app as shipped with the demo's actions and banners, as `make run` starts it."""
    from poster_app.commands import load_demo

    app = e2e_app(tmp_path_factory.mktemp("ui-fonts"), migrated_db)
    with app.app_context():
        load_demo()
    with served(app) as url:
        yield url


def test_every_interface_language_draws_every_letter(browser, demo_site):
    context = browser.new_context(base_url=demo_site)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    page.goto("/actions")
    action = page.locator("main a[href^='/actions/']").first.get_attribute("href")
    # The pages a person meets: the banner form, the gallery, an action, the log-in page.
    paths = ["/", "/gallery", action, "/login"]
    found = []
    for lang in LANGUAGES:
        context.add_cookies([{"name": COOKIE, "value": lang, "url": demo_site}])
        for path in paths:
            for screen, size in SCREENS.items():
                page.set_viewport_size(size)
                page.goto(path)  # loaded at each size: boxes came from text drawn while loading
                # the interface-language menu open: every language's name is drawn
                page.evaluate("document.querySelector('nav.ui-languages details').open = true")
                page.evaluate("document.fonts.ready")
                look(page, SCREENSHOTS / f"{lang}-{screen}{path.replace('/', '-')}.png")
                found += [f"{lang} {screen} {path}: {box}" for box in boxes(cdp)]
    context.close()
    assert not found, "letters drawn as boxes:\n" + "\n".join(found)
