"""The interface language: a remembered choice (cookie), else the browser's Accept-Language."""

from __future__ import annotations

from babel import Locale
from flask import current_app, request
from flask_babel import get_locale as babel_locale

COOKIE = "ui_lang"


def chosen_ui_language() -> str | None:
    """The interface language the person picked in the switcher, if they did."""
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in current_app.config["LANGUAGES"] else None


def get_locale() -> str:
    """Pick the UI language: the switcher's cookie first, then the browser's preference."""
    languages = current_app.config["LANGUAGES"]
    return chosen_ui_language() or request.accept_languages.best_match(list(languages)) or "en"


def text_direction() -> str:
    """Return 'rtl' or 'ltr' for the current UI language, for <html dir>."""
    return "rtl" if Locale.parse(str(babel_locale())).character_order == "right-to-left" else "ltr"
