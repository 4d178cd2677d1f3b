"""The layout as plain JSON: what `poster render --json` prints and tests compare."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .geometry import PT_PER_MM, Layout, Line


def layout_json(layout: Layout, dpi: float, missing: Sequence[str] = ()) -> dict[str, Any]:
    """Page size in px and mm, every line with its runs and ink box (in px at `dpi`)."""
    k = dpi / 72
    page = layout.page
    return {
        "page": {
            "name": page.name,
            "dpi": dpi,
            "px": [round(page.width * k), round(page.height * k)],
            "mm": [round(page.width / PT_PER_MM, 1), round(page.height / PT_PER_MM, 1)],
        },
        "lang": layout.lang,
        "direction": layout.direction,
        "style": layout.style,
        "box": layout.box.as_list(k, 1),
        "lines": [_line(line, k) for line in layout.lines],
        "signature": [_line(line, k) for line in layout.signature],
        "ink": layout.ink.as_list(k, 1) if layout.lines else None,
        "theme": layout.scene.theme,
        "image": layout.scene.picture.box.as_list(k, 1) if layout.scene.picture else None,
        "qr": layout.scene.code.plate.as_list(k, 1) if layout.scene.code else None,
        "missing": [f"U+{ord(ch):04X}" for ch in missing],
    }


def missing_json(missing: list[str]) -> dict[str, Any]:
    return {"lines": [], "missing": [f"U+{ord(ch):04X}" for ch in missing]}


def _line(line: Line, k: float) -> dict[str, Any]:
    return {
        "text": line.text,
        "block": line.block,
        "size": round(line.size * k, 2),
        "ink": line.ink.as_list(k, 1),
        "runs": [
            {
                "text": r.text,
                "font": r.font,
                "size": round(r.size * k, 2),
                "direction": r.direction,
                "accent": r.accent,
                "script": r.script,
                "x": round(r.x * k, 1),
                "baseline": round(r.baseline * k, 1),
            }
            for r in line.runs
        ],
    }
