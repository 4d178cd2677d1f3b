"""Web fonts for the interface: Noto subsets, so a phone without a Sinhala or Tamil font still
shows the language names and the interface in those scripts (never a box of tofu).

    .venv/bin/python fonts/build_webfonts.py      # after a catalog or the language list changes

Writes static/fonts/ui-<script>.woff2 (the letters of the language names, a few KB each) with
static/css/fonts.css, linked from every page; and for the interface's own scripts (Sinhala,
Tamil, Arabic) static/fonts/ui-<script>-all.woff2 with static/css/fonts-<lang>.css, linked
only from pages in that interface language. Each @font-face has its unicode-range, so a browser
fetches a face only for a page that shows its script, and only when the phone has no font of
that name (local() comes first). Both are committed: the build
needs Debian's fonts-noto-core (the Regular faces of the same Noto release as fonts/, whose
faces are Black, too heavy for body text) and takes seconds; a server never runs it.
tests/web/test_webfonts.py fails when an interface string has a letter no subset covers.

What goes in: the letters of the language names the pages show; in the "-all" faces the whole
Unicode block as well, so the interface and a slogan typed in its script show too. Han,
Hangul and kana are left out: every phone has them, and a subset of the Chinese catalog would
be hundreds of kilobytes.
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


def local_names(family: str) -> str:
    """The names a phone's own copy of the face answers to (full name, PostScript name)."""
    plain = family.replace(" ", "")
    return ", ".join(f'local("{n}")' for n in (f"{family} Regular", f"{plain}-Regular", family))


def codepoints_for(face_path: Path, text: str, blocks) -> list[int]:
    """What the face covers of the interface's text, plus its whole blocks."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(face_path).getBestCmap()
    wanted = {ord(c) for c in text} | {cp for lo, hi in blocks for cp in range(lo, hi + 1)}
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


def make_subset(source: Path, cps: list[int], target: Path) -> None:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # conjuncts, joining forms, mark positioning
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=cps)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    print(f"{target.relative_to(ROOT)}: {len(cps)} characters, {target.stat().st_size} bytes")


def face_rule(family: str, target: Path, cps: list[int]) -> str:
    return (
        '@font-face { font-family: "Poster UI"; font-display: swap;\n'
        f'  src: {local_names(family)}, url(../fonts/{target.name}) format("woff2");\n'
        f"  unicode-range: {ranges(cps)}; }}"
    )


HEADER = (
    "/* Generated by fonts/build_webfonts.py: Noto subsets for the interface's own scripts.\n"
    "   A face is fetched only for a page that shows its script and a phone without it. */"
)


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
    OUT_CSS.write_text("\n".join(rules) + "\n", encoding="utf-8")
    print(OUT_CSS.relative_to(ROOT))


if __name__ == "__main__":
    build()
