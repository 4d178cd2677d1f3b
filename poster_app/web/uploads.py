"""Requests that carry photos or images: their size limit and where their bytes are kept.

The site takes 64 KB bodies (`MAX_CONTENT_LENGTH`), and CSRFProtect reads the form in
`before_request`, before any view runs: so a view cannot raise the limit itself (a phone photo
was refused with 413 and everything typed was lost). The limit is decided from the view before
the body is read:
- `@takes_photos`: room for `PHOTO_MAX_FILES` photos of `PHOTO_MAX_BYTES` each, only for a
  logged-in editor (a stranger's big body is refused before it is read);
- `@takes_image`: room for one image of `PHOTO_MAX_BYTES` (a logo or a photo for a banner),
  for anyone who may make a banner.
An editor whose log-in ended while the form was open is refused as a stranger is (413); then
`text_of_form` reads that form's text, not its photos, for the page that asks them to log in
again (errors.py).

Every uploaded file is kept in memory, never in a temporary file: Werkzeug spools files over
500 KB to disk, where the original photo, GPS and all, would sit until it is cleaned.

A refused file is explained in the interface language: photos.py gives the reason as a code
and its values (and English for the command line and the API), `refused` says it here.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import IO, NamedTuple
from urllib.parse import urlsplit

from flask import Request, current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import MultiPartParser
from werkzeug.wsgi import get_input_stream

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
        if self._max_content_length is None and (upload := allowed_upload(self)).files:
            return upload.most_bytes()
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _get_file_stream(self, *args, **kwargs) -> IO[bytes]:
        return io.BytesIO()  # never spooled to disk (the limit above bounds it)


class Upload(NamedTuple):
    field: str  # the form's file field
    files: int  # how many files it may carry
    editors_only: bool = False

    def most_bytes(self) -> int:
        """The largest body that carries these files and the form."""
        return current_app.config["PHOTO_MAX_BYTES"] * self.files + FORM_FIELDS_BYTES


def allowed_upload(req: Request) -> Upload:
    """The files the request may carry (0: none, the site's small limit holds)."""
    upload = upload_of_view(req)
    if upload.editors_only and current_editor() is None:
        return Upload("", 0)
    return upload


def upload_of_view(req: Request) -> Upload:
    """The files the request's view takes from those it takes files from."""
    view = current_app.view_functions.get(req.url_rule.endpoint) if req.url_rule else None
    files = getattr(view, "upload_files", 0)
    if req.method != "POST" or not files:
        return Upload("", 0)
    count = current_app.config[files] if isinstance(files, str) else files
    return Upload(
        getattr(view, "upload_field", ""), count, getattr(view, "upload_editors_only", True)
    )


class _Dropped(io.BytesIO):
    """Where a file's bytes go when only the form's text is wanted: nowhere."""

    def write(self, data, /) -> int:
        return memoryview(data).nbytes


def _dropped(
    total_content_length: int | None,
    content_type: str | None,
    filename: str | None,
    content_length: int | None = None,
) -> IO[bytes]:
    """A stream factory for werkzeug's form parser (its arguments unused)."""
    return _Dropped()


def text_of_form(most_bytes: int) -> tuple[MultiDict[str, str], Counter[str]] | None:
    """The text fields of a multipart body of at most `most_bytes` that the site's limit
    refused, and how many files each file field carried; the files' bytes are read and
    dropped as they come, the text is bounded by FORM_FIELDS_BYTES. None for another body.

    The whole body is read, not only its head: the text fields may come in any order, and a
    server that answers before reading the body may have its answer lost to a "connection
    reset" (werkzeug's `get_input_stream`)."""
    boundary = request.mimetype_params.get("boundary")
    length = request.content_length
    if request.mimetype != "multipart/form-data" or not boundary or length is None:
        return None
    parser = MultiPartParser(
        _dropped, max_form_memory_size=FORM_FIELDS_BYTES, max_form_parts=request.max_form_parts
    )
    try:
        stream = get_input_stream(request.environ, max_content_length=most_bytes)
        form, files = parser.parse(stream, boundary.encode(), length)
    except (RequestEntityTooLarge, ValueError):  # too large, or not a well-made form
        return None
    return form, Counter(name for name, file in files.items(multi=True) if file.filename)


def from_another_site() -> bool:
    """Whether a browser sent this request from another site's page (the `Sec-Fetch-Site`
    header, or an `Origin` naming another host): for uploads that carry no CSRF token."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return bool(origin) and urlsplit(origin).netloc != request.host
