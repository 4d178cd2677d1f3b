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
    """Pick the UI language: the switcher's cookie first, then the browser's languages in
    their order ('si-LK' finds 'si' before a later 'en': werkzeug's best_match would prefer
    any exact match, however far down the list)."""
    return chosen_ui_language() or accepted_ui_language() or "en"


def accepted_ui_language() -> str | None:
    languages = current_app.config["LANGUAGES"]
    for value, _quality in request.accept_languages:
        tag = value.replace("_", "-").lower()
        for code in (tag, tag.split("-")[0]):
            if code in languages:
                return code
    return None


def text_direction() -> str:
    """Return 'rtl' or 'ltr' for the current UI language, for <html dir>."""
    return "rtl" if Locale.parse(str(babel_locale())).character_order == "right-to-left" else "ltr"
