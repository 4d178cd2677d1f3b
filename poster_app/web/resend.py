"""Sending a form again, with everything that was typed, when it can't be taken as it came.

Two things end while a form stays open: its CSRF token (WTF_CSRF_TIME_LIMIT) and the editor's
log-in (a day without use). Either way the person gets a page that says what happened and
holds what they typed, ready to send with one press (after logging in again, on the same
page, if the log-in ended). Passwords are not carried over. Files chosen without JavaScript (the
banner form's image, an action's photos) come with the form: they are held (`hold_files`),
and the page shows them; a file that can't be held is said to be lost.
"""

from __future__ import annotations

import hmac
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, cast

from flask import current_app, render_template, request, session
from flask_limiter.errors import RateLimitExceeded
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict

from ..images import store_image
from ..photos import PhotoError
from ..storage import store_photo
from .limits import counted_as_render

if TYPE_CHECKING:  # uploads.py imports auth.py, which imports this module
    from .uploads import Upload

NOT_KEPT = {"csrf_token", "password", "confirm"}
KEEP = "keep:"  # how the fields travel through the log-in form


def kept_fields(form: MultiDict[str, str] | None = None) -> list[tuple[str, str]]:
    """The form fields worth sending again (of the request's form unless one is given)."""
    form = request.form if form is None else form
    return [(k, v) for k, v in form.items(multi=True) if k not in NOT_KEPT]


def carried_fields() -> list[tuple[str, str]]:
    """The fields the log-in form carried for the page it came from."""
    return [
        (k.removeprefix(KEEP), v) for k, v in request.form.items(multi=True) if k.startswith(KEEP)
    ]


def token_of_this_session(token: str | None) -> bool:
    """Whether a form's CSRF token was made for this very session (old or not).

    Only then is the form offered again: a token that never belonged here may come from
    another site, and must not turn into a page with a working button.
    """
    mine = session.get("csrf_token")
    if not token or not mine:
        return False
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="wtf-csrf-token")
    try:
        return hmac.compare_digest(serializer.loads(token), mine)
    except BadData:
        return False


@dataclass(frozen=True)
class Holding:
    """How a form's chosen files are held for its resend page, which can't carry a file:
    cleaned and stored as the form itself stores them (held for a day unless what the form
    makes keeps them), then named in the field the form reads stored ones from."""

    field: str  # the form's field that names a stored file
    store: Callable[[BinaryIO], str]  # clean and store one file: its name for `field`
    replaces: tuple[str, ...] = ()  # fields a held file overrides


def _store_image(upload: BinaryIO) -> str:
    return store_image(upload).id


def _store_photo(upload: BinaryIO) -> str:
    return store_photo(upload).file.removeprefix("photos/")


# By the forms' file fields. Cleaning a file costs what a render does: each is counted as one
# (RateLimitExceeded past the limit), named functions so that each has its own count.
HOLDINGS = {
    "image": Holding(  # the banner form's image, chosen without JavaScript
        "image_id", counted_as_render(_store_image), replaces=("image_id", "image_remove")
    ),
    "photos": Holding("kept_photo", counted_as_render(_store_photo)),  # an action's photos
}


def hold_files(
    fields: list[tuple[str, str]], allowed: Upload
) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The fields with the files chosen on the form named in them, as many as the view takes
    from this person (`allowed`), and the held names by file field.

    Without JavaScript the files come with the form, and the resend page can't carry a file.
    The refused request was this session's own (an expired token of its own). A file that
    can't be held (not a picture, over a limit) is left out: the page says it is lost."""
    holding = HOLDINGS.get(allowed.field)
    if holding is None:
        return fields, {}
    chosen = [upload for upload in request.files.getlist(allowed.field) if upload.filename]
    held = []
    for upload in chosen[: allowed.files]:
        try:
            held.append(holding.store(cast(BinaryIO, upload.stream)))  # in memory (uploads.py)
        except (PhotoError, RateLimitExceeded):
            continue
        fields = [(k, v) for k, v in fields if k not in holding.replaces]
        fields.append((holding.field, held[-1]))
    return fields, {allowed.field: held}


def resend_page(
    action: str,
    fields: list[tuple[str, str]],
    message: str,
    status: int = 400,
    login_form=None,
    held: dict[str, list[str]] | None = None,
    chosen: Counter[str] | None = None,
):
    """The page that sends `fields` to `action` again (with a log-in form, if one is given);
    it shows the held files (`hold_files`) and says how many of the files `chosen` (by file
    field; the request's unless given) are lost."""
    held = held or {}
    if chosen is None:
        chosen = Counter(name for name, file in request.files.items(multi=True) if file.filename)
    return render_template(
        "resend.html",
        action=action,
        fields=fields,
        message=message,
        login_form=login_form,
        prefix=KEEP if login_form is not None else "",
        held_image=(held.get("image") or [""])[0],
        held_photos=held.get("photos", []),
        lost={name: count - len(held.get(name, [])) for name, count in chosen.items()},
    ), status
