"""The QR code on a banner: encoded by segno, sized to be read from two metres, in a corner.

A phone reads a code from about ten times its width, so on a banner the code is 20 cm wide
where the page allows (at least 18 % and at most 30 % of the page's shorter side). It sits on
a light plate that is its quiet zone (four modules all round) and holds the caption under it:
dark on light is what every phone camera reads, whatever the theme's ground.
"""

from __future__ import annotations

from functools import lru_cache

from .errors import EngineError
from .geometry import PT_PER_MM, RGB, Box, Code, Line, Page

READ_FROM_TWO_METRES = 200 * PT_PER_MM
SHARE = (0.18, 0.3)  # of the page's shorter side: at least, at most
QUIET = 4  # modules of light margin around the code (ISO/IEC 18004)
MAX_VERSION = 10  # 57 modules a side: beyond, modules get too small to read from afar
MAX_TEXT = 200
CAPTION_SHARE = 0.13  # the caption's band under the code, of the code's side
PAPER: RGB = (255, 255, 255)
INK: RGB = (0, 0, 0)


class QRTooLong(EngineError):
    def __init__(self, length: int):
        super().__init__("qr_too_long", "qr", length=length)


@lru_cache(maxsize=64)
def modules(text: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Modules per side and the runs of dark modules (row, first column, end column)."""
    import segno  # only banners with a code need it
    from segno.encoder import DataOverflowError

    try:
        code = segno.make_qr(text, error="m", boost_error=True)
    except DataOverflowError:
        code = None
    if code is None or int(code.version) > MAX_VERSION:
        raise QRTooLong(len(text))
    runs = []
    for row, values in enumerate(code.matrix):
        column = 0
        while column < len(values):
            if values[column] & 1:
                end = column
                while end < len(values) and values[end] & 1:
                    end += 1
                runs.append((row, column, end))
                column = end
            else:
                column += 1
    return len(code.matrix), tuple(runs)


def side(page: Page) -> float:
    """The width of the code with its quiet zone, in points."""
    short = min(page.width, page.height)
    return min(max(READ_FROM_TWO_METRES, SHARE[0] * short), SHARE[1] * short)


def plate_size(page: Page, caption: str) -> tuple[float, float]:
    s = side(page)
    return s, s * (1 + CAPTION_SHARE) if caption else s


def place(text: str, plate: Box, caption: tuple[Line, ...]) -> Code:
    """The code with its quiet zone at the top of `plate` (the caption's lines below it)."""
    count, dark = modules(text)
    module = plate.width / (count + 2 * QUIET)
    return Code(
        text=text,
        plate=plate,
        x=plate.x0 + QUIET * module,
        y=plate.y0 + QUIET * module,
        module=module,
        count=count,
        dark=dark,
        ink=INK,
        paper=PAPER,
        caption=caption,
    )
