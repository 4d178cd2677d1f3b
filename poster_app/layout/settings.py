"""Where the engine reads its fonts and keeps its caches: chosen by the app and the command
line from config.py (the engine itself reads no environment)."""

from __future__ import annotations

from pathlib import Path

from . import fontcache, fonts, hyphenate


def configure(fonts_dir: str | Path | None = None, cache_dir: str | Path | None = None) -> None:
    """Read the fonts from `fonts_dir` (None: the bundled `fonts/`), and keep parsed
    hyphenation patterns in `cache_dir` between processes (None: parse them in each)."""
    if fontcache.use_fonts_dir(fonts_dir):
        fonts.forget()
    hyphenate.use_cache_dir(cache_dir)
