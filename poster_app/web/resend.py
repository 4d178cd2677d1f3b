"""Sending a form again, with everything that was typed, when it can't be taken as it came.

Two things end while a form stays open: its CSRF token (WTF_CSRF_TIME_LIMIT) and the editor's
log-in (a day without use). Either way the person gets a page that says what happened and
holds what they typed, ready to send with one press (after logging in again, on the same
page, if the log-in ended). Passwords are not carried over. The banner form's image, chosen
without JavaScript, is held (`hold_image`); other chosen files are not: the page says so.
"""

from __future__ import annotations

import hmac
from typing import BinaryIO, cast

from flask import current_app, render_template, request, session
from flask_limiter.errors import RateLimitExceeded
from itsdangerous import BadData, URLSafeTimedSerializer

from ..images import store_image
from ..photos import PhotoError
from .limits import counted_as_render

# Cleaning an image costs what a render does: counted as one (RateLimitExceeded past the limit).
store_counted = counted_as_render(store_image)

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


def hold_image(fields: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], str]:
    """The fields with the image chosen on a form that takes one (the banner form) named in
    `image_id`, and that id ("" when no image was held).

    Without JavaScript the file comes with the form, and the resend page can't carry a file.
    So it is cleaned and stored here as the form's script stores it the moment it is chosen
    (metadata gone; deleted after a day unless a banner uses it): the same holding place, the
    same id in the same field. The refused request was this session's own (an expired token
    of its own), and the work is counted as a render, as an upload is."""
    upload = request.files.get("image")
    view = current_app.view_functions.get(request.endpoint or "")
    if not upload or not upload.filename or getattr(view, "upload_files", 0) != 1:
        return fields, ""
    try:
        image = store_counted(cast(BinaryIO, upload.stream))  # in memory (uploads.py)
    except (PhotoError, RateLimitExceeded):  # the page says to choose it again
        return fields, ""
    fields = [(k, v) for k, v in fields if k not in ("image_id", "image_remove")]
    return [*fields, ("image_id", image.id)], image.id


def resend_page(
    action: str,
    fields: list[tuple[str, str]],
    message: str,
    status: int = 400,
    login_form=None,
    image_held: str = "",
):
    """The page that sends `fields` to `action` again (with a log-in form, if one is given);
    it shows the held image (its id) and says which chosen files are lost."""
    lost = {
        name
        for name, file in request.files.items(multi=True)
        if file.filename and not (image_held and name == "image")
    }
    return render_template(
        "resend.html",
        action=action,
        fields=fields,
        message=message,
        login_form=login_form,
        prefix=KEEP if login_form is not None else "",
        image_held=image_held,
        lost_image="image" in lost,
        lost_photos=bool(lost - {"image"}),
    ), status
