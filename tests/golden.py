"""The golden layouts: a hash of how the engine lays out a fixed set of banners, per version.

Banner files are content-addressed by (spec, ENGINE_VERSION) and served `immutable`, so any
change to how a spec is laid out must come with a new ENGINE_VERSION. This module makes that
impossible to forget: it plans every slogan of the corpus (both styles) and a few other page
shapes, rounds what the renderers draw (line texts, fonts, sizes, positions) to 1/2000 of the
page's short side so float noise cannot flip it, and hashes it. `tests/engine/golden.json`
maps each engine version to the hash of its layouts; `tests/engine/test_golden.py` fails while
the current version's recorded hash differs from today's layouts.

When that test fails because you changed the layout on purpose:

    1. bump ENGINE_VERSION in poster_app/layout/__init__.py ("7" → "8");
    2. run `make golden` (records the hash for the new version; commit golden.json with it).

`make golden` never overwrites the hash of a version already recorded with a different one:
a version names one set of layouts forever. Changing the golden cases (a corpus entry added or
reworded) counts as a change too: bump and record.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from poster_app.layout import ENGINE_VERSION
from poster_app.layout.corpus import CORPUS
from poster_app.layout.fit import plan
from poster_app.layout.geometry import Layout, Line
from poster_app.layout.spec import Spec

GOLDEN_FILE = Path(__file__).resolve().parent / "engine" / "golden.json"
INIT_FILE = "poster_app/layout/__init__.py"
GRID = 2000  # positions and sizes are rounded to 1/GRID of the page's short side

# A few slogans on other page shapes than portrait A4: cloth, a social image, landscape,
# the other families, the user's own lines, a signature and a bilingual banner.
OTHER_SHAPES: dict[str, dict[str, Any]] = {
    "cloth-en": {"text": CORPUS["en"][1], "size": "300x100cm"},
    "cloth-ru": {"text": CORPUS["ru-demo"][1], "lang": "ru", "size": "300x100cm", "style": "stack"},
    "cloth-ar": {"text": CORPUS["ar"][1], "lang": "ar", "size": "300x100cm"},
    "cloth-zh": {"text": CORPUS["zh-Hans"][1], "lang": "zh-Hans", "size": "300x100cm"},
    "cloth-typed-lines": {
        "text": "FREE THEM ALL\nSTOP THE TORTURE\nFCK FSB!",
        "size": "300x100cm",
        "style": "stack",
    },
    "square-en": {"text": CORPUS["en"][1], "size": "1080x1080px"},
    "square-th": {"text": CORPUS["th"][1], "lang": "th", "size": "1080x1080px"},
    "square-si-stack": {"text": CORPUS["si"][1], "lang": "si", "size": "1080x1080px"},
    "landscape-de": {"text": CORPUS["de"][1], "lang": "de", "orientation": "landscape"},
    "serif-ru": {"text": CORPUS["ru"][1], "lang": "ru", "family": "serif"},
    "condensed-en": {"text": CORPUS["en"][1], "family": "condensed"},
    "signature-es": {"text": CORPUS["es"][1], "lang": "es", "signature": "Colectivo 8M"},
    "signature-ar-latin": {"text": CORPUS["ar"][1], "lang": "ar", "signature": "Colectivo (A)"},
    "typed-lines-ar-en": {"text": "الحرية للسجناء\nFree them all!", "lang": "ar"},
    "bilingual-en-ru-ar": {
        "text": "Freedom for political prisoners",
        "also": (("ru", "Свободу политзаключённым"), ("ar", "الحرية للمعتقلين السياسيين")),
    },
    "bilingual-ta-en-stack": {
        "text": CORPUS["ta"][1],
        "lang": "ta",
        "style": "stack",
        "size": "1080x1350px",
        "also": (("en", "Release all political prisoners!"),),
    },
    # Themes (themes.py), emphasis, a QR code and the painting grid.
    "theme-bars-emphasis": {
        "text": "Free *them* all\nStop torture",
        "theme": "bars",
        "signature": "Kollektiv",
    },
    "theme-band-ru": {
        "text": CORPUS["ru-demo"][1],
        "lang": "ru",
        "theme": "band",
        "size": "300x100cm",
        "signature": "Anarchist Black Cross",
    },
    "theme-diagonal-ar-qr": {
        "text": "الحرية *للمعتقلين*",
        "lang": "ar",
        "theme": "diagonal",
        "qr": "https://example.org/free",
        "qr_caption": "اقرأ المزيد",
    },
    "theme-band-qr": {
        "text": CORPUS["en"][1],
        "theme": "band",
        "size": "300x100cm",
        "qr": "https://example.org/free",
        "qr_caption": "example.org",
    },
    "theme-band-signature-qr": {
        "text": CORPUS["en"][1],
        "theme": "band",
        "signature": "Anarchist Black Cross",
        "qr": "https://example.org/free",
    },
    "theme-frame-zh": {"text": CORPUS["zh-Hans"][1], "lang": "zh-Hans", "theme": "frame"},
    "theme-outline-si-grid": {
        "text": CORPUS["si"][1],
        "lang": "si",
        "theme": "outline",
        "size": "300x100cm",
        "grid": "25cm",
    },
}


def golden_specs() -> dict[str, Spec]:
    """Every golden case by name: the corpus in both styles, then the other shapes."""
    specs = {
        f"{entry}/{style}": Spec(text=text, lang=lang, style=style)
        for entry, (lang, text) in CORPUS.items()
        for style in ("fill", "stack")
    }
    specs.update({name: Spec(**options) for name, options in OTHER_SHAPES.items()})
    return specs


def fingerprint(layout: Layout) -> dict[str, Any]:
    """What the renderers draw, rounded: a difference below it is not visible on the page."""
    unit = min(layout.page.width, layout.page.height) / GRID

    def q(value: float) -> int:
        return round(value / unit)

    def line(ln: Line) -> list[Any]:
        runs = [
            [r.text, r.font, r.index, q(r.size), r.direction, r.script, r.language]
            + [q(r.x), q(r.baseline), q(r.advance), r.accent]
            for r in ln.runs
        ]
        ink = [q(v) for v in (ln.ink.x0, ln.ink.y0, ln.ink.x1, ln.ink.y1)]
        return [ln.block, ln.text, q(ln.size), ink, runs]

    page, scene = layout.page, layout.scene
    code, grid = scene.code, scene.grid
    return {
        "scene": [
            scene.theme,
            [[[q(x), q(y)] for x, y in shape.points] + [shape.colour] for shape in scene.ground],
            [scene.text, scene.signature, scene.accent, q(scene.outline * GRID)],
            [q(v) for v in code.plate.as_list()] + [code.count, len(code.dark)] if code else None,
            [q(grid.step), grid.columns, grid.rows, grid.colour] if grid else None,
        ],
        "page": [page.name, q(page.width), q(page.height), page.native_dpi],
        "colours": [layout.fg, layout.bg],
        "lang": [layout.lang, layout.direction, layout.style],
        "lines": [line(ln) for ln in layout.lines],
        "signature": [line(ln) for ln in layout.signature],
    }


def _digest(value: Any, length: int) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:length]


@dataclass(frozen=True)
class Golden:
    """Today's layouts: one short hash per case and the hash of them all."""

    cases: dict[str, str]

    @property
    def hash(self) -> str:
        return _digest(self.cases, 16)


