"""Themes: what is drawn around the laid-out text, as pure functions of the Spec and the lines.

A theme gives a palette (the text's ink `fg`, the paper `bg`, the `accent` of emphasised
words), which the Spec's colour options override, and decides:

- `frame_inset`: room it takes at the page's edges before anything else is placed (a frame);
- `text_room`: the part of what is left that the text may take (a band keeps to the middle);
- `pads`: room each line needs around its ink (a bar's padding, an outline's stroke); the fit
  is then made to hold it (`arrange`, by default `make_room`), so nothing the theme draws
  is cut or overlaps;
- `ground`: the shapes under the text (bars, a band, a frame, a split ground);
- where the QR code's plate goes: `code_corner` (the bottom corner it takes) and `place_code`
  (moved once the lines are set), so that it sits wholly on one of the theme's areas.

The same shapes are drawn by the PNG and the PDF renderer, so both show the same banner.
In every theme `fg` is the ink and `bg` the paper: where letters sit on the theme's ink
(bars, band, diagonal), they are "knocked out" in the paper colour.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .geometry import RGB, Box, Line, Page, Shape
from .setting import ink_of
from .spec import parse_colour


@dataclass(frozen=True)
class Palette:
    fg: RGB  # the ink
    bg: RGB  # the paper
    accent: RGB  # emphasised words (and a frame)


@dataclass(frozen=True)
class Pads:
    """Room a line needs around its ink, per point of its size."""

    x: float = 0.0
    y: float = 0.0
    between: float = 0.0  # between the padded boxes of two lines


class Theme:
    name = "plain"
    description = "the slogan on a plain ground"
    fg, bg, accent = "#000000", "#ffffff", "#d40000"
    knockout = False  # letters in the paper colour, on the theme's ink
    outline = 0.0  # letters as outlines: half the stroke, per point of size
    pads = Pads()
    block_pad = 0.0  # room above and below the whole text, per point of its largest size
    code_corner: str | None = None  # "left" or "right"; None: where reading ends

    def text_colour(self, palette: Palette) -> RGB:
        return palette.bg if self.knockout else palette.fg

    def grounds(self, palette: Palette) -> list[RGB]:
        """The colours the letters sit on (what their contrast is measured against)."""
        return [palette.fg] if self.knockout else [palette.bg]

    def frame_inset(self, page: Page, box: Box) -> Box:
        return box

    def text_room(self, page: Page, box: Box) -> Box:
        return box

    def signature_colour(self, palette: Palette) -> RGB:
        return self.text_colour(palette)

    def arrange(
        self,
        page: Page,
        box: Box,
        room: Box,
        lines: tuple[Line, ...],
        signature: tuple[Line, ...],
        reserved: tuple[Box, ...] = (),
    ) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
        """The lines and the signature moved so that what the theme draws fits in `room`
        (`box` is the page inside its margins, `reserved` the boxes of an image and of the QR
        code's plate)."""
        return make_room(lines, signature, room, self.pads, self.block_pad)

    def place_code(self, page: Page, lines: tuple[Line, ...], plate: Box) -> Box:
        """Where the QR code's plate goes once the lines are set (`plate`: its reserved box)."""
        return plate

    def ground(
        self,
        page: Page,
        box: Box,
        lines: tuple[Line, ...],
        signature: tuple[Line, ...],
        palette: Palette,
        picture: Box | None = None,
        plate: Box | None = None,
    ) -> tuple[Shape, ...]:
        """The shapes under the text; `box` is the page inside its margins, `picture` the
        image's slot and `plate` the QR code's, if the banner has them."""
        return ()


class Outline(Theme):
    name = "outline"
    description = "outlined letters, little ink: for tracing, painting and home printers"
    outline = 0.014
    pads = Pads(outline, outline)


class Bars(Theme):
    name = "bars"
    description = "each line knocked out of a solid bar"
    accent = "#ff3030"
    knockout = True
    pads = Pads(0.22, 0.12, 0.07)

    def ground(self, page, box, lines, signature, palette, picture=None, plate=None):
        return tuple(_rect(padded(line, self.pads), palette.fg) for line in lines + signature)


class Diagonal(Theme):
    name = "diagonal"
    description = "a ground split corner to corner, black and red, the letters white across it"
    accent = "#ffd400"
    second = (212, 0, 0)  # the upper half; the lower is the ink
    knockout = True
    # The split runs into the bottom-left corner: a plate there would straddle it, so the
    # code takes the bottom-right corner, wholly on the ink, in either reading direction.
    code_corner = "right"

    def grounds(self, palette):
        return [palette.fg, self.second]

    def ground(self, page, box, lines, signature, palette, picture=None, plate=None):
        w, h = page.width, page.height
        return (
            Shape(((0, 0), (w, 0), (0, h)), self.second),
            Shape(((w, 0), (w, h), (0, h)), palette.fg),
        )


class Frame(Theme):
    name = "frame"
    description = "a heavy border in the accent colour, the text kept clear of it"
    EDGE = 0.5  # of the margin: the frame's distance from the page's edge
    WIDTH = 0.03  # of the page's shorter side
    CLEAR = 0.035  # … between the frame and anything inside it

    def _outer(self, page: Page, box: Box) -> Box:
        e = self.EDGE * box.x0
        return Box(e, e, page.width - e, page.height - e)

    def frame_inset(self, page, box):
        short = min(page.width, page.height)
        inset = (self.WIDTH + self.CLEAR) * short
        outer = self._outer(page, box)
        return Box(outer.x0 + inset, outer.y0 + inset, outer.x1 - inset, outer.y1 - inset)

    def ground(self, page, box, lines, signature, palette, picture=None, plate=None):
        t = self.WIDTH * min(page.width, page.height)
        o = self._outer(page, box)
        sides = (
            Box(o.x0, o.y0, o.x1, o.y0 + t),
            Box(o.x0, o.y1 - t, o.x1, o.y1),
            Box(o.x0, o.y0, o.x0 + t, o.y1),
            Box(o.x1 - t, o.y0, o.x1, o.y1),
        )
        return tuple(_rect(side, palette.accent) for side in sides)


class Band(Theme):
    name = "band"
    description = "a band of colour across the page behind the text, the letters knocked out"
    accent = "#ff3030"
    knockout = True
    ROOM = 0.12  # of the page's height kept as paper above and below the band
    block_pad = 0.3
    PICTURE_PAD = 0.02  # of the page's shorter side: the band around an image beside the text
    SIGNATURE_FILL = 0.5  # at most this share of the paper under the band is signature
    SIGNATURE_PAPER = 2.0  # the paper above and below the band: ≥ this × the signature's ink

    def signature_colour(self, palette):
        return palette.fg  # under the band, on the paper

    def text_room(self, page, box):
        room = self.ROOM * page.height
        return Box(box.x0, max(box.y0, room), box.x1, min(box.y1, page.height - room))

    def arrange(self, page, box, room, lines, signature, reserved=()):
        """The band in the middle of its room, the signature in the middle of the paper
        under it, above the bottom margin (a signature kept at the bottom of the room pushed
        the band up and sat squeezed against its edge; in the margin a hem would fold it)
        and above a QR code or an image under the text (it ran over them)."""
        if not signature:
            return make_room(lines, (), room, self.pads, self.block_pad)
        (line,) = signature
        bottom = box.y1
        if any(thing.y0 >= room.y1 for thing in reserved):
            bottom = room.y1
            room = replace(room, y1=bottom - self.SIGNATURE_PAPER * line.ink.height)
        margin = page.height - box.y1
        strip = min(margin + self.SIGNATURE_PAPER * line.ink.height, 0.3 * page.height)
        room = Box(room.x0, max(room.y0, strip), room.x1, min(room.y1, page.height - strip))
        lines, _ = make_room(lines, (), room, self.pads, self.block_pad)
        paper = Box(room.x0, self._band(lines).y1, room.x1, bottom)
        ink = line.ink
        k = min(1.0, self.SIGNATURE_FILL * paper.height / ink.height, paper.width / ink.width)
        cx, cy = (ink.x0 + ink.x1) / 2, (ink.y0 + ink.y1) / 2
        line = line.transformed(k, cx, cy, (paper.y0 + paper.y1) / 2 - cy)
        return lines, (_moved(line, (paper.x0 + paper.x1) / 2 - cx),)

    def _band(self, lines: tuple[Line, ...]) -> Box:
        ink = ink_of(lines)
        p = self.block_pad * max(line.size for line in lines)
        return Box(ink.x0, ink.y0 - p, ink.x1, ink.y1 + p)

    def place_code(self, page, lines, plate):
        """Beside the text (a wide page) the band runs behind the plate's corner: the plate
        moves up into the band's bottom corner, as far from the band's edge as from the
        page's side (the band grows to hold it if it must). Under the text (a tall page) it
        stays on the paper below the band."""
        band = self._band(lines)
        if plate.y0 >= band.y1:
            return plate
        clear = _side_clearance(page, plate)
        middle = (band.y0 + band.y1) / 2
        y1 = max(band.y1, middle + plate.height / 2 + clear) - clear
        return plate.shifted(0, y1 - plate.y1)

    def ground(self, page, box, lines, signature, palette, picture=None, plate=None):
        band = self._band(lines)
        y0, y1 = band.y0, band.y1
        # An image or the code's plate beside the text sits inside the band, never across
        # its edge.
        beside = [(picture, self.PICTURE_PAD * min(page.width, page.height))]
        if plate is not None:
            beside.append((plate, _side_clearance(page, plate)))
        for thing, pad in beside:
            if thing is not None and thing.y0 < band.y1 and thing.y1 > band.y0:
                y0, y1 = min(y0, thing.y0 - pad), max(y1, thing.y1 + pad)
        return (_rect(Box(0, y0, page.width, y1), palette.fg),)


def _side_clearance(page: Page, thing: Box) -> float:
    """How far `thing` is from the page's nearer side."""
    return min(thing.x0, page.width - thing.x1)


THEMES: dict[str, Theme] = {
    t.name: t for t in (Theme(), Outline(), Bars(), Diagonal(), Frame(), Band())
}


def theme(name: str) -> Theme:
    """The theme of that name; plain for a name this version doesn't know (a stored row's)."""
    return THEMES.get(name, THEMES["plain"])


def palette(spec) -> Palette:
    """The spec's colours, the theme's where a (stored) spec has none."""
    look = theme(spec.theme)
    fg, bg, accent = (getattr(spec, n) or getattr(look, n) for n in ("fg", "bg", "accent"))
    return Palette(parse_colour(fg), parse_colour(bg), parse_colour(accent))


def padded(line: Line, pads: Pads) -> Box:
    """The line's ink with the theme's room around it."""
    px, py = pads.x * line.size, pads.y * line.size
    ink = line.ink
    return Box(ink.x0 - px, ink.y0 - py, ink.x1 + px, ink.y1 + py)


def make_room(
    lines: tuple[Line, ...], signature: tuple[Line, ...], box: Box, pads: Pads, block: float
) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """The lines and the signature moved and scaled so that the theme's room around them
    fits in `box`: the signature (if any) kept at the bottom, the slogan's blocks in the
    room above it."""
    if pads == Pads() and not block:
        return lines, signature
    if signature:
        (line,) = signature
        below = padded(line, pads)
        k = min(1.0, box.width / below.width)
        cx = (below.x0 + below.x1) / 2
        line = line.transformed(k, cx, below.y1, min(0.0, box.y1 - below.y1))
        signature = (_moved(line, (box.x0 + box.x1) / 2 - cx),)
        top = padded(line, pads).y0 - pads.between * line.size
        box = Box(box.x0, box.y0, box.x1, min(box.y1, top))
    return _fit_padded(lines, box, pads, block), signature


def _fit_padded(lines: tuple[Line, ...], box: Box, pads: Pads, block: float) -> tuple[Line, ...]:
    """Move the lines apart until their padded boxes are `pads.between` apart, then scale and
    centre them so that the padded boxes (and `block` × the largest size above and below the
    whole) fit in `box`. Pads grow with the size, so one scale makes everything fit."""
    moved = list(lines)
    for n in range(1, len(moved)):
        above = padded(moved[n - 1], pads)
        room = above.y1 + pads.between * max(moved[n].size, moved[n - 1].size)
        short = room - padded(moved[n], pads).y0
        if short > 0:
            moved[n:] = [line.transformed(1.0, 0, 0, short) for line in moved[n:]]
    extent = padded(moved[0], pads)
    for line in moved[1:]:
        extent = extent.union(padded(line, pads))
    if block:
        p = block * max(line.size for line in moved)
        extent = Box(extent.x0, extent.y0 - p, extent.x1, extent.y1 + p)
    k = min(1.0, box.width / extent.width, box.height / extent.height)
    cx, cy = (extent.x0 + extent.x1) / 2, (extent.y0 + extent.y1) / 2
    dx, dy = (box.x0 + box.x1) / 2 - cx, (box.y0 + box.y1) / 2 - cy
    return tuple(_moved(line.transformed(k, cx, cy, dy), dx) for line in moved)


def _moved(line: Line, dx: float) -> Line:
    runs = tuple(replace(r, x=r.x + dx) for r in line.runs)
    ink = line.ink.shifted(dx, 0)
    return replace(line, runs=runs, ink=ink)


def _rect(box: Box, colour: RGB) -> Shape:
    return Shape(((box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)), colour)
