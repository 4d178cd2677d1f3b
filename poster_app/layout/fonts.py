"""The bundled fonts: which faces exist, what they cover, and the fallback chain per slogan.

Coverage comes from `fonts/coverage.json` (precomputed cmaps), so start-up never parses
a font. Regenerate it after changing `fonts/` with `python -m poster_app.layout.fonts --rebuild`.
"""

from __future__ import annotations

import json
import sys
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import EngineError
from .fontcache import FONTS_DIR as FONTS_DIR  # the bundled folder
from .fontcache import fonts_dir
from .languages import language

CJK_SCRIPTS = frozenset({"Hani", "Hira", "Kana", "Hang", "Bopo", "Hans", "Hant", "Jpan", "Kore"})
# The same glyphs, grouped the way Babel's likely subtags name a language's script.
_SCRIPT_ALIASES = {"Hans": "Hani", "Hant": "Hani", "Jpan": "Hani", "Kore": "Hang"}
_WIDTH_RANK = {"normal": 0, "condensed": 1, "extra-condensed": 2}


@dataclass(frozen=True)
class Face:
    """One face of a bundled font file, as listed in the manifest."""

    family: str
    file: str
    index: int
    scripts: tuple[str, ...]
    weight: int
    width: str
    languages: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return fonts_dir() / self.file

    @property
    def key(self) -> str:
        """Identify the face in coverage.json: file name, plus `#index` inside a collection."""
        return f"{self.file}#{self.index}" if self.index else self.file


def forget() -> None:
    """Drop what was read from the fonts folder (settings.configure chose another)."""
    for cached in (_manifest, faces, _coverage, chain, narrower_chain):
        cached.cache_clear()


@cache
def _manifest() -> dict:
    return json.loads((fonts_dir() / "manifest.json").read_text(encoding="utf-8"))


@cache
def faces() -> tuple[Face, ...]:
    """Return every bundled face, in manifest order."""
    return tuple(
        Face(
            family=entry["family"],
            file=entry["file"],
            index=entry.get("index", 0),
            scripts=tuple(entry["scripts"]),
            weight=entry["weight"],
            width=entry["width"],
            languages=tuple(entry.get("languages", ())),
        )
        for entry in _manifest()["faces"]
    )


@cache
def _coverage() -> dict[str, tuple[list[int], list[int]]]:
    """Map face key to (range starts, range ends), both inclusive, for bisection."""
    stored = json.loads((fonts_dir() / "coverage.json").read_text(encoding="utf-8"))
    table = {}
    for key, flat in stored.items():
        # Faces of one collection often share a cmap; coverage.json stores it once.
        if isinstance(flat, str):
            flat = stored[flat]
        table[key] = (flat[0::2], flat[1::2])
    return table


def covers(face: Face, codepoint: int | str) -> bool:
    """Tell whether the face's cmap maps this codepoint (or one-character string)."""
    if isinstance(codepoint, str):
        codepoint = ord(codepoint)
    starts, ends = _coverage()[face.key]
    i = bisect_right(starts, codepoint) - 1
    return i >= 0 and codepoint <= ends[i]


def families() -> list[tuple[str, str]]:
    """Return (id, English label) of each type family, for the banner form."""
    return [(f["id"], f["label"]) for f in _manifest()["families"]]


def _check_family(family: str) -> None:
    ids = [fid for fid, _ in families()]
    if family not in ids:
        expected = ", ".join(repr(i) for i in ids)
        raise EngineError("unknown_family", "family", value=family, expected=expected)


def _cjk_language(lang: str, script: str) -> str:
    """Pick the CJK face's language tag (ja, ko, zh-Hans, zh-Hant, zh-HK) for a BCP 47 tag."""
    info = language(lang)  # the one BCP 47 parser: Babel's, in languages.py
    if info.code == "ja" or script == "Jpan":
        return "ja"
    if info.code == "ko" or script == "Kore":
        return "ko"
    if info.region in ("HK", "MO") or (info.code == "yue" and info.script_variant != "Hans"):
        return "zh-HK"
    if info.script_variant == "Hant" or script == "Hant":
        return "zh-Hant"
    return "zh-Hans"


def _language_matches(face: Face, lang: str, script: str) -> bool:
    if not face.languages:
        return True
    if set(face.scripts) & CJK_SCRIPTS:
        return _cjk_language(lang, script) in face.languages
    return language(lang).code in face.languages


