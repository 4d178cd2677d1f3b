"""Images on banners (a group's logo, a photo): uploaded, cleaned, stored by their content.

An upload is cleaned as an action photo is (photos.py: checked by its bytes, decoded under a
pixel limit, upright, sRGB, every bit of metadata gone, a transparent logo kept as PNG, the
rest as JPEG) and stored in the database with the photos (blobs.py), so every app server and
worker reads it. Its id is the SHA-256 of the cleaned bytes, the id a Spec names (`image`):
a banner is made again, identical, from its spec on any server.

An upload that no banner uses yet is kept for a day (the form may be sent again later); a
banner that is saved with it keeps it for good.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select

from . import blobs
from .extensions import db
from .layout import image_id
from .models import Banner
from .photos import clean_banner_image

IMAGE_ID = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredImage:
    id: str
    width: int
    height: int
    mimetype: str  # image/png (transparency kept) or image/jpeg


def store_image(upload: BinaryIO) -> StoredImage:
    """Clean the upload and store it (committed now); PhotoError says why it is refused."""
    clean = clean_banner_image(upload)
    found = StoredImage(image_id(clean.data), clean.width, clean.height, image_mimetype(clean.data))
    name = image_name(found.id)
    if not blobs.exists(name):
        blobs.hold(name, clean.data)  # a day, unless a banner keeps it
        db.session.commit()
    return found


def image_bytes(image: str) -> bytes | None:
    """The stored image of this id, or None when there is none (or the id is not one)."""
    return blobs.read(image_name(image)) if IMAGE_ID.fullmatch(image or "") else None


def keep_image(image: str) -> None:
    """A saved banner uses the image: keep it for good (the caller commits)."""
    if IMAGE_ID.fullmatch(image or ""):
        blobs.keep(image_name(image))


def banner_images() -> set[str]:
    """The ids of the images banners show (one pass over the specs)."""
    images = set()
    for (spec_json,) in db.session.execute(
        select(Banner.spec_json).where(Banner.spec_json.contains('"image"'))
    ):
        if image := json.loads(spec_json).get("image"):
            images.add(image)
    return images


def image_mimetype(data: bytes) -> str:
    """What a stored image is: a PNG or a JPEG (photos.py writes nothing else)."""
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


def image_name(image: str) -> str:
    """Where the image of this id is stored (blobs)."""
    return f"images/{image}"
