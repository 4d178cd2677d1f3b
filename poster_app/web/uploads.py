"""Requests that carry photos or images: their size limit and where their bytes are kept.

The site takes 64 KB bodies (`MAX_CONTENT_LENGTH`), and CSRFProtect reads the form in
`before_request`, before any view runs: so a view cannot raise the limit itself (a phone photo
was refused with 413 and everything typed was lost). The limit is decided from the view before
the body is read:
- `@takes_photos`: room for `PHOTO_MAX_FILES` photos of `PHOTO_MAX_BYTES` each, only for a
  logged-in editor (a stranger's big body is refused before it is read);
- `@takes_image`: room for one image of `PHOTO_MAX_BYTES` (a logo or a photo for a banner),
  for anyone who may make a banner.

Every uploaded file is kept in memory, never in a temporary file: Werkzeug spools files over
500 KB to disk, where the original photo, GPS and all, would sit until it is cleaned.

A refused file is explained in the interface language: photos.py gives the reason as a code
and its values (and English for the command line and the API), `refused` says it here.
"""

from __future__ import annotations

import io
from typing import IO, NamedTuple
from urllib.parse import urlsplit

from flask import Request, current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..photos import PhotoError
from .auth import current_editor

FORM_FIELDS_BYTES = 256 * 1024  # what the rest of the form may take beside the files

# Each refusal of photos.py (its ENGLISH codes), said after "<file name> can't be used: ".
REASONS = {
    "format": _l("%(format)s files are not accepted: choose a JPEG, HEIC, PNG, WebP or GIF image"),
    "not_an_image": _l("it is not a JPEG, HEIC, PNG, WebP or GIF image"),
    "unreadable": _l(
        "it is not a JPEG, HEIC, PNG, WebP or GIF image we can read: the file may be damaged "
        "or cut short"
    ),
    "too_many_pixels": _l(
        "%(width)s × %(height)s pixels is too large: at most %(most)s megapixels"
    ),
    "decompression_bomb": _l("it is too large when decoded: at most %(most)s megapixels"),
    "too_big_cleaned": _l(
        "%(width)s × %(height)s pixels make %(size)s MB even cleaned; use a smaller image, or "
        "one without transparency"
    ),
    "too_many_bytes": _l("it is larger than %(size)s MB"),
}


def refused(name: str, error: PhotoError) -> str:
    """Why the file `name` was refused, in the interface language."""
    reason = str(REASONS[error.code]) % error.params
    return _("%(name)s can't be used: %(reason)s.", name=name, reason=reason)


def takes_photos(view):
    """Mark a view whose form uploads photos (see the module's docstring)."""
    view.upload_field, view.upload_files = "photos", "PHOTO_MAX_FILES"
    view.upload_editors_only = True
    return view


def takes_image(view):
    """Mark a view whose form may upload one image (see the module's docstring)."""
    view.upload_field, view.upload_files = "image", 1
    view.upload_editors_only = False
    return view


class UploadRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and (files := allowed_upload(self).files):
            return current_app.config["PHOTO_MAX_BYTES"] * files + FORM_FIELDS_BYTES
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _get_file_stream(self, *args, **kwargs) -> IO[bytes]:
        return io.BytesIO()  # never spooled to disk (the limit above bounds it)


class Upload(NamedTuple):
    field: str  # the form's file field
    files: int  # how many files it may carry


def allowed_upload(req: Request) -> Upload:
    """The files the request may carry (0: none, the site's small limit holds)."""
    view = current_app.view_functions.get(req.url_rule.endpoint) if req.url_rule else None
    files = getattr(view, "upload_files", 0)
    if req.method != "POST" or not files:
        return Upload("", 0)
    if getattr(view, "upload_editors_only", True) and current_editor() is None:
        return Upload("", 0)
    count = current_app.config[files] if isinstance(files, str) else files
    return Upload(getattr(view, "upload_field", ""), count)


def from_another_site() -> bool:
    """Whether a browser sent this request from another site's page (the `Sec-Fetch-Site`
    header, or an `Origin` naming another host): for uploads that carry no CSRF token."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and urlsplit(origin).netloc != request.host
