"""Dates, country names and file sizes in the UI language, with Babel, and slogans as the banner
shows them (as template filters)."""

from __future__ import annotations

import functools
from datetime import date

from babel import Locale
from babel.dates import format_date, format_skeleton
from flask import Flask
from flask_babel import format_decimal, get_locale

from ..layout import plain


def init_app(app: Flask) -> None:
    """Offer the formatting to templates: `|action_date`, `|country_name`, `|place_line`,
    `|megabytes`, and `|plain`: a slogan without its `*emphasis*` marks, as the banner shows it
    (every page, title, alt text and feed that shows a slogan as text uses it)."""
    app.add_template_filter(action_date, "action_date")
    app.add_template_filter(country_name, "country_name")
    app.add_template_filter(place_line, "place_line")
    app.add_template_filter(megabytes, "megabytes")
    app.add_template_filter(plain, "plain")


def megabytes(size: int) -> str:
    """A byte count in MB as people read it: '0.4', '12', '1,200' (at least '0.1')."""
    mb = max(size / 1e6, 0.1)
    return format_decimal(mb, "#,##0.#" if mb < 10 else "#,##0")


def ui_locale() -> str:
    return str(get_locale() or "en")


def action_date(action, locale: str | None = None) -> str:
    """'15 февраля 2020 г.' for a day; 'февраль 2020 г.' for a month (standalone month name)."""
    return _date_text(action.year, action.month, action.day, locale or ui_locale())


@functools.lru_cache(maxsize=4096)
def _date_text(year: int, month: int, day: int | None, locale: str) -> str:
    if day:
        return format_date(date(year, month, day), "long", locale=locale)
    return format_skeleton("yMMMM", date(year, month, 1), locale=locale)


@functools.cache
def countries(locale: str) -> tuple[tuple[str, str], ...]:
    """(ISO code, name) of every country, named and sorted in the locale."""
    names = Locale.parse(locale).territories
    pairs = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


# Regions and placeholders that CLDR lists beside the countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK"} - {"XK"}


def country_name(code: str, locale: str | None = None) -> str:
    if not code:
        return ""
    return Locale.parse(locale or ui_locale()).territories.get(code, code)


def place_line(action) -> str:
    """'Kuala Lumpur, Malaysia'; the country once when the place is the country."""
    country = country_name(action.country)
    parts = [action.place] if action.place else []
    if country and country.casefold() not in (action.place or "").casefold():
        parts.append(country)
    return ", ".join(parts)
