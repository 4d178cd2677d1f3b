"""Web fonts for the interface: Noto subsets, so a phone without a Sinhala or Tamil font still
shows the language names and the interface in those scripts (never a box of tofu).

    .venv/bin/python fonts/build_webfonts.py      # after a catalog or the language list changes

Writes static/fonts/ui-<script>.woff2 (the letters of the language names, a few KB each) with
static/css/fonts.css, linked from every page; and for the interface's own scripts (Sinhala,
Tamil, Arabic) static/fonts/ui-<script>-all.woff2 with static/css/fonts-<lang>.css, linked
only from pages in that interface language. Each @font-face has its unicode-range, so a browser
fetches a face only for a page that shows its script, and only when the device has no font of
that name (local() comes first). Both are committed: the build needs Debian's fonts-noto-core
(the Regular faces of the same Noto release as fonts/, whose faces are Black, too heavy for body
text) and fonts-noto-cjk, and takes seconds; a server never runs it, nor do the tests.
tests/web/test_webfonts.py fails when an interface string has a letter no subset covers.

What goes in: the letters of the language names the pages show; in the "-all" faces the whole
Unicode block as well, so the interface and a slogan typed in its script show too. For Han,
Hangul and kana (static/fonts/ui-cjk.woff2) the language names' letters only: a desktop without
a CJK font drew 中文, 日本語 and 한국어 as boxes; the Chinese interface's own text is left to the
device (a phone has a CJK font, and a subset of the Chinese catalog would be hundreds of KB).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCE = Path("/usr/share/fonts/truetype/noto")
# script code → (Noto family, whole blocks to include)
FACES = {
    "sinh": ("Noto Sans Sinhala", [(0x0D80, 0x0DFF)]),
    "taml": ("Noto Sans Tamil", [(0x0B80, 0x0BFF)]),
    "arab": ("Noto Sans Arabic", [(0x0600, 0x06FF), (0x0750, 0x077F)]),
    "ethi": ("Noto Sans Ethiopic", []),
    "armn": ("Noto Sans Armenian", []),
    "beng": ("Noto Sans Bengali", []),
    "deva": ("Noto Sans Devanagari", []),
    "geor": ("Noto Sans Georgian", []),
    "hebr": ("Noto Sans Hebrew", []),
    "khmr": ("Noto Sans Khmer", []),
    "laoo": ("Noto Sans Lao", []),
    "mymr": ("Noto Sans Myanmar", []),
    "thai": ("Noto Sans Thai", []),
}
# Han, Hangul and kana from the Simplified Chinese face of the collection (all its faces have
# every letter; they differ in some Han shapes): the names' letters, not its Cyrillic or Greek.
CJK_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FAMILY, CJK_NUMBER = "Noto Sans CJK SC", 2
CJK_BLOCKS = [
    (0x1100, 0x11FF),
    (0x3000, 0x30FF),
    (0x3130, 0x318F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
]
# A device's own copy (the same letters as the subset): the other regions of Noto Sans CJK
# and Source Han Sans, the same fonts under Adobe's name.
CJK_LOCAL = ["Noto Sans CJK JP", "Noto Sans CJK KR", "Source Han Sans SC"]
INTERFACE = {"sinh": "si", "taml": "ta", "arab": "ar"}  # script → its interface catalog
JOINERS = [0x200C, 0x200D]  # ZWNJ, ZWJ: Sinhala and Arabic need them inside words
OUT_FONTS = ROOT / "static" / "fonts"
OUT_CSS = ROOT / "static" / "css" / "fonts.css"


def names_text() -> str:
    """The language names every page may show: the forms' list, the interface-language menu."""
    from poster_app.config import LANGUAGES
    from poster_app.layout import supported_languages
    from poster_app.web.labels import native_name

    return "\n".join(
        list(LANGUAGES.values()) + [native_name(lang) for lang in supported_languages()]
    )


def catalog_text(lang: str) -> str:
    """Every translation in an interface catalog."""
    from babel.messages.pofile import read_po

    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        parts = []
        for message in read_po(f):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            parts += [s for s in strings if s]
    return "\n".join(parts)