def current() -> Golden:
    """Plan every golden case with the engine as it is now, with its default budget (work,
    not time: the same on a loaded machine)."""
    return Golden(
        {name: _digest(fingerprint(plan(spec)), 10) for name, spec in golden_specs().items()}
    )


def toolchain() -> str:
    """The libraries that measure text: a layout can change with them and no engine change."""
    import fontTools
    import icu
    from PIL import __version__ as pillow
    from PIL import features

    return (
        f"Pillow {pillow}, FreeType {features.version('freetype2')}, "
        f"HarfBuzz {features.version('harfbuzz')}, raqm {features.version('raqm')}, "
        f"ICU {icu.ICU_VERSION}, fontTools {fontTools.version}"
    )


def recorded(path: Path = GOLDEN_FILE) -> dict[str, Any]:
    """The golden file: {"versions": {version: hash}, "latest": {version, toolchain, cases}}."""
    if not path.exists():
        return {"versions": {}, "latest": {}}
    return json.loads(path.read_text())


def next_version(version: str) -> str:
    return str(int(version) + 1) if version.isdigit() else f"{version}+1"


def mismatch(golden: Golden, data: dict[str, Any], version: str = ENGINE_VERSION) -> str | None:
    """None when `version` is recorded with today's hash, else what to do, in full sentences."""
    expected = data["versions"].get(version)
    if expected == golden.hash:
        return None
    if expected is None:
        return (
            f"ENGINE_VERSION {version!r} has no golden layout hash recorded yet.\n"
            f"Run `make golden` to record {golden.hash} for it, and commit "
            f"tests/engine/golden.json with your change."
        )
    latest = data.get("latest", {})
    lines = [
        f"The engine lays out the golden banners differently from what ENGINE_VERSION "
        f"{version!r} recorded ({expected}; now {golden.hash}).",
        "Files are served `immutable` by (spec, engine version), so a layout change needs a "
        "new version:",
        f"  1. bump ENGINE_VERSION in {INIT_FILE} to {next_version(version)!r}",
        "  2. run `make golden` and commit tests/engine/golden.json with your change.",
        "If you did not mean to change any layout, the cases below show where to look.",
    ]
    if latest.get("version") == version:
        old = latest.get("cases", {})
        changed = sorted(n for n in golden.cases if old.get(n) not in (None, golden.cases[n]))
        added = sorted(set(golden.cases) - set(old))
        removed = sorted(set(old) - set(golden.cases))
        for label, names in (("changed", changed), ("new", added), ("gone", removed)):
            if names:
                shown = ", ".join(names[:12]) + (" …" if len(names) > 12 else "")
                lines.append(f"  {label} ({len(names)}): {shown}")
        if latest.get("toolchain") != toolchain():
            lines.append(
                f"  note: version {version!r} was recorded with {latest.get('toolchain')}; "
                f"this run has {toolchain()}: a library update can move text too."
            )
    return "\n".join(lines)


def record(golden: Golden, version: str = ENGINE_VERSION, path: Path = GOLDEN_FILE) -> str:
    """Record today's hash for `version`; refuse if it holds a different one. Returns a message."""
    data = recorded(path)
    expected = data["versions"].get(version)
    if expected == golden.hash:
        return f"ENGINE_VERSION {version!r} is already recorded with {golden.hash}; nothing to do."
    if expected is not None:
        raise SystemExit(
            f"refusing: ENGINE_VERSION {version!r} is recorded with {expected}, and the "
            f"layouts now hash {golden.hash}.\nA version names one set of layouts for good: bump "
            f"ENGINE_VERSION in {INIT_FILE} to {next_version(version)!r}, then run `make golden`."
        )
    data["versions"][version] = golden.hash
    data["latest"] = {"version": version, "toolchain": toolchain(), "cases": golden.cases}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return f"recorded {golden.hash} for ENGINE_VERSION {version!r} in {path.name}"


if __name__ == "__main__":
    print(record(current()), file=sys.stderr)
