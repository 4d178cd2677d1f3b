"""Draw a Layout as a PNG, in the order the PDF draws: the ground (`bg`, then the theme's
shapes), the picture, the letters, the QR code, the grid.

Each run's letters are rasterised once (raqm shaping, FreeType) into a one-byte coverage mask
and pasted in their colour; a mask is dropped as soon as it is drawn. Two ways to the file:

- Letters of one colour on a plain ground (the common banner, and every banner before
  themes): the whole page as one coverage mask, coloured through a 256-entry palette that
  blends bg into the ink: one byte a pixel, indexed colour. Measured with
  `.venv/bin/python bench/render_modes.py` (three lines filling the page, 2 CPUs): A4@300 in
  0.05–0.08 s and 46 MB, A0@300 in 0.8 s and 184 MB, where RGB compositing took 3.8 s and
  711 MB at A0.
- Anything more (a theme's shapes, emphasised words, a photo, a QR code, a grid): the page
  painted in RGB band by band, each band filtered and compressed as it comes
  (pngstream.py), so memory stays a band's worth whatever the page; truecolour keeps every
  colour, the photo and the anti-aliased edges between them exactly. `bench/print.py` has
  its figures (slower than the palette, as much memory).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from . import ENGINE_VERSION
from .errors import EngineError
from .fontcache import pil_font, require_raqm
from .geometry import RGB, Box, Code, Grid, Layout, Page, Picture, Run
from .pngstream import PngStream

MAX_PIXELS = 150_000_000  # the default cap; the app and `poster` pass theirs (config.py)
CM_PER_PT = 2.54 / 72


def render_png(
    layout: Layout,
    dpi: float | None = None,
    width: int | None = None,
    max_pixels: int = MAX_PIXELS,
) -> bytes:
    """Render the layout to PNG bytes at `dpi` (default: the page's print DPI) or `width` px;
    ValueError over `max_pixels`."""
    page = layout.page
    if width is not None:
        if width <= 0:
            raise ValueError(f"width must be a positive number of pixels (not {width!r})")
        dpi = width * 72 / page.width
    elif dpi is None:
        dpi = page.native_dpi
    if dpi <= 0:
        raise ValueError(f"dpi must be positive (not {dpi!r})")
    size = pixel_size(page, dpi)
    check_pixels(page, dpi, size, max_pixels)
    software = f"poster_app engine {ENGINE_VERSION}"
    painter = Painter(layout, dpi / 72, size)
    ink = painter.only_ink()
    if ink is not None:
        # Letters of one colour on a plain ground, the common banner: one byte a pixel, the
        # coverage mask coloured through a palette (see the module's docstring).
        mask = painter.coverage()
        image = colour_mask(mask, ink, layout.bg)
        out = _PngBuffer()
        info = PngInfo()
        info.add_text("Software", software)
        # pHYs carries the DPI; Z_RLE suits runs of one colour (as fast as level 1, 30 % smaller).
        image.save(out, dpi=(dpi, dpi), compress_level=6, compress_type=3, pnginfo=info)
        return out.getvalue()
    stream = PngStream(size, dpi, {"Software": software})
    for band in painter.bands():
        stream.add(band)
    return stream.finish()


class _PngBuffer(io.BytesIO):
    """A buffer whose name tells Pillow the format: given `format="PNG"`, Pillow imports its
    BMP, GIF, JPEG, PPM and PNG plugins first (16 ms of a 200 ms command); by name, only PNG."""

    name = "banner.png"


def colour_mask(mask: Image.Image, fg: RGB, bg: RGB) -> Image.Image:
    """Turn the mask into a palette image whose 256 entries blend bg (0) into fg (255)."""
    ramp: list[int] = []
    for i in range(256):
        ramp += [round(b + (f - b) * i / 255) for f, b in zip(fg, bg, strict=True)]
    mask.putpalette(ramp)  # L becomes P in place: no second full-size image
    return mask


def pixel_size(page: Page, dpi: float) -> tuple[int, int]:
    """The page's size in whole pixels at `dpi`."""
    k = dpi / 72
    return max(1, round(page.width * k)), max(1, round(page.height * k))


def check_pixels(page: Page, dpi: float, size: tuple[int, int], limit: int = MAX_PIXELS) -> None:
    """Refuse images over the pixel cap with a message that says what to do instead."""
    w, h = size
    if w * h <= limit:
        return
    if page.name.endswith("px"):
        width, height, unit = f"{page.width:g}", f"{page.height:g}", "px"
    else:
        width, height = _num(page.width * CM_PER_PT), _num(page.height * CM_PER_PT)
        unit = "cm"
    raise EngineError(
        "too_many_pixels",
        width=width,
        height=height,
        unit=unit,
        dpi=f"{dpi:g}",
        pixels=f"{w}×{h}",
        limit=_num(limit / 1e6),
    )


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


BAND_BYTES = 12_000_000  # an RGB band's size, at most (at least 16 rows)
SUPERSAMPLE = 4  # shapes' edges are anti-aliased on images up to SUPERSAMPLE_WIDTH wide
SUPERSAMPLE_WIDTH = 4000


class Painter:
    """Paints a layout at `k` pixels per point, one band of rows at a time."""

    def __init__(self, layout: Layout, k: float, size: tuple[int, int]):
        require_raqm()
        self.layout, self.k, self.size = layout, k, size
        scene = layout.scene
        self.texts = [(run, layout.colour(run)) for line in layout.lines for run in line.runs]
        self.signature = [
            (run, layout.colour(run, True)) for ln in layout.signature for run in ln.runs
        ]
        self.caption = []
        if scene.code is not None:
            self.caption = [(run, scene.code.ink) for ln in scene.code.caption for run in ln.runs]
        self.labels = []
        if scene.grid is not None:
            self.labels = [(run, scene.grid.colour) for ln in scene.grid.labels for run in ln.runs]
        self.masks: dict[tuple[str, int], tuple[Image.Image, int, int]] = {}
        self.picture: Image.Image | None = None

    def only_ink(self) -> RGB | None:
        """The letters' one colour, when nothing but letters of one colour is drawn."""
        scene = self.layout.scene
        if scene.ground or scene.picture or scene.code or scene.grid:
            return None
        colours = {colour for _, colour in self.texts + self.signature}
        return colours.pop() if len(colours) == 1 else None

    def coverage(self) -> Image.Image:
        """The letters' coverage of the whole page (0: none, 255: ink), one byte a pixel."""
        mask = Image.new("L", self.size, 0)
        for n, (run, _) in enumerate(self.texts):
            self._run(mask, 0, ("text", n), run, 255, self.layout.scene.outline)
        for n, (run, _) in enumerate(self.signature):
            self._run(mask, 0, ("signature", n), run, 255, 0.0)
        return mask

    def bands(self) -> Iterator[Image.Image]:
        w, h = self.size
        rows = max(16, BAND_BYTES // (3 * w))
        for y0 in range(0, h, rows):
            yield self.band(y0, min(h, y0 + rows))

    def band(self, y0: int, y1: int) -> Image.Image:
        layout, scene = self.layout, self.layout.scene
        image = Image.new("RGB", (self.size[0], y1 - y0), layout.bg)
        for shape in scene.ground:
            self._shape(image, y0, shape.points, shape.colour)
        if scene.picture is not None:
            self._picture(image, y0, scene.picture)
        for n, (run, colour) in enumerate(self.texts):
            self._run(image, y0, ("text", n), run, colour, scene.outline)
        for n, (run, colour) in enumerate(self.signature):
            self._run(image, y0, ("signature", n), run, colour, 0.0)  # small: never outlined
        if scene.code is not None:
            self._code(image, y0, scene.code)
        if scene.grid is not None:
            self._grid(image, y0, scene.grid)
        return image

    # --- shapes: anti-aliased by drawing them larger, when the image is small

    def _shape(self, image: Image.Image, y0: int, points, colour: RGB) -> None:
        k = self.k
        top, bottom = (min(y for _, y in points) * k, max(y for _, y in points) * k)
        if bottom < y0 or top > y0 + image.height:
            return
        ss = SUPERSAMPLE if image.width <= SUPERSAMPLE_WIDTH else 1
        mask = Image.new("L", (image.width * ss, image.height * ss), 0)
        ImageDraw.Draw(mask).polygon([(x * k * ss, (y * k - y0) * ss) for x, y in points], fill=255)
        if ss > 1:
            mask = mask.reduce(ss)
        image.paste(colour, (0, 0), mask)

    def _rect(self, image: Image.Image, y0: int, box: Box, colour: RGB, least: int = 0) -> None:
        """A rectangle snapped to whole pixels (a QR module, a plate, a grid line at least
        `least` pixels wide)."""
        k = self.k
        x0, top = round(box.x0 * k), round(box.y0 * k) - y0
        x1, bottom = max(round(box.x1 * k), x0 + least), max(round(box.y1 * k) - y0, top + least)
        if bottom <= 0 or top >= image.height or x1 <= x0:
            return
        image.paste(colour, (x0, max(top, 0), x1, min(bottom, image.height)))

    # --- the picture, scaled into its box band by band

    def _picture(self, image: Image.Image, y0: int, picture: Picture) -> None:
        k = self.k
        x0, x1 = round(picture.box.x0 * k), round(picture.box.x1 * k)
        top, bottom = round(picture.box.y0 * k), round(picture.box.y1 * k)
        lo, hi = max(top, y0), min(bottom, y0 + image.height)
        if hi <= lo or x1 <= x0:
            return
        if self.picture is None:
            with Image.open(io.BytesIO(picture.data)) as stored:
                self.picture = stored.convert("RGBA" if _has_alpha(stored) else "RGB")
        source = self.picture
        scale = source.height / (bottom - top)
        box = (0, (lo - top) * scale, source.width, (hi - top) * scale)
        rows = source.resize((x1 - x0, hi - lo), Image.Resampling.LANCZOS, box=box)
        mask = rows.getchannel("A") if rows.mode == "RGBA" else None
        image.paste(rows.convert("RGB"), (x0, lo - y0), mask)

    # --- letters: each run's mask made once, pasted into every band it crosses

    def _run(
        self,
        image: Image.Image,
        y0: int,
        n: tuple[str, int],
        run: Run,
        colour: RGB | int,
        outline: float,
    ) -> None:
        if n not in self.masks:
            if not self._near(run, y0, image.height):
                return
            self.masks[n] = _run_mask(run, self.k, outline)
        mask, x, y = self.masks[n]
        if y >= y0 + image.height:
            return
        top, bottom = max(0, y0 - y), min(mask.height, y0 + image.height - y)
        if bottom > top:
            whole = (top, bottom) == (0, mask.height)
            part = mask if whole else mask.crop((0, top, mask.width, bottom))
            image.paste(colour, (x, y + top - y0), part)
        if bottom == mask.height:
            del self.masks[n]  # done: no later band needs it

    def _near(self, run: Run, y0: int, rows: int) -> bool:
        """Whether the run's letters may reach into rows y0… (its size above and below)."""
        baseline, size = run.baseline * self.k, run.size * self.k
        return baseline + 1.5 * size >= y0 and baseline - 2.5 * size <= y0 + rows

    # --- the QR code and the grid: whole pixels, never blurred

    def _code(self, image: Image.Image, y0: int, code: Code) -> None:
        self._rect(image, y0, code.plate, code.paper)
        m = code.module
        for row, first, end in code.dark:
            box = Box(
                code.x + first * m, code.y + row * m, code.x + end * m, code.y + (row + 1) * m
            )
            self._rect(image, y0, box, code.ink)
        for n, (run, colour) in enumerate(self.caption):
            self._run(image, y0, ("caption", n), run, colour, 0.0)

    def _grid(self, image: Image.Image, y0: int, grid: Grid) -> None:
        page, half = self.layout.page, grid.width / 2
        for column in range(1, grid.columns):
            x = column * grid.step
            self._rect(image, y0, Box(x - half, 0, x + half, page.height), grid.colour, 1)
        for row in range(1, grid.rows):
            y = row * grid.step
            self._rect(image, y0, Box(0, y - half, page.width, y + half), grid.colour, 1)
        for n, (run, colour) in enumerate(self.labels):
            self._run(image, y0, ("label", n), run, colour, 0.0)


def _run_mask(run: Run, k: float, outline: float) -> tuple[Image.Image, int, int]:
    """The run's coverage, and where its top-left pixel goes on the page (as Pillow's
    ImageDraw.text places it: the same pixels as drawing it on the whole page)."""
    font = pil_font(run.font, run.index, run.size * k)
    x, y = run.x * k, run.baseline * k
    stroke = outline * run.size * k
    core, (dx, dy) = font.getmask2(
        run.text,
        "L",
        direction=run.direction,
        language=run.language or None,
        anchor="ls",
        start=(math.modf(x)[0], math.modf(y)[0]),
        stroke_width=stroke,
        stroke_filled=not stroke,  # an outline: the stroke alone, the letter's inside left
    )
    return Image.Image()._new(core), int(x) + dx, int(y) + dy


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
