"""The UI language: from a remembered choice (cookie), else Accept-Language; and the switcher."""

from __future__ import annotations

from babel import Locale
from flask import Blueprint, abort, current_app, redirect, request
from flask_babel import get_locale as babel_locale

from .responses import ONE_YEAR, local_url

bp = Blueprint("i18n", __name__)
COOKIE = "ui_lang"


def get_locale() -> str:
    """Pick the UI language: the switcher's cookie first, then the browser's preference."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(COOKIE)
    if chosen and chosen in languages:
        return chosen
    return str(request.accept_languages.best_match(list(languages)) or "en")


def text_direction() -> str:
    """Return 'rtl' or 'ltr' for the current UI language, for <html dir>."""
    return "rtl" if Locale.parse(str(babel_locale())).character_order == "right-to-left" else "ltr"


@bp.get("/ui-language/<code>")
def set_language(code: str):
    """Remember the chosen UI language and go back to the page the person was on."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(local_url(request.args.get("next")), 303)
    response.set_cookie(
        COOKIE, code, max_age=ONE_YEAR, samesite="Lax", httponly=True, secure=request.is_secure
    )
    return response


@bp.app_context_processor
def inject_i18n():
    return {
        "ui_languages": current_app.config["LANGUAGES"],
        "ui_locale": str(babel_locale()),
        "ui_dir": text_direction(),
    }
