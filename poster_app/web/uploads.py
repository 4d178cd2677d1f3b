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
"""

from __future__ import annotations

import io
from typing import IO, NamedTuple
from urllib.parse import urlsplit

from flask import Request, current_app, request

from .auth import current_editor

FORM_FIELDS_BYTES = 256 * 1024  # what the rest of the form may take beside the files


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
