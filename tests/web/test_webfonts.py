"""Web fonts for the interface (fonts/build_webfonts.py): every letter the interface shows in a
script of its own is in a committed Noto subset, and the pages load them from this site only."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import icu
import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "static" / "css" / "fonts.css"
spec = importlib.util.spec_from_file_location(
    "build_webfonts", ROOT / "fonts" / "build_webfonts.py"
)
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def script(char: str) -> str:
    return icu.Script.getScript(ord(char)).getShortName().lower()


def cmap(name: str) -> set[int]:
    return set(TTFont(ROOT / "static" / "fonts" / f"{name}.woff2").getBestCmap())


def uncovered(text: str, faces: dict[str, set[int]]) -> list[str]:
    return sorted(
        {
            f"{c} U+{ord(c):04X} ({script(c)})"
            for c in text
            if script(c) in faces and ord(c) not in faces[script(c)]
        }
    )


def test_every_language_name_is_in_a_subset():
    """A new language in the list: run `fonts/build_webfonts.py` and commit its output."""
    faces = {code: cmap(f"ui-{code}") for code in build.FACES}
    # Han, Hangul, kana: 中文, 日本語, 한국어 were boxes on a desktop without CJK fonts
    faces |= dict.fromkeys(["hani", "hang", "hira", "kana"], cmap("ui-cjk"))
    assert uncovered(build.names_text(), faces) == [], "run fonts/build_webfonts.py"


def test_the_cjk_face_has_the_names_letters_only():
    """A few KB: not the Chinese catalog, nor the collection's Cyrillic or Greek."""
    size = (ROOT / "static" / "fonts" / "ui-cjk.woff2").stat().st_size
    assert size < 16_000 and all(cp > 0x3000 or cp in build.JOINERS for cp in cmap("ui-cjk"))


@pytest.mark.parametrize(("code", "lang"), list(build.INTERFACE.items()))
def test_every_letter_of_an_interface_is_in_its_face(code, lang):
    assert uncovered(build.catalog_text(lang), {code: cmap(f"ui-{code}-all")}) == []


@pytest.mark.parametrize(
    ("code", "block"),
    [("sinh", (0x0D80, 0x0DFF)), ("taml", (0x0B80, 0x0BFF)), ("arab", (0x0600, 0x06FF))],
)
def test_the_interfaces_own_scripts_are_whole(code, block):
    """Every letter and mark of Sinhala, Tamil and Arabic, so a slogan typed in them shows."""
    cmap = TTFont(ROOT / "static" / "fonts" / f"ui-{code}-all.woff2").getBestCmap()
    letters = [
        cp
        for cp in range(block[0], block[1] + 1)
        if unicodedata.category(chr(cp)) in ("Lo", "Mn", "Mc")
    ]
    missing = [f"U+{cp:04X} {unicodedata.name(chr(cp))}" for cp in letters if cp not in cmap]
    assert len(missing) <= len(letters) // 20, missing  # Noto leaves out a few rare letters


def test_each_face_is_declared_local_first_with_its_range():
    css = CSS.read_text(encoding="utf-8")
    faces = [(code, family) for code, (family, _blocks) in build.FACES.items()]
    for code, family in faces + [("cjk", build.CJK_FAMILY)]:
        rule = re.search(rf"@font-face {{[^}}]*ui-{code}\.woff2[^}}]*}}", css)[0]
        assert f'local("{family} Regular")' in rule and rule.index("local(") < rule.index("url(")
        assert "unicode-range: U+" in rule and "U+200C-200D" in rule


def test_only_a_pages_interface_language_brings_its_whole_face(client):
    assert "fonts-si." not in client.get("/").get_data(as_text=True)
    client.set_cookie("ui_lang", "si")
    html = client.get("/").get_data(as_text=True)
    sheet = re.search(r'href="(/static/css/fonts-si\.[0-9a-f]{10}\.css)"', html)[1]
    assert "ui-sinh-all." in client.get(sheet).get_data(as_text=True)


def test_the_pages_load_the_fonts_from_this_site(client):
    html = client.get("/").get_data(as_text=True)
    sheet = re.search(r'href="(/static/css/fonts\.[0-9a-f]{10}\.css)"', html)[1]
    css = client.get(sheet).get_data(as_text=True)
    fonts = re.findall(r"url\(\.\./fonts/(ui-\w+\.[0-9a-f]{10}\.woff2)\)", css)
    assert len(fonts) == len(build.FACES) + 1  # and the CJK names' face
    response = client.get(f"/static/fonts/{fonts[0]}")
    assert response.mimetype == "font/woff2" and "immutable" in response.headers["Cache-Control"]
    assert response.get_data()[:4] == b"wOF2"
