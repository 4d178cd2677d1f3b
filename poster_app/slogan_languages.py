"""Finding the slogan's language: from the letters typed, the browser's languages, or a name.

The facts come from the engine (`layout.language`: each language's script, its code) and from
CLDR through Babel (the likeliest language of a script, names in every language). What this
module adds is only what neither holds: which scripts make up Japanese and Korean writing,
and the names people use that CLDR does not ("Farsi", "Bahasa", "Pidgin"). Pure Python.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale

from .layout import language, supported_languages

# ISO 15924 writing systems made of several Unicode scripts (Japanese mixes Han with kana).
_WRITTEN_WITH = {"Jpan": ("Hani", "Hira", "Kana"), "Kore": ("Hang", "Hani")}

# Names people use for a language that CLDR does not give (English and a few others).
ALIASES: dict[str, tuple[str, ...]] = {
    "fa": ("Farsi", "фарси"),
    "si": ("Sinhalese", "Singhalese"),
    "zh-Hans": ("Mandarin", "Putonghua", "Chinese"),
    "zh-Hant": ("Cantonese", "Mandarin", "Chinese"),
    "id": ("Bahasa", "Bahasa Indonesia"),
    "ms": ("Bahasa", "Bahasa Melayu", "Bahasa Malaysia"),
    "tpi": ("Pidgin", "Neo-Melanesian"),
    "my": ("Myanmar",),
    "fil": ("Tagalog", "Pilipino"),
    "bn": ("Bengali",),
    "km": ("Cambodian",),
    "lo": ("Laotian",),
    "ky": ("Kirghiz",),
    "az": ("Azeri",),
    "sw": ("Kiswahili",),
    "ps": ("Pushto",),
}
_WORD = re.compile(r"[\s\-‐–—/(),（）、·]+")


def scripts_of(tag: str) -> tuple[str, ...]:
    """The Unicode scripts a language is written in: 'ru' → ('Cyrl',), 'ja' → Han and kana."""
    lang = language(tag)
    return _WRITTEN_WITH.get(lang.script_variant, (lang.script,))


def _likeliest(script: str) -> str | None:
    """The supported language CLDR finds likeliest for a script (Cyrillic → 'ru').

    CLDR's likely subtags are whole canonical tags ('ru_Cyrl_RU'): their language and script
    are read as they stand, as `language()` would read them, without loading that locale's
    data (which `language()` does for a tag outside its table: 0.175 s of CPU for the 20
    scripts, in every server's warm-up)."""
    likely = get_global("likely_subtags").get(f"und_{script}") or get_global("likely_subtags").get(
        "und"
    )
    if not likely:
        return None
    code, _region, written = parse_locale(likely)[:3]
    return _offered(code, written)


@lru_cache(maxsize=1)
def script_table() -> dict[str, list[str]]:
    """Unicode script → the supported languages written in it, the likeliest first, for the
    browser to guess the slogan's language from its letters ({'Sinh': ['si'], …})."""
    table: dict[str, list[str]] = {}
    for lang in supported_languages():  # by English name
        for script in scripts_of(lang.tag):
            table.setdefault(script, []).append(lang.tag)
    for script, tags in table.items():
        first = _likeliest(script)
        if first in tags:
            tags.remove(first)
            tags.insert(0, first)
    return table


def supported_tag(value: str) -> str | None:
    """The offered language a browser's tag means: 'si-LK' → 'si', 'zh-TW' → 'zh-Hant',
    'sr-RS' → 'sr-Cyrl', 'tl' → 'fil'; None for one the form doesn't offer."""
    try:
        wanted = language(value)
    except ValueError:
        return None
    return _offered(wanted.code, wanted.script_variant)


def _offered(code: str, script_variant: str | None) -> str | None:
    """The offered language with this code, in this script if one is (else the first)."""
    same = [lang for lang in supported_languages() if lang.code == code]
    for lang in same:
        if lang.script_variant == script_variant:
            return lang.tag
    return same[0].tag if same else None


def default_language(accepted: list[str], chosen_ui: str | None = None) -> str:
    """The slogan language to preselect: the interface language the person chose, else the
    first of the browser's languages (Accept-Language, best first) that the form offers, even
    one the interface has no catalog for; else English."""
    for value in ([chosen_ui] if chosen_ui else []) + list(accepted):
        tag = supported_tag(value)
        if tag:
            return tag
    return "en"


def fold(text: str) -> str:
    """Text as the search compares it: lower case, Latin accents dropped ('Español' → 'espanol')."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue  # an accent on a Latin letter; marks of other scripts are letters' parts
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def display_name(tag: str, ui_locale: str) -> str | None:
    """The language's name in the interface language (CLDR), or None if CLDR has none."""
    try:
        name = Locale.parse(tag, sep="-").get_display_name(ui_locale)
    except (UnknownLocaleError, ValueError):
        return None
    return name or None


def search_names(tag: str, ui_locale: str) -> tuple[list[str], list[str]]:
    """The names a language is found by, folded: its names (its own first, then in the
    interface language and in English) and the names people use (aliases)."""
    lang = language(tag)
    names = _unique([lang.native_name, display_name(tag, ui_locale), lang.english_name])
    aliases = [alias for alias in _unique(ALIASES.get(tag, ())) if alias not in names]
    return names, aliases


def _unique(names) -> list[str]:
    folded: list[str] = []
    for name in names:
        if name and fold(name) not in folded:
            folded.append(fold(name))
    return folded


def rank(query: str, names: list[str], aliases: list[str]) -> int | None:
    """How well a query finds a language (lower is better): 0 its own name starts with it
    (a speaker types their language's name: 'ру' → русский before румынский), 1 another of
    its names does, 2 an alias does, 3 a word inside a name or alias does; None: no match."""
    q = fold(query).strip()
    if not q:
        return None
    for score, group in enumerate((names[:1], names[1:], aliases)):
        if any(name.startswith(q) for name in group):
            return score
    if any(word.startswith(q) for name in names + aliases for word in _WORD.split(name)):
        return 3
    return None


def search(query: str, ui_locale: str) -> list[str]:
    """The supported languages a query finds, best first ('ру' → Русский, never Беларуская)."""
    found = []
    for position, lang in enumerate(supported_languages()):
        score = rank(query, *search_names(lang.tag, ui_locale))
        if score is not None:
            found.append((score, position, lang.tag))
    return [tag for _score, _position, tag in sorted(found)]
