"""Draw a Layout as a PNG: shaped text (Pillow + raqm) on an 8-bit mask, coloured by a palette.

How the mask is coloured was measured with `.venv/bin/python bench/render_modes.py` (three
lines of "FREEDOM" filling the page, Noto Sans Black, 2 CPUs; time is draw + colour + PNG
encode; peak RSS is the whole process, interpreter and fonts included):

    mode                          A4@300 (2480×3508)       A0@300 (9933×14043)
    palette (L → P in place)      0.05–0.08 s,  46 MB      0.79–0.83 s, 184 MB
    RGB compose (paste with mask) 0.22–0.25 s,  78 MB      3.8–4.3 s,   711 MB

The palette keeps every anti-aliased edge (256 levels from bg to fg are the same blend RGB
compositing would give) at one byte per pixel, so it wins on time and is the only one that
keeps A0 under the 400 MB budget. The PNG is therefore indexed colour (colour type 3) with a
256-entry palette: lossless, and read as RGB by every viewer, RIP and print shop.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from . import ENGINE_VERSION
from .fontcache import pil_font, require_raqm
from .geometry import Layout, Page

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
    mask = draw_mask(layout, dpi, size)
    image = colour_mask(mask, layout.fg, layout.bg)
    out = _PngBuffer()
    # pHYs carries the DPI so print shops see the physical size; Pillow writes no timestamp,
    # so the same layout gives the same bytes.
    # Z_RLE suits a page that is mostly runs of one colour: as fast as level 1, 30 % smaller.
    # A tEXt "Software" chunk names the engine version that laid it out.
    info = PngInfo()
    info.add_text("Software", f"poster_app engine {ENGINE_VERSION}")
    image.save(out, dpi=(dpi, dpi), compress_level=6, compress_type=3, pnginfo=info)
    return out.getvalue()


class _PngBuffer(io.BytesIO):
    """A buffer whose name tells Pillow the format: given `format="PNG"`, Pillow imports its
    BMP, GIF, JPEG, PPM and PNG plugins first (16 ms of a 200 ms command); by name, only PNG."""

    name = "banner.png"


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
        what = f"a {page.width:g}×{page.height:g} px page"
    else:
        what = f"a {_num(page.width * CM_PER_PT)}×{_num(page.height * CM_PER_PT)} cm page"
    raise ValueError(
        f"{what} at {dpi:g} DPI is {w}×{h} px, over the {_num(limit / 1e6)} megapixel limit; "
        "lower the DPI or download the PDF, which has no size limit"
    )


def draw_mask(layout: Layout, dpi: float, size: tuple[int, int]) -> Image.Image:
    """Draw every run as coverage (0 = background, 255 = ink) on a one-byte-per-pixel mask."""
    require_raqm()
    k = dpi / 72
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for line in layout.all_lines:
        for run in line.runs:
            font = pil_font(run.font, run.index, run.size * k)
            draw.text(
                (run.x * k, run.baseline * k),
                run.text,
                fill=255,
                font=font,
                anchor="ls",
                direction=run.direction,
                language=run.language or None,
            )
    return mask


def colour_mask(
    mask: Image.Image, fg: tuple[int, int, int], bg: tuple[int, int, int]
) -> Image.Image:
    """Turn the mask into a palette image whose 256 entries blend bg (0) into fg (255)."""
    ramp: list[int] = []
    for i in range(256):
        ramp += [round(b + (f - b) * i / 255) for f, b in zip(fg, bg, strict=True)]
    mask.putpalette(ramp)  # L becomes P in place: no second full-size image
    return mask


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
