"""Pillow font objects, loaded once per (file, face, size), and the raqm start-up check."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont, features

FONTS_DIR = Path(
    os.environ.get("POSTER_FONTS_DIR") or Path(__file__).resolve().parents[2] / "fonts"
)


class MissingRaqm(RuntimeError):
    pass


@lru_cache(maxsize=1)
def require_raqm() -> None:
    """Stop unless Pillow can shape text: unshaped Arabic or Sinhala is wrong text on a banner."""
    if not features.check("raqm"):
        raise MissingRaqm(
            "Pillow cannot shape text: its raqm layout (HarfBuzz + FriBiDi) is unavailable. "
            "Install the system library libfribidi0 (Debian/Ubuntu: apt-get install libfribidi0) "
            "and, if Pillow was built from source, libraqm-dev before building it."
        )


def font_path(file: str) -> str:
    return str(FONTS_DIR / file)


@lru_cache(maxsize=256)
def pil_font(file: str, index: int, size_px: float) -> ImageFont.FreeTypeFont:
    """A shaping-capable Pillow font at `size_px` pixels (fractional sizes are kept)."""
    require_raqm()
    return ImageFont.truetype(
        font_path(file), size=size_px, index=index, layout_engine=ImageFont.Layout.RAQM
    )
