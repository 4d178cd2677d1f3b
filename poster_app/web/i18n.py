"""The UI language switcher (the language itself is picked in ui_language.py)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request
from flask_babel import get_locale as babel_locale

from .responses import ONE_YEAR, local_url
from .ui_language import COOKIE, text_direction

bp = Blueprint("i18n", __name__)


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
