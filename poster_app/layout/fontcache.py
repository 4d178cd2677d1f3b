"""Pillow font objects, loaded once per (file, face, size), the raqm start-up check, and the
folder the fonts are read from."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont, features

FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"  # the bundled fonts
_folder = [FONTS_DIR]


def fonts_dir() -> Path:
    """Where the fonts, their manifest and coverage are read from (FONTS_DIR unless the app
    or the command line chose another folder: settings.configure)."""
    return _folder[0]


def use_fonts_dir(path: str | Path | None) -> bool:
    """Read the fonts from `path` (None: the bundled folder); True if that changed it."""
    folder = Path(path) if path else FONTS_DIR
    if folder == _folder[0]:
        return False
    _folder[0] = folder
    pil_font.cache_clear()
    return True


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
    return str(fonts_dir() / file)


@lru_cache(maxsize=256)
def pil_font(file: str, index: int, size_px: float) -> ImageFont.FreeTypeFont:
    """A shaping-capable Pillow font at `size_px` pixels (fractional sizes are kept)."""
    require_raqm()
    return ImageFont.truetype(
        font_path(file), size=size_px, index=index, layout_engine=ImageFont.Layout.RAQM
    )
