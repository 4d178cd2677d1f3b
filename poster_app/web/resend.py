"""Sending a form again, with everything that was typed, when it can't be taken as it came.

Two things end while a form stays open: its CSRF token (WTF_CSRF_TIME_LIMIT) and the editor's
log-in (a day without use). Either way the person gets a page that says what happened and
holds what they typed, ready to send with one press (after logging in again, on the same
page, if the log-in ended). Passwords and chosen files are not carried over: the page says so.
"""

from __future__ import annotations

import hmac

from flask import current_app, render_template, request, session
from itsdangerous import BadData, URLSafeTimedSerializer

NOT_KEPT = {"csrf_token", "password", "confirm"}
KEEP = "keep:"  # how the fields travel through the log-in form


def kept_fields() -> list[tuple[str, str]]:
    """The request's form fields worth sending again."""
    return [(k, v) for k, v in request.form.items(multi=True) if k not in NOT_KEPT]


def carried_fields() -> list[tuple[str, str]]:
    """The fields the log-in form carried for the page it came from."""
    return [
        (k.removeprefix(KEEP), v) for k, v in request.form.items(multi=True) if k.startswith(KEEP)
    ]


def expired_token_of_this_session() -> bool:
    """Whether the request's CSRF token was made for this very session and only got old.

    Only then is the form offered again: a token that never belonged here may come from
    another site, and must not turn into a page with a working button.
    """
    token, mine = request.form.get("csrf_token"), session.get("csrf_token")
    if not token or not mine:
        return False
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="wtf-csrf-token")
    try:
        return hmac.compare_digest(serializer.loads(token), mine)
    except BadData:
        return False


def resend_page(
    action: str,
    fields: list[tuple[str, str]],
    message: str,
    status: int = 400,
    login_form=None,
):
    """The page that sends `fields` to `action` again (with a log-in form, if one is given)."""
    return render_template(
        "resend.html",
        action=action,
        fields=fields,
        message=message,
        login_form=login_form,
        prefix=KEEP if login_form is not None else "",
        lost_files=any(f.filename for f in request.files.values()),
    ), status
