"""Typographic punctuation for a language, for slogans typed on a plain keyboard.

Off by default (Spec.smart_punctuation): what the person typed is what the banner says. When
asked for: straight quotes become the language's quotation marks ("…" → «…» in Russian,
„…“ in German, “…” in English), the apostrophe becomes ’ (ʼ in Ukrainian and Belarusian,
where it is a letter), three dots an ellipsis, and a hyphen between spaces a dash.
"""

from __future__ import annotations

import re

from .languages import Language

# language code → (opening, closing) double quotation marks
_QUOTES = {
    **dict.fromkeys(("ru", "uk", "be", "kk", "ky", "uz", "es", "pt", "it", "el", "tr"), "«»"),
    **dict.fromkeys(("de", "cs", "sk", "sl", "lt", "is", "ka"), "„“"),
    **dict.fromkeys(("pl", "ro", "hu", "hr", "sr", "bg", "nl"), "„”"),
    **dict.fromkeys(("fr",), "«»"),
    **dict.fromkeys(("ja",), "「」"),
    **dict.fromkeys(("he",), "”“"),
    **dict.fromkeys(("da", "sv", "fi", "nb", "no"), "””"),
}
_LETTER_APOSTROPHE = {"uk": "\u02bc", "be": "\u02bc"}  # ʼ: part of the word, not a quote
_EM_DASH = frozenset({"ru", "uk", "be", "fr", "es", "pt", "it", "pl", "el", "tr"})
_FRENCH_SPACE = "\u202f"  # narrow no-break space inside « » and before ; : ! ?


def smarten(text: str, lang: Language) -> str:
    """The text with typographic quotes, apostrophes, ellipses and dashes for `lang`."""
    code = lang.code
    opening, closing = tuple(_QUOTES.get(code, "“”"))
    if code == "zh" and lang.script_variant == "Hant":
        opening, closing = "「", "」"
    text = _pair_quotes(text, opening, closing)
    apostrophe = _LETTER_APOSTROPHE.get(code, "\u2019")
    text = re.sub(r"(?<=\w)'(?=\w)", apostrophe, text)
    text = re.sub(r"(?<=\w)'", "\u2019", text)  # a closing single quote or an elision
    text = text.replace("...", "\u2026")
    dash = "\u2014" if code in _EM_DASH else "\u2013"
    text = re.sub(r"(?<=\S) -{1,2} (?=\S)", f" {dash} ", text)
    if code == "fr":
        text = re.sub(r"\s*([;:!?])", rf"{_FRENCH_SPACE}\1", text)
        text = text.replace("« ", "«").replace(" »", "»")
        text = text.replace("«", f"«{_FRENCH_SPACE}").replace("»", f"{_FRENCH_SPACE}»")
    return text


def _pair_quotes(text: str, opening: str, closing: str) -> str:
    """Straight double quotes, alternately opening and closing, line by line."""
    out = []
    for line in text.split("\n"):
        parts = line.split('"')
        if len(parts) % 2 == 0:  # an odd number of quotes: leave the line as typed
            out.append(line)
            continue
        out.append(
            "".join(
                part + (opening if k % 2 == 0 else closing) if k < len(parts) - 1 else part
                for k, part in enumerate(parts)
            )
        )
    return "\n".join(out)
