"""The painting guide: a labelled grid over the whole page, to scale the letters onto cloth.

A collective draws the same grid on the cloth in chalk and copies the banner square by square.
Columns are lettered from the left (A, B, … Z, AA …), rows numbered from the top, and every
square carries its name in its top-left corner, so nobody gets lost in the middle of a 3 m
cloth. Lines and names are in a technical colour that stands out from the ground; in the PDF
they are a layer of their own that can be switched off.
"""

from __future__ import annotations

from .errors import EngineError
from .fonts import chain
from .geometry import PT_PER_MM, RGB, Box, Grid, Line, Page, Run
from .measure import REF, advance

MIN_STEP_MM = 10
MAX_SQUARES = 80  # along either side of the page
LABEL_SHARE = 0.09  # a label's size, of the step
LABEL_MAX_PT = 14 * PT_PER_MM  # a 14 mm label reads from where one paints
LINE_SHARE = 1 / 250  # the lines' width, of the step…
LINE_MIN_PT = 0.5  # … but never thinner than this
GUIDE_COLOURS = ((236, 0, 140), (0, 174, 239), (0, 0, 0), (255, 255, 255))


def check_step(page: Page, step_mm: float) -> None:
    """Refuse a step that is too small to paint by, or that makes too many squares."""
    if step_mm < MIN_STEP_MM:
        raise EngineError("grid_too_fine", least=MIN_STEP_MM, step=f"{step_mm:g}")
    longest = max(page.width, page.height) / PT_PER_MM
    if longest / step_mm > MAX_SQUARES:
        raise EngineError(
            "grid_too_many",
            step=f"{step_mm:g}",
            squares=f"{longest / step_mm:.0f}",
            most=MAX_SQUARES,
            least=f"{longest / MAX_SQUARES:.0f}",
        )


def guide_colour(*grounds: RGB) -> RGB:
    """Magenta, else cyan, black or white: the first that stands out from every ground."""
    from .spec import contrast

    def least(colour: RGB) -> float:
        return min(contrast(colour, ground) for ground in grounds)

    return next((c for c in GUIDE_COLOURS if least(c) >= 3.0), max(GUIDE_COLOURS, key=least))


def column_name(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(ord("A") + r) + name
    return name


def painting_grid(page: Page, step_mm: float, grounds: list[RGB]) -> Grid:
    step = step_mm * PT_PER_MM
    columns = -int(-page.width // step)
    rows = -int(-page.height // step)
    face = chain("sans", "Latn", "en")[0]
    size = min(LABEL_SHARE * step, LABEL_MAX_PT)
    pad = 0.25 * size
    labels = []
    for row in range(rows):
        for column in range(columns):
            text = f"{column_name(column)}{row + 1}"
            width = advance(face.file, face.index, text, "ltr", "en") * size / REF
            x, baseline = column * step + pad, row * step + pad + 0.72 * size
            run = Run(text, face.file, face.index, size, "ltr", "Latn", "en", x, baseline, width)
            ink = Box(x, baseline - 0.72 * size, x + width, baseline)
            labels.append(Line(text, size, (run,), ink))
    return Grid(
        step=step,
        columns=columns,
        rows=rows,
        colour=guide_colour(*grounds),
        width=max(LINE_SHARE * step, LINE_MIN_PT),
        labels=tuple(labels),
    )
