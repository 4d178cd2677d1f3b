"""Shaped measurements at one reference size; everything else scales them linearly.

Measuring at a large size keeps hinting's rounding negligible, and one font object per face
serves every size the fitter tries.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .fontcache import pil_font
from .geometry import Box

REF = 200.0  # pixels per em at which every measurement is taken
# Ink measured in whole pixels at REF is off by up to a pixel, which grows with the size it
# is scaled to (3 px at 300 DPI on a big line): pad it so the real ink is always inside.
INK_PAD = 1.0
EXACT_WIDTH = 2400  # pixels: the widest raster an exact ink box is measured on


@lru_cache(maxsize=8192)
def advance(file: str, index: int, text: str, direction: str, language: str) -> float:
    """Advance width of shaped `text` at REF."""
    if not text:
        return 0.0
    return pil_font(file, index, REF).getlength(text, direction=direction, language=language)


@lru_cache(maxsize=8192)
def ink(
    file: str, index: int, text: str, direction: str, language: str, exact: bool = False
) -> Box | None:
    """Ink box of shaped `text` at REF, relative to its left edge on the baseline (y down).

    Pillow's getbbox is the real ink vertically but spans the advance box horizontally;
    `exact` rasterises the text to find the horizontal ink too (side bearings of Ⓐ are 8 %).
    """
    if not text.strip():
        return None
    font = pil_font(file, index, REF)
    options: dict[str, Any] = {"anchor": "ls", "direction": direction, "language": language}
    if exact:
        # A long line is rasterised smaller (at most EXACT_WIDTH px wide): rasterising costs
        # in proportion to the area, and its ends' side bearings need no more precision.
        k = min(1.0, EXACT_WIDTH / max(font.getlength(text, direction=direction), 1.0))
        small = font if k == 1.0 else pil_font(file, index, round(REF * k, 1))
        k = small.size / REF
        mask, (dx, dy) = small.getmask2(text, mode="L", **options)
        bbox = mask.getbbox()
        if bbox is None:
            return None
        x0, y0, x1, y1 = ((v + d) / k for v, d in zip(bbox, (dx, dy, dx, dy), strict=True))
        pad = INK_PAD / k
        return Box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    x0, y0, x1, y1 = font.getbbox(text, **options)
    if x1 <= x0 or y1 <= y0:
        return None
    return Box(x0 - INK_PAD, y0 - INK_PAD, x1 + INK_PAD, y1 + INK_PAD)


@lru_cache(maxsize=8192)
def vertical_ink(
    file: str, index: int, text: str, direction: str, language: str
) -> tuple[float, float] | None:
    """Top and bottom of shaped `text`'s ink at REF, relative to the baseline (y down)."""
    if not text.strip():
        return None
    font = pil_font(file, index, REF)
    _, y0, _, y1 = font.getbbox(text, anchor="ls", direction=direction, language=language)
    if y1 <= y0:
        return None
    return y0 - INK_PAD, y1 + INK_PAD
