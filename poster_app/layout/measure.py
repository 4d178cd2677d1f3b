"""Shaped measurements at one reference size; everything else scales them linearly.

Measuring at a large size keeps hinting's rounding negligible, and one font object per face
serves every size the fitter tries.
"""

from __future__ import annotations

from functools import lru_cache

from .fontcache import pil_font
from .geometry import Box

REF = 200.0  # pixels per em at which every measurement is taken


@lru_cache(maxsize=8192)
def advance(file: str, index: int, text: str, direction: str, language: str) -> float:
    """Advance width of shaped `text` at REF."""
    if not text:
        return 0.0
    return pil_font(file, index, REF).getlength(text, direction=direction, language=language)


@lru_cache(maxsize=8192)
def ink(file: str, index: int, text: str, direction: str, language: str) -> Box | None:
    """Ink box of shaped `text` at REF, relative to its left edge on the baseline (y down)."""
    if not text.strip():
        return None
    x0, y0, x1, y1 = pil_font(file, index, REF).getbbox(
        text, anchor="ls", direction=direction, language=language)
    if x1 <= x0 or y1 <= y0:
        return None
    return Box(x0, y0, x1, y1)
