"""Around the text: the room a theme, an image and a QR code take, and the scene drawn there.

plan() calls `reserve` before it sets the text (the text box is what the theme, the image's
slot and the QR code's corner leave) and `finish` after (the theme's room around each line,
its ground shapes, the picture, the code, the painting grid): the fitter itself only ever
sees a box and a text with its emphasised ranges.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, replace

from . import qr
from .fonts import chain
from .geometry import Box, Layout, Line, Page, Picture, Scene
from .grid import painting_grid
from .languages import language
from .measure import REF
from .setting import centred_x
from .spec import Spec, SpecError
from .themes import palette as palette_of
from .themes import theme
from .typeset import shape_line
from .units import Text

GUTTER = 0.04  # between the text and an image or a code, of the page's shorter side
PICTURE_SHARE = 0.4  # an image takes at most this share of the width (or height)
TEXT_SHARE = 0.3  # … and the text keeps at least this share of both


@dataclass(frozen=True)
class Room:
    """Where things go on the page."""

    text: Box
    picture: Box | None = None
    plate: Box | None = None  # the QR code's plate


class ImageMismatch(ValueError):
    """The image given to plan() is not the one the spec names."""


def image_id(data: bytes) -> str:
    """The id of a stored image: the SHA-256 of its (cleaned) bytes."""
    return hashlib.sha256(data).hexdigest()


def image_pixels(spec: Spec, data: bytes | None) -> tuple[int, int] | None:
    """The image's width and height, after checking it is the spec's own."""
    if not spec.image:
        return None
    if data is None or image_id(data) != spec.image:
        raise ImageMismatch(f"the image {spec.image} is not available to lay out this banner")
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size


def reserve(spec: Spec, page: Page, margins: Box, pixels: tuple[int, int] | None) -> Room:
    """The text's box, after the theme's frame, the QR code's corner and the image's slot."""
    look = theme(spec.theme)
    box = look.frame_inset(page, margins)
    inside = box
    gutter = GUTTER * min(page.width, page.height)
    wide = page.width >= page.height
    rtl = language(spec.lang).direction == "rtl"
    plate = None
    if spec.qr:
        # At the end of reading (the bottom corner on the side a line ends), unless the
        # theme's ground leaves only one corner whole.
        w, h = qr.plate_size(page, spec.qr_caption)
        left = (look.code_corner or ("left" if rtl else "right")) == "left"
        x0 = box.x0 if left else box.x1 - w
        plate = Box(x0, box.y1 - h, x0 + w, box.y1)
        if wide:
            box = replace(box, x0=box.x0 + w + gutter) if left else replace(box, x1=x0 - gutter)
        else:
            box = replace(box, y1=plate.y0 - gutter)
    picture = None
    if pixels is not None:
        where = spec.image_position or (("right" if rtl else "left") if wide else "top")
        if where in ("left", "right"):  # beside the text: in the part of the page it keeps to
            box = look.text_room(page, box)
        picture, box = _picture_slot(box, pixels[0] / pixels[1], where, gutter)
    text = look.text_room(page, box)
    if text.width < TEXT_SHARE * inside.width or text.height < TEXT_SHARE * inside.height:
        raise RoomError("image" if pixels is not None else "qr", "no_room")
    return Room(text, picture, plate)


class RoomError(SpecError):
    """What the image and the code take leaves the text no room (a SpecError on the image,
    or on the code when there is no image: the form and the API say so on that field)."""


def _picture_slot(box: Box, aspect: float, where: str, gutter: float) -> tuple[Box, Box]:
    """The image's box (its own proportions, centred in its slot) and the box left."""
    if where in ("left", "right"):
        w = min(aspect * box.height, PICTURE_SHARE * box.width)
        h = w / aspect
        y0 = box.y0 + (box.height - h) / 2
        if where == "left":
            return Box(box.x0, y0, box.x0 + w, y0 + h), replace(box, x0=box.x0 + w + gutter)
        return Box(box.x1 - w, y0, box.x1, y0 + h), replace(box, x1=box.x1 - w - gutter)
    h = min(box.width / aspect, PICTURE_SHARE * box.height)
    w = h * aspect
    x0 = box.x0 + (box.width - w) / 2
    if where == "top":
        return Box(x0, box.y0, x0 + w, box.y0 + h), replace(box, y0=box.y0 + h + gutter)
    return Box(x0, box.y1 - h, x0 + w, box.y1), replace(box, y1=box.y1 - h - gutter)


def finish(layout: Layout, spec: Spec, room: Room, image: bytes | None) -> Layout:
    """The theme's room around the lines, then everything drawn around them."""
    look = theme(spec.theme)
    palette = palette_of(spec)
    reserved = tuple(b for b in (room.picture, room.plate) if b is not None)
    lines, signature = look.arrange(
        layout.page, layout.box, room.text, layout.lines, layout.signature, reserved
    )
    picture = None
    if room.picture is not None and image is not None:
        picture = Picture(room.picture, image, image_pixels(spec, image) or (1, 1))
    code = plate = None
    if room.plate is not None:
        plate = look.place_code(layout.page, lines, room.plate)
        caption = _caption(spec, plate) if spec.qr_caption else ()
        code = qr.place(spec.qr, plate, caption)
    scene = Scene(
        theme=look.name,
        ground=look.ground(layout.page, layout.box, lines, signature, palette, room.picture, plate),
        text=look.text_colour(palette),
        signature=look.signature_colour(palette),
        accent=palette.accent,
        outline=look.outline,
        picture=picture,
        code=code,
        grid=painting_grid(layout.page, spec.grid, [palette.bg, *look.grounds(palette)])
        if spec.grid
        else None,
    )
    return replace(layout, lines=lines, signature=signature, scene=scene)


def _caption(spec: Spec, plate: Box) -> tuple[Line, ...]:
    """The caption, centred in the band under the code, as large as that band allows."""
    lang = language(spec.lang)
    text = Text(
        spec.qr_caption,
        lang,
        1 if lang.direction == "rtl" else 0,
        chain(spec.family, lang.script, lang.tag),
    )
    shape = shape_line(text, 0, len(text.text), False, exact=True)
    if shape.ink is None:
        return ()
    band = Box(plate.x0, plate.y0 + plate.width, plate.x1, plate.y1)  # under the code
    pad = 0.06 * plate.width
    size = min(
        (band.height - pad) * REF / shape.ink.height,
        (plate.width - 2 * pad) * REF / shape.ink.width,
    )
    k = size / REF
    baseline = band.y0 + (band.height - pad - shape.ink.height * k) / 2 - shape.ink.y0 * k
    inner = Box(plate.x0 + pad, band.y0, plate.x1 - pad, band.y1)
    return (shape.place(size, centred_x(shape, k, inner), baseline, lang.tag),)
