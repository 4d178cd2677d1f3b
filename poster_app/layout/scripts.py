"""The script a run of text is written in (ISO 15924), for the PDF shaper."""

from __future__ import annotations

from functools import lru_cache

NEUTRAL_SCRIPTS = {"Zyyy", "Zinh", "Zzzz"}


@lru_cache(maxsize=4096)
def script_of(text: str, face) -> str:
    """The first specific script in `text`, else the face's own first script."""
    from fontTools.unicodedata import script

    for ch in text:
        sc = script(ch)
        if sc not in NEUTRAL_SCRIPTS:
            return sc
    return face.scripts[0] if face.scripts else "Zyyy"
