"""Requests that carry photos: their size limit and where their bytes are kept.

The site takes 64 KB bodies (`MAX_CONTENT_LENGTH`), and CSRFProtect reads the form in
`before_request`, before any view runs: so a view cannot raise the limit itself (a phone photo
was refused with 413 and everything typed was lost). A view marked `@takes_photos` gets room
for `PHOTO_MAX_FILES` photos of `PHOTO_MAX_BYTES` each, decided before the body is read, and
only for a logged-in editor (a stranger's big body is refused before it is read).

Every uploaded file is kept in memory, never in a temporary file: Werkzeug spools files over
500 KB to disk, where the original photo, GPS and all, would sit until it is cleaned.
"""

from __future__ import annotations

import io
from typing import IO

from flask import Request, current_app

from .auth import current_editor

FORM_FIELDS_BYTES = 256 * 1024  # what the rest of the form may take beside the photos


def takes_photos(view):
    """Mark a view whose form uploads photos (see the module's docstring)."""
    view.takes_photos = True
    return view


class UploadRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self._takes_photos():
            config = current_app.config
            return config["PHOTO_MAX_BYTES"] * config["PHOTO_MAX_FILES"] + FORM_FIELDS_BYTES
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _takes_photos(self) -> bool:
        if self.url_rule is None or self.method != "POST":
            return False
        view = current_app.view_functions.get(self.url_rule.endpoint)
        return getattr(view, "takes_photos", False) and current_editor() is not None

    def _get_file_stream(self, *args, **kwargs) -> IO[bytes]:
        return io.BytesIO()  # never spooled to disk (the limit above bounds it)
