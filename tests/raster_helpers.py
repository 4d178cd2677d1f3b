"""Ink masks, their overlap, and poppler's raster of a PDF: what the rendering tests compare."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image, ImageChops


def dark_mask(image: Image.Image) -> Image.Image:
    """255 where the pixel is closer to black than to white."""
    return image.convert("L").point(lambda v: 255 if v < 128 else 0)


def count(mask: Image.Image) -> int:
    return mask.histogram()[255]


def mask_iou(a: Image.Image, b: Image.Image) -> float:
    """Intersection over union of two masks (255 = ink)."""
    union = count(ImageChops.lighter(a, b))
    return count(ImageChops.darker(a, b)) / union if union else 1.0


def pdf_raster(pdf: bytes, dpi: int, tmp_path: Path, size: tuple[int, int]) -> Image.Image:
    """Poppler's raster of the PDF's first page, cropped to `size`: pdftoppm rounds the page
    size up, Pillow to the nearest pixel. Written as PPM (pdftoppm's own format): the same
    pixels as its PNG, without the zlib round trip that was four fifths of its time."""
    (tmp_path / "in.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-singlefile",
            str(tmp_path / "in.pdf"),
            str(tmp_path / "out"),
        ],
        check=True,
    )
    with Image.open(tmp_path / "out.ppm") as im:
        assert abs(im.width - size[0]) <= 1 and abs(im.height - size[1]) <= 1
        return im.convert("RGB").crop((0, 0, *size))


def stroke_width(mask: Image.Image) -> float:
    """The mean thickness of the ink's strokes in pixels: twice its area over its perimeter.

    A stroke w wide and L long has area w·L and perimeter about 2·L, whatever its shape, so
    this tells a heavy letter from a thin drawing of the same size.
    """
    from PIL import ImageFilter

    area = count(mask)
    edge = count(ImageChops.subtract(mask, mask.filter(ImageFilter.MinFilter(3))))
    return 2 * area / edge if edge else 0.0


def ring_colours(image: Image.Image, outer: tuple[int, ...], inner: tuple[int, ...]) -> set:
    """The colours of the pixels inside the box `outer` and outside the box `inner` within it
    (boxes in pixels: x0, y0, x1, y1)."""
    (ox0, oy0, ox1, oy1), (ix0, iy0, ix1, iy1) = outer, inner
    strips = [
        (ox0, oy0, ox1, iy0),
        (ox0, iy1, ox1, oy1),
        (ox0, iy0, ix0, iy1),
        (ix1, iy0, ox1, iy1),
    ]
    return {colour for strip in strips for _count, colour in colours_in(image, strip)}


def colours_in(image: Image.Image, box: tuple[int, ...]) -> list[tuple[int, tuple]]:
    """The (count, colour) pairs of the pixels in `box` (getcolors' table is as large as its
    limit: one the size of the box is many times faster than a blanket 2**20)."""
    crop = image.crop(box)
    return crop.getcolors(max(1, crop.width * crop.height)) or []


def colourful_pixels(png: bytes) -> int:
    """Pixels of a photo's colours (not grey, black or white): a page or a black-on-white
    banner has them only where a photo is."""
    with Image.open(io.BytesIO(png)) as image:
        return sum(
            count
            for count, rgb in image.convert("RGB").getcolors(1 << 24) or []
            if max(rgb) - min(rgb) > 60
        )