def local_names(*families: str) -> str:
    """The names a device's own copy of the face answers to (full name, PostScript name)."""
    names = []
    for family in families:
        plain = family.replace(" ", "")
        if "CJK" in family:  # NotoSansCJKsc-Regular
            plain = plain[:-2] + plain[-2:].lower()
        names += [f"{family} Regular", f"{plain}-Regular", family]
    return ", ".join(f'local("{n}")' for n in names)


def codepoints_for(face_path: Path, text: str, blocks, number: int = 0, only=None) -> list[int]:
    """What the face covers of the interface's text (within the blocks `only`), plus `blocks`."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(face_path, fontNumber=number).getBestCmap()
    wanted = {ord(c) for c in text} | {cp for lo, hi in blocks for cp in range(lo, hi + 1)}
    if only:
        wanted = {cp for cp in wanted if any(lo <= cp <= hi for lo, hi in only)}
    # Only the face's own script: Latin, digits and punctuation come from the system's font.
    own = (cp for cp in wanted if cp in cmap and cp > 0x02FF and not 0x2000 <= cp <= 0x2E7F)
    return sorted(own) + JOINERS


def ranges(codepoints: list[int]) -> str:
    """'U+0D80-0DFF, U+200C-200D' for a CSS unicode-range."""
    runs, start, prev = [], None, None
    for cp in sorted(set(codepoints)):
        if start is None:
            start = prev = cp
        elif cp == prev + 1:
            prev = cp
        else:
            runs.append((start, prev))
            start = prev = cp
    if start is not None:
        runs.append((start, prev))
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in runs)


def make_subset(source: Path, cps: list[int], target: Path, number: int = 0) -> None:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # conjuncts, joining forms, mark positioning
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.font_number = number  # which face of a collection (.ttc)
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=cps)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    print(f"{target.relative_to(ROOT)}: {len(cps)} characters, {target.stat().st_size} bytes")


def face_rule(family: str, target: Path, cps: list[int], also=()) -> str:
    return (
        '@font-face { font-family: "Poster UI"; font-display: swap;\n'
        f'  src: {local_names(family, *also)}, url(../fonts/{target.name}) format("woff2");\n'
        f"  unicode-range: {ranges(cps)}; }}"
    )


HEADER = (
    "/* Generated by fonts/build_webfonts.py: Noto subsets for the interface's own scripts.\n"
    '   "Poster UI" comes first in app.css: a face is fetched for a page that shows its script\n'
    "   unless the device has the same font (local()). */"
)


def cjk_rule(names: str) -> str:
    """Han, Hangul and kana of the language names (中文, 日本語, 한국어), a few KB."""
    cps = codepoints_for(CJK_SOURCE, names, [], CJK_NUMBER, only=CJK_BLOCKS)
    target = OUT_FONTS / "ui-cjk.woff2"
    make_subset(CJK_SOURCE, cps, target, CJK_NUMBER)
    return face_rule(CJK_FAMILY, target, cps, also=CJK_LOCAL)


def build() -> None:
    names = names_text()
    OUT_FONTS.mkdir(parents=True, exist_ok=True)
    rules = [HEADER]
    for code, (family, blocks) in FACES.items():
        source = SOURCE / f"{family.replace(' ', '')}-Regular.ttf"
        cps = codepoints_for(source, names, [])
        target = OUT_FONTS / f"ui-{code}.woff2"
        make_subset(source, cps, target)
        rules.append(face_rule(family, target, cps))
        if code in INTERFACE:  # the whole script, for pages in that interface language
            lang = INTERFACE[code]
            every = codepoints_for(source, names + catalog_text(lang), blocks)
            whole = OUT_FONTS / f"ui-{code}-all.woff2"
            make_subset(source, every, whole)
            css = OUT_CSS.with_name(f"fonts-{lang}.css")
            css.write_text(HEADER + "\n" + face_rule(family, whole, every) + "\n", encoding="utf-8")
    rules.append(cjk_rule(names))
    OUT_CSS.write_text("\n".join(rules) + "\n", encoding="utf-8")
    print(OUT_CSS.relative_to(ROOT))


if __name__ == "__main__":
    build()
