"""Languages: a BCP 47 tag → script, direction and names, from Babel's CLDR data."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from .errors import EngineError

Direction = Literal["ltr", "rtl"]

# The languages offered in the web form. Any other tag Babel knows still works in language().
SUPPORTED: tuple[str, ...] = (
    "en",
    "ru",
    "uk",
    "be",
    "el",
    "es",
    "fr",
    "de",
    "tr",
    "vi",
    "id",
    "ms",
    "fil",
    "tpi",
    "ar",
    "fa",
    "ur",
    "he",
    "hi",
    "bn",
    "ta",
    "si",
    "th",
    "lo",
    "my",
    "km",
    "ka",
    "hy",
    "am",
    "zh-Hans",
    "zh-Hant",
    "ja",
    "ko",
    "pt",
    "it",
    "pl",
    "nl",
    "ro",
    "cs",
    "sr-Latn",
    "sr-Cyrl",
    "kk",
    "ky",
    "uz",
    "az",
    "sw",
    "ne",
    "mr",
    "ps",
)

# Han-based writing systems share one script for font coverage; the variant (Hans, Hant,
# Jpan, Kore) still picks the regional glyph forms. Korean text is mostly Hangul.
_FONT_SCRIPT = {"Hans": "Hani", "Hant": "Hani", "Hanb": "Hani", "Jpan": "Hani", "Kore": "Hang"}

_RTL_SCRIPTS = frozenset(
    {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr", "Mend", "Yezi"}
)


@dataclass(frozen=True)
class _Override:
    script: str
    direction: Direction
    native_name: str
    english_name: str


# Languages our Babel/CLDR may not know (Tok Pisin arrived in CLDR only recently).
_OVERRIDES = {
    "tpi": _Override("Latn", "ltr", "Tok Pisin", "Tok Pisin"),
    "bi": _Override("Latn", "ltr", "Bislama", "Bislama"),
    "tet": _Override("Latn", "ltr", "Tetun", "Tetum"),
    "hif": _Override("Latn", "ltr", "Fiji Baat", "Fiji Hindi"),
    "crh": _Override("Latn", "ltr", "qırımtatar tili", "Crimean Tatar"),
}


@dataclass(frozen=True)
class Language:
    """A language as the engine needs it: script for fonts, direction, names for people."""

    tag: str  # normalised BCP 47 tag as given: "zh-Hant", "sr-Latn", "tl"
    script: str  # ISO 15924 for font coverage: "Cyrl", "Arab", "Hani", "Hang"
    script_variant: str  # the CLDR script: "Hans", "Hant", "Jpan", "Kore"; else == script
    direction: Direction
    native_name: str  # "русский", "العربية", "中文 (繁體)"
    english_name: str  # "Russian", "Arabic", "Chinese (Traditional)"
    code: str  # ISO 639 language alone, aliases resolved: "fil" for "tl"
    region: str | None = None  # "HK" in "zh-HK", "TW" in "zh-TW"


def _unknown(tag: object) -> EngineError:
    return EngineError("unknown_language", value=tag)


# The supported languages, computed from Babel once and stored: loading CLDR data costs
# more than the rest of `poster render` start-up. A test keeps the table equal to Babel.
TABLE = Path(__file__).with_name("languages.json")


@lru_cache(maxsize=1)
def _table() -> dict[str, dict]:
    try:
        return json.loads(TABLE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _normalise(tag: str) -> tuple[str, str | None, str | None, str | None]:
    """Split a tag into (language, script, region, variant), rejecting what is ill-formed."""
    from babel import Locale
    from babel.core import parse_locale

    parts = parse_locale(tag.strip().replace("_", "-"), sep="-")
    lang, region, script, variant = parts[:4]
    if len(parts) > 4 and parts[4]:  # a "@modifier" is not BCP 47
        raise ValueError(tag)
    if not 2 <= len(lang) <= 3 or lang in ("und", "root"):
        raise ValueError(tag)
    english = Locale("en")
    if region is not None and (region == "ZZ" or region not in english.territories):
        raise ValueError(tag)
    if script is not None and script not in english.scripts:
        raise ValueError(tag)
    return lang, script, region, variant.lower() if variant else None


def _likely_script(lang: str, region: str | None) -> str | None:
    from babel.core import get_global, parse_locale

    likely = get_global("likely_subtags")
    for key in (f"{lang}_{region}" if region else None, lang):
        if key and key in likely:
            return parse_locale(likely[key])[2]
    return None


@lru_cache(maxsize=512)
def language(tag: str) -> Language:
    """Return the Language for a BCP 47 tag such as 'ru', 'zh_Hant' or 'sr-Latn'."""
    if not isinstance(tag, str):
        raise _unknown(tag)
    stored = _table().get(tag.strip().replace("_", "-"))
    if stored is not None:
        return Language(**stored)
    return _from_babel(tag)


def _from_babel(tag: str) -> Language:
    from babel import Locale, UnknownLocaleError

    try:
        lang, script, region, variant = _normalise(tag)
    except ValueError:
        raise _unknown(tag) from None
    normalised = "-".join(p for p in (lang, script, region, variant) if p)
    try:
        locale = Locale.parse(normalised, sep="-")
    except (UnknownLocaleError, ValueError):
        override = _OVERRIDES.get(lang)
        if override is None:
            raise _unknown(tag) from None
        written = script or override.script
        return Language(
            tag=normalised,
            script=_FONT_SCRIPT.get(written, written),
            script_variant=written,
            direction="rtl" if written in _RTL_SCRIPTS else override.direction,
            native_name=override.native_name,
            english_name=override.english_name,
            code=lang,
            region=region,
        )
    written = script or locale.script or _likely_script(locale.language, locale.territory) or "Zyyy"
    if script and script != (locale.script or _likely_script(locale.language, None)):
        # "ru-Latn", "ar-Latn": Babel drops the script, so the script sets the direction.
        direction: Direction = "rtl" if script in _RTL_SCRIPTS else "ltr"
    else:
        direction = "rtl" if locale.text_direction == "rtl" else "ltr"
    named = _naming_locale(locale, region)
    return Language(
        tag=normalised,
        script=_FONT_SCRIPT.get(written, written),
        script_variant=written,
        direction=direction,
        native_name=named.display_name or normalised,
        english_name=named.get_display_name("en") or normalised,
        code=locale.language,
        region=region,
    )


def _naming_locale(locale, region: str | None):
    """Name what was asked for: Babel turns 'tl' into fil_PH, we want plain 'Filipino'."""
    from babel import Locale, UnknownLocaleError

    if region or not locale.territory:
        return locale
    try:
        return Locale(locale.language, script=locale.script, variant=locale.variant)
    except UnknownLocaleError:
        return locale


def supported_languages() -> list[Language]:
    """Return the languages offered in the web form, sorted by English name."""
    return sorted((language(tag) for tag in SUPPORTED), key=lambda lang: lang.english_name)


def shaper_language(tag: str) -> str:
    """Return the language tag to give HarfBuzz/raqm for text in this language."""
    return language(tag).tag


def rebuild_table() -> Path:
    """Write languages.json from Babel for the supported tags."""
    table = {tag: asdict(_from_babel(tag)) for tag in SUPPORTED}
    TABLE.write_text(
        json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return TABLE


if __name__ == "__main__":  # python -m poster_app.layout.languages --rebuild
    if sys.argv[1:] == ["--rebuild"]:
        print(rebuild_table())
