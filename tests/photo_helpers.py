"""Images for the upload tests: a JPEG carrying GPS EXIF, XMP and a comment, and odd files."""

from __future__ import annotations

import io

from PIL import Image

SECRET = b"SECRET-MARKER"


def jpeg_with_metadata(size=(640, 480), orientation: int = 1) -> bytes:
    """A JPEG with camera, GPS (Kuala Lumpur), XMP and a comment: everything we must strip."""
    image = Image.new("RGB", size, (200, 30, 40))
    exif = Image.Exif()
    exif[0x010F] = "SECRET-MARKER camera"  # Make
    exif[0x0112] = orientation  # Orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (3.0, 9.0, 4.0), 3: "E", 4: (101.0, 42.0, 5.0)})
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        exif=exif,
        comment=SECRET + b" comment",
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>SECRET-MARKER</x:xmpmeta>",
    )
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # it really has GPS
    return data


def png_bytes(size=(32, 32), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 128, 0, 128) if mode == "RGBA" else (0, 128, 0)).save(
        out, "PNG", pnginfo=_png_text()
    )
    return out.getvalue()


def _png_text():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "SECRET-MARKER")
    return info


def metadata_of(data: bytes) -> dict:
    """Whatever metadata Pillow finds in the stored file."""
    with Image.open(io.BytesIO(data)) as image:
        found = {
            k: v
            for k, v in image.info.items()
            if k
            not in (
                "jfif",
                "jfif_version",
                "jfif_unit",
                "jfif_density",
                "dpi",
                "progressive",
                "progression",
            )
        }
        exif = dict(image.getexif())
    if exif:
        found["exif"] = exif
    return found
