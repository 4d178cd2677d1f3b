"""Uploaded photos made safe to keep: checked by Pillow, re-encoded, every bit of metadata gone.

The photo is decoded (its format told by its bytes, not its name), turned upright by its EXIF
orientation, scaled down to a sensible size, converted to sRGB and encoded again from the bare
pixels. What comes out carries no EXIF (so no GPS), no XMP, no IPTC, no comments and no ICC
profile; the upload itself is never written to disk.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()  # iPhones send HEIC
# MPO: the JPEG of phones and cameras that store a second picture (depth, 3D) after the first.
ACCEPTED = {"JPEG", "MPO", "HEIF", "PNG", "WEBP", "GIF"}


# Images on banners (a logo, a photo) are cleaned the same way, with these limits, by the web
# app and by the `poster` command alike: the same file gets the same id (the SHA-256 of what
# comes out) wherever it is used. So they are not settings: another side would give another id.
IMAGE_MAX_SIDE = 3000  # px: 1 m of cloth at 75 DPI, more than a logo needs
IMAGE_MAX_PIXELS = 50_000_000  # decoded, before anything is drawn (decompression bombs)
IMAGE_MAX_BYTES = 10_000_000  # cleaned: what the database keeps and every PDF embeds


# An action's page shows its photos in a grid and links each to the full photo: these widths
# are the copies it offers, for a column of the grid on a 1x, 2x or 3x screen (its `sizes` are
# in templates/actions/macros.html). Full 2560 px photos, ~1 MB each, made a phone load
# megabytes.
DISPLAY_WIDTHS = (320, 640, 1280)
DISPLAY_QUALITY = 80  # JPEG: a copy for the screen, not for printing


# Why an upload is refused: a stable code and its values, and the English the command line and
# the API's `error` give. The pages say it in the reader's language from the code
# (web/uploads.py; tests/web/test_engine_errors.py keeps the two tables and the catalogs in
# step). Values are formatted already, as the messages quote them.
ENGLISH = {
    "format": "format {format} is not accepted",
    "not_an_image": "not an image",
    "unreadable": "the image could not be read ({detail})",
    "too_many_pixels": "{width} × {height} pixels is too large (at most {most} megapixels)",
    "decompression_bomb": "too large when decoded (a decompression bomb?): at most {most} "
    "megapixels",
    "too_big_cleaned": "{width} × {height} pixels make {size} MB even cleaned; use a smaller "
    "image, or one without transparency",
    "too_many_bytes": "more than {size} MB",  # the upload, before it is decoded
}


class PhotoError(ValueError):
    """The upload is not a photo we take: `code` (a key of ENGLISH) and its `params` say why;
    str() is the English."""

    def __init__(self, code: str, **params: object):
        super().__init__(ENGLISH[code].format(**params))
        self.code, self.params = code, params


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    ext: str  # "jpg" or "png"
    width: int
    height: int


def clean_photo(stream: BinaryIO, max_pixels: int, max_side: int) -> CleanPhoto:
    """Decode, check and re-encode an uploaded image (PhotoError if it is not one we take)."""
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, over its own pixel limit; we refuse at ours, first.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                if image.format not in ACCEPTED:
                    raise PhotoError("format", format=image.format)
                width, height = image.size
                if width * height > max_pixels:
                    most = _mpx(max_pixels)
                    raise PhotoError("too_many_pixels", width=width, height=height, most=most)
                image.seek(0)  # the first frame of an animation, the first picture of an MPO
                image.load()
                pixels = _upright_srgb(image, max_side)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("decompression_bomb", most=_mpx(max_pixels)) from None
    except UnidentifiedImageError:
        raise PhotoError("not_an_image") from None
    except (OSError, SyntaxError, ValueError) as e:  # truncated or corrupt data
        if isinstance(e, PhotoError):
            raise
        raise PhotoError("unreadable", detail=str(e)) from None
    return _encode(pixels)


def clean_banner_image(stream: BinaryIO) -> CleanPhoto:
    """An image for a banner, cleaned as a photo is (PhotoError if it is not one we take).

    A transparent logo stays a PNG with its transparency; anything opaque becomes a JPEG."""
    clean = clean_photo(stream, IMAGE_MAX_PIXELS, IMAGE_MAX_SIDE)
    if len(clean.data) > IMAGE_MAX_BYTES:  # a transparent photo: PNG keeps every pixel
        raise PhotoError(
            "too_big_cleaned",
            width=clean.width,
            height=clean.height,
            size=f"{len(clean.data) / 1e6:.0f}",
        )
    return clean


def _mpx(pixels: int) -> str:
    """A pixel limit in megapixels, as the messages quote it: 50000000 → '50'."""
    return f"{pixels / 1e6:g}"


def _upright_srgb(image: Image.Image, max_side: int) -> Image.Image:
    """Bare pixels, upright, at most `max_side` wide and high, in sRGB: a new image that
    carries none of the file's info. Scaled before the colours are converted: a phone's
    12 Mpx photo is converted in a third of the time at its kept size."""
    upright = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if has_alpha else "RGB"
    converted = upright.convert(mode)
    converted.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if icc:
        converted = _to_srgb(converted, icc)
    return _bare(converted)


def _bare(image: Image.Image) -> Image.Image:
    """The pixels alone, in a new image that carries none of the file's info."""
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    return bare


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Convert from the embedded profile to sRGB, so dropping the profile keeps the colours."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
        return converted or image  # (None only when asked to convert in place)
    except (OSError, ValueError, ImageCms.PyCMSError):  # a broken profile: keep the pixels
        return image


def display_copy(data: bytes, width: int) -> bytes:
    """A stored photo (cleaned: bare pixels, upright, sRGB) scaled to `width` px wide (never
    up) for a page to show, encoded as it was stored and as bare: no metadata either."""
    with Image.open(io.BytesIO(data)) as image:
        height = display_height(image.size, width)
        if width < image.width:
            image.draft(image.mode, (width, height))  # a JPEG decodes at 1/2, 1/4, 1/8 size
        pixels = image.convert("RGBA" if image.mode == "RGBA" else "RGB")  # as _encode stored it
    if width < pixels.width:
        pixels = pixels.resize((width, height), Image.Resampling.LANCZOS)
    return _encode(_bare(pixels), quality=DISPLAY_QUALITY).data


def display_height(size: tuple[int, int], width: int) -> int:
    """The height of a photo's display copy `width` px wide: the photo's shape kept."""
    return max(1, round(size[1] * width / size[0]))


def _encode(image: Image.Image, quality: int = 88) -> CleanPhoto:
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", optimize=True)
        ext = "png"
    else:
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
        ext = "jpg"
    return CleanPhoto(out.getvalue(), ext, image.width, image.height)
