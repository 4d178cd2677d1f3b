"""What the pages call languages and sizes: 'Русский — Russian', 'A3 (297 × 420 mm)'."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..layout import describe_size
from ..slogan_languages import display_name, fold
from .formatting import ui_locale
from .ui_language import text_direction

# The kinds of size with a word of their own (layout.pages.SizeName.kind).
_SIZE_WORDS = {
    "square": (_l("Square image"), "Square image"),
    "portrait": (_l("Portrait image"), "Portrait image"),
    "story": (_l("Story image"), "Story image"),
    "wide": (_l("Wide image"), "Wide image"),
    "banner": (_l("Cloth banner"), "Cloth banner"),
}
_US_NAMES = {"letter": "US Letter", "legal": "US Legal", "tabloid": "Tabloid"}
# Units and type families in words of the interface language (the engine names them in English).
UNIT_WORDS = {"mm": _l("mm"), "cm": _l("cm"), "in": _l("in"), "px": _l("px")}
FAMILY_WORDS = {"sans": _l("Sans"), "condensed": _l("Condensed"), "serif": _l("Serif")}
# The engine's themes (layout/themes.py), as the form names and describes them.
THEME_WORDS = {
    "plain": (_l("Plain"), _l("The slogan on a plain ground")),
    "outline": (
        _l("Outline"),
        _l("Outlined letters, little ink: to trace, paint or print at home"),
    ),
    "bars": (_l("Bars"), _l("Each line on a solid bar")),
    "diagonal": (_l("Diagonal"), _l("A ground split corner to corner, black and red")),
    "frame": (_l("Frame"), _l("A heavy border, the text kept clear of it")),
    "band": (_l("Band"), _l("A band of colour behind the text")),
}


def family_label(family: str, english_label: str = "") -> str:
    """'Sans' in the interface language; the engine's label for a family without a word."""
    return str(FAMILY_WORDS[family]) if family in FAMILY_WORDS else english_label or family


def theme_label(theme: str) -> str:
    """'Bars' in the interface language; the engine's name for a theme without a word."""
    return str(THEME_WORDS[theme][0]) if theme in THEME_WORDS else theme


def colours_label(fg: str, bg: str) -> str:
    """'White on red' for a preset's colours; else the two colours as they are written."""
    from .colours import PRESETS

    for label, preset_fg, preset_bg in PRESETS.values():
        if (preset_fg, preset_bg) == (fg.lower(), bg.lower()):
            return str(label)
    return _("%(fg)s on %(bg)s", fg=fg, bg=bg)


def capitalised(name: str) -> str:
    """A name capitalised as a list item: 'русский' → 'Русский'. Georgian stays as it is:
    its capitals (Mtavruli) are for all-capital titles, never an initial ('ქართული')."""
    first = name[:1]
    if "\u10d0" <= first <= "\u10ff":  # Georgian Mkhedruli
        return name
    return first.upper() + name[1:]


def native_name(lang) -> str:
    """The language's own name, capitalised as a list item ('русский' → 'Русский')."""
    return capitalised(lang.native_name or lang.english_name)


def ui_name(lang, locale: str | None = None) -> str:
    """The language's name in the interface language ('Russian', 'русский', 'ruso')."""
    return display_name(lang.tag, locale or ui_locale()) or lang.english_name


def language_label(lang, tag: str = "", locale: str | None = None) -> str:
    """'Русский — Russian' (its own name, then its name in the interface language), or one
    name when the two agree ('English' in English, 'Русский' in Russian); the tag alone for a
    language the engine doesn't know (`lang` None)."""
    if lang is None:
        return tag
    native, name = native_name(lang), ui_name(lang, locale)
    return native if fold(native) == fold(name) else f"{native} — {name}"


def campaign_banner_label(lang, size: str) -> str:
    """'Французский (fr) - A6 (105 × 148 мм)': a campaign's banner as its page lists it, in the
    interface language (its row keeps the English, for the contact sheet and the API)."""
    return f"{capitalised(ui_name(lang))} ({lang.tag}) - {size_label(size)}"


def size_label(name: str, english: bool = False) -> str:
    """'a3' → 'A3 (297 × 420 mm)', 'banner-300x100cm' → 'Cloth banner (300 × 100 cm)',
    'square-1080px' → 'Square image (1080 × 1080 px)' (the words and numbers as the interface
    language writes them unless `english`: the contact sheet's font has Latin letters only)."""
    size = describe_size(name)
    if size is None:
        return name
    sides = f"{size.width} × {size.height} {size.unit}" if english else _sides(size)
    if size.kind == "a":
        return f"{name.upper()} ({sides})"
    if size.kind == "us":
        return f"{_US_NAMES[name.strip().lower()]} ({sides})"
    words = _SIZE_WORDS.get(size.kind)
    if words is None:
        return sides
    return f"{words[1] if english else words[0]} ({sides})"


def _sides(size) -> str:
    """'105 × 148 mm' in the interface language ('8,5 × 11 дюйм.'). In a right-to-left one the
    sides are isolated right to left: a Latin name before them ('A6', a language tag) would
    take the numbers into its left-to-right run, and '105 × 148' would read 148 first."""
    width, height = (
        format_decimal(Decimal(side), "0", locale=ui_locale(), decimal_quantization=False)
        for side in (size.width, size.height)
    )
    sides = f"{width} × {height} {UNIT_WORDS.get(size.unit, size.unit)}"
    return f"\u2067{sides}\u2069" if text_direction() == "rtl" else sides
