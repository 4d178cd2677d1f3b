"""Shared helpers for the web tests: decode PNGs, read PDFs with poppler, a still clock."""

from __future__ import annotations

import io
import re
import subprocess
from contextlib import contextmanager
from functools import cache

import pytest
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.security import check_password_hash

# The editor most web tests log in as; conftest's `editor_password_hash` is its hash, made once.
EDITOR = ("anna", "correct horse battery")


class BufferedClient(FlaskClient):
    """A test client that reads each response whole and closes it (files sent by send_file)."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@contextmanager
def password_checked_once():
    """Inside, the app checks a (hash, password) pair with scrypt once per test process.

    A check costs 0.3 s of CPU (OWASP's settings, as shipped), and ~150 web tests log in only
    to test something else (editor_client, the uploads' site); the answer for one pair never
    changes. A name nobody has is checked alike (logins checks the password against a hash of
    its own, through werkzeug's function, to take as long). Tests of the check itself do not
    use it, nor do the journeys.
    """
    import werkzeug.security

    from poster_app import models

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(models, "check_password_hash", _password_matches)
        patch.setattr(werkzeug.security, "check_password_hash", _password_matches)
        yield


@cache
def _password_matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


BIDI_MARKS = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.size


def pdf_text(data: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it."""
    assert data.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def squeeze(text: str) -> str:
    """Drop spaces, line breaks and bidi marks: pdftotext breaks lines where the banner does."""
    return BIDI_MARKS.sub("", text)


def has_words(pdf: bytes, slogan: str) -> bool:
    return squeeze(slogan) in squeeze(pdf_text(pdf))


class Clock:
    """A clock that moves only when a test moves it (`clock.now += 2`)."""

    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now