def _pick(family: str, script: str, lang: str) -> Face | None:
    """Return the family's face for a script: language-specific first, widest width first."""
    candidates = [
        f
        for f in faces()
        if f.family == family and script in f.scripts and _language_matches(f, lang, script)
    ]
    candidates.sort(key=lambda f: (not f.languages, _WIDTH_RANK[f.width]))
    return candidates[0] if candidates else None


def _normal_script(script: str) -> str:
    script = script[:1].upper() + script[1:].lower()
    return _SCRIPT_ALIASES.get(script, script)


@cache
def chain(family: str, script: str, lang: str) -> tuple[Face, ...]:
    """Return the fallback order of faces for a slogan in `lang`, whose main script is `script`.

    The family's face for the script (else the sans one), then the family's Latin face for
    digits and punctuation, then symbols, then every other face so that mixed text works.
    """
    _check_family(family)
    requested = script
    script = _normal_script(script)
    order: list[Face] = []

    def add(face: Face | None) -> None:
        if face is not None and face not in order:
            order.append(face)

    add(_pick(family, script, lang) or _pick("sans", script, lang))
    add(_pick(family, "Latn", lang) or _pick("sans", "Latn", lang))
    symbols = [f for f in faces() if f.scripts[0] == "Zsym"]
    for face in sorted(symbols, key=lambda f: -f.weight):
        add(face)
    # Every other face: the CJK face of this language first (for Chinese in a Thai slogan
    # nothing better is known), this family before sans, normal widths before narrow ones,
    # language-specific faces that don't match last, mathematical symbols at the very end.
    cjk_lang = _cjk_language(lang, requested)
    rest = sorted(
        (f for f in faces() if f not in order),
        key=lambda f: (
            "Zmth" in f.scripts,
            bool(f.languages)
            and not _language_matches(f, lang, requested)
            and cjk_lang not in f.languages,
            f.family != family,
            _WIDTH_RANK[f.width],
        ),
    )
    for face in rest:
        add(face)
    return tuple(order)


@cache
def narrower_chain(family: str, script: str, lang: str) -> tuple[Face, ...]:
    """The chain with each face of the family in its narrower width where the family has one
    (sans: Noto Sans ExtraCondensed; serif: Noto Serif ExtraCondensed for Latin, Cyrillic and
    Greek): narrower letters of the same design, never another family."""
    out: list[Face] = []
    for face in chain(family, script, lang):
        narrower = condensed_alternative(face) if face.family == family else None
        for f in (narrower or face, face):
            if f not in out:
                out.append(f)
    return tuple(out)


def condensed_alternative(face: Face) -> Face | None:
    """Return the narrower width of the same script and style, or None if there is none."""
    if face.family == "condensed":
        return None
    family = "serif" if face.family == "serif" else "sans"
    narrower = [
        f
        for f in faces()
        if f.scripts == face.scripts
        and _WIDTH_RANK[f.width] > _WIDTH_RANK[face.width]
        and (f.family == family or (family == "sans" and f.family == "condensed"))
    ]
    narrower.sort(key=lambda f: (f.family != family, _WIDTH_RANK[f.width]))
    return narrower[0] if narrower else None


def _ranges(codepoints) -> list[int]:
    """Flatten sorted codepoints into [start0, end0, start1, end1, …] (inclusive ends)."""
    flat: list[int] = []
    for cp in sorted(codepoints):
        if flat and cp == flat[-1] + 1:
            flat[-1] = cp
        else:
            flat += [cp, cp]
    return flat


def real_coverage(face: Face) -> list[int]:
    """Read the face's cmap with fontTools (slow; for the generator and the tests)."""
    from fontTools.ttLib import TTFont

    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        return _ranges(font.getBestCmap())


def rebuild_coverage() -> Path:
    """Write fonts/coverage.json from the fonts' real cmaps."""
    stored: dict[str, list[int] | str] = {}
    seen: dict[tuple[int, ...], str] = {}
    for face in faces():
        flat = real_coverage(face)
        same = seen.setdefault(tuple(flat), face.key)
        stored[face.key] = flat if same == face.key else same
    out = fonts_dir() / "coverage.json"
    out.write_text(json.dumps(stored, separators=(",", ":")) + "\n", encoding="utf-8")
    _coverage.cache_clear()
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["--rebuild"]:
        print("usage: python -m poster_app.layout.fonts --rebuild", file=sys.stderr)
        return 2
    print(f"wrote {rebuild_coverage()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
