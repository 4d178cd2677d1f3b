"""The script a character or a run of text is written in (ISO 15924 codes, from ICU)."""

from __future__ import annotations

from functools import lru_cache

import icu

NEUTRAL_SCRIPTS = {"Zyyy", "Zinh", "Zzzz"}


@lru_cache(maxsize=4096)
def script(char: str) -> str:
    """'Latn', 'Arab', 'Hani'…; 'Zyyy' for common and 'Zinh' for inherited characters."""
    return icu.Script.getScript(ord(char)).getShortName()


@lru_cache(maxsize=4096)
def script_of(text: str, face) -> str:
    """The first specific script in `text`, else the face's own first script."""
    for ch in text:
        sc = script(ch)
        if sc not in NEUTRAL_SCRIPTS:
            return sc
    return face.scripts[0] if face.scripts else "Zyyy"
