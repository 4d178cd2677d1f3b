"""Images for the upload tests: a JPEG carrying GPS EXIF, XMP and a comment, and odd files."""

from __future__ import annotations

import functools
import io
import random

from PIL import Image, ImageDraw

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


# --- Photos as phones make them: real size, photographic content, everything to strip.

KUALA_LUMPUR = {1: "N", 2: (3.0, 9.0, 4.0), 3: "E", 4: (101.0, 42.0, 5.0), 5: 0, 6: 61.0}


@functools.cache
def _scene(width: int, height: int) -> Image.Image:
    """A street with a crowd and a red banner, with sensor noise (so it does not compress to
    nothing): drawn small, scaled up smooth, noise added at half resolution."""
    rnd = random.Random(7)
    w, h = width // 4, height // 4
    sky = Image.linear_gradient("L").resize((w, h))
    scene = Image.merge(
        "RGB",
        (
            sky.point(lambda v: 90 + v // 3),
            sky.point(lambda v: 120 + v // 4),
            sky.point(lambda v: 255 - v // 3),
        ),
    )
    draw = ImageDraw.Draw(scene)
    for _ in range(60):
        x, y = rnd.randrange(w), rnd.randrange(h // 3, h)
        draw.ellipse(
            [x, y, x + rnd.randrange(w // 50, w // 5), y + rnd.randrange(h // 40, h // 5)],
            fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)),
        )
    draw.rectangle([w * 0.15, h * 0.3, w * 0.85, h * 0.5], fill=(176, 0, 30))
    draw.text((w * 0.18, h * 0.33), "FREE THEM ALL", fill="white", font_size=h // 10)
    scene = scene.resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.frombytes(
        "RGB", (width // 2, height // 2), rnd.randbytes(width * height * 3 // 4)
    ).resize((width, height), Image.Resampling.NEAREST)
    return Image.blend(scene, noise, 0.12)


def _camera_exif(make: str, model: str, orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = f"{make} SECRET-MARKER", model  # Make, Model
    exif[0x0112] = orientation
    exif[0x0131] = "SECRET-MARKER software 17.1"  # Software
    exif[0x0132] = "2026:11:07 14:03:09"  # DateTime
    exif.get_ifd(0x8769).update({0x9003: "2026:11:07 14:03:09", 0xA434: "SECRET-MARKER lens"})
    exif.get_ifd(0x8825).update(KUALA_LUMPUR)
    return exif


def _icc() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


XMP = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF>SECRET-MARKER 3.15,101.7</rdf:RDF></x:xmpmeta>"


@functools.cache
def phone_jpeg() -> bytes:
    """A 12 Mpx Android photo, 3-5 MB, with camera, GPS, XMP, ICC and a comment."""
    out = io.BytesIO()
    _scene(4032, 3024).save(
        out,
        "JPEG",
        quality=90,
        exif=_camera_exif("Google", "Pixel 7"),
        xmp=XMP,
        icc_profile=_icc(),
        comment=SECRET + b" comment",
    )
    return out.getvalue()


@functools.cache
def iphone_jpeg() -> bytes:
    """An iPhone photo shot upright: stored landscape with Orientation 6, Apple EXIF, GPS."""
    out = io.BytesIO()
    _scene(4032, 3024).save(
        out,
        "JPEG",
        quality=80,
        exif=_camera_exif("Apple", "iPhone 15", orientation=6),
        xmp=XMP,
        icc_profile=_icc(),
    )
    return out.getvalue()


def upright_jpeg() -> bytes:
    """A photo shot upright by a phone that stores the pixels upright (no Orientation tag)."""
    out = io.BytesIO()
    _scene(1512, 2016).save(out, "JPEG", quality=85, exif=_camera_exif("Samsung", "Galaxy A54"))
    return out.getvalue()


@functools.cache
def heic_photo() -> bytes:
    """An iPhone HEIC (as iPhones send when not converting), with its EXIF and GPS. Smaller
    than a real one: x265 takes seconds per megapixel on a busy machine."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    _scene(2016, 1512).resize((1512, 1134)).save(
        out,
        "HEIF",
        quality=50,
        enc_params={"preset": "ultrafast"},
        exif=_camera_exif("Apple", "iPhone 15"),
    )
    return out.getvalue()


def mpo_photo() -> bytes:
    """A phone's MPO: a JPEG with a second picture (depth or 3D) after the first, GPS in both."""
    out = io.BytesIO()
    first = _scene(2016, 1512)
    first.save(
        out,
        "MPO",
        save_all=True,
        append_images=[first.resize((1008, 756))],
        exif=_camera_exif("Fujifilm", "FinePix REAL 3D W3"),
    )
    return out.getvalue()


def png_screenshot() -> bytes:
    """A phone screenshot: 1170 × 2532, with text chunks and an eXIf chunk."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "SECRET-MARKER screenshot")
    info.add_text("XML:com.adobe.xmp", XMP.decode())
    image = Image.new("RGB", (1170, 2532), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 1170, 140], fill=(30, 30, 30))
    for row in range(30):
        draw.text(
            (40, 200 + row * 76),
            f"Message {row}: meet at the embassy at 9",
            fill="black",
            font_size=40,
        )
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, exif=_camera_exif("Apple", "iPhone 15"))
    return out.getvalue()


def exiftool_tags(path) -> dict:
    """What exiftool finds in a file beyond its format's own fields: {group:tag: value}."""
    import json
    import subprocess

    found = json.loads(
        subprocess.run(
            ["exiftool", "-j", "-G1", "-a", "-u", str(path)],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )[0]
    plain = (
        "SourceFile",
        "ExifTool:",
        "System:",
        "File:",
        "Composite:",
        "JFIF:",
        "PNG:Image",
        "PNG:Bit",
        "PNG:Color",
        "PNG:Compression",
        "PNG:Filter",
        "PNG:Interlace",
        "PNG:Pixels",
    )
    return {k: v for k, v in found.items() if not k.startswith(plain)}
