"""Download names people can read: `svobodu-anarkhistam-ru-a3.pdf`.

Cyrillic and Greek are transliterated with a small table; Latin loses its accents; text in
other scripts has no agreed romanisation here, so its name falls back to the banner's id.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўђјљњћџ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
            "u",
            "dj",
            "j",
            "lj",
            "nj",
            "c",
            "dz",
        ],
        strict=True,
    )
)
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "y",
            "f",
            "ch",
            "ps",
            "o",
        ],
        strict=True,
    )
)
_TABLE = {**_CYRILLIC, **_GREEK}
MAX_SLUG = 48


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-', or '' when the text has no romanisable letters."""
    out = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        latin = _romanise(ch)
        if latin is None:  # a letter we cannot romanise: a partial name would mislead
            return ""
        out.append(latin)
    words = "".join(out).split()
    return "-".join(words)[:MAX_SLUG].strip("-")


def _romanise(ch: str) -> str | None:
    """ASCII for one character: '' for signs, ' ' between words, None if it has no romanisation."""
    if ch in _TABLE:
        return _TABLE[ch].replace("-", "")
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    base = _TABLE.get(base, base).replace("-", "")
    if base.isascii() and base.isalnum():
        return base
    return None if ch.isalnum() else " "


def download_name(
    banner_id: str, text: str, lang: str, size: str, ext: str, dpi: int | None = None
) -> str:
    """The file name for a download: slogan slug, language, size (and dpi), extension."""
    parts = [slug(text) or banner_id, lang.lower(), re.sub(r"[^a-z0-9.-]+", "-", size.lower())]
    if dpi:
        parts.append(f"{dpi}dpi")
    return "-".join(parts) + "." + ext
