"""Plain value types of a planned banner: boxes, runs, lines and the whole Layout.

Every length is in PostScript points (1/72 in), measured from the top-left corner of the
page with y growing downwards, as in Pillow. Renderers scale by `dpi / 72`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Direction = Literal["ltr", "rtl"]
RGB = tuple[int, int, int]
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: left, top, right, bottom."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def scaled(self, k: float) -> Box:
        return Box(self.x0 * k, self.y0 * k, self.x1 * k, self.y1 * k)

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def contains(self, other: Box, tolerance: float = 0.0) -> bool:
        return (
            other.x0 >= self.x0 - tolerance
            and other.y0 >= self.y0 - tolerance
            and other.x1 <= self.x1 + tolerance
            and other.y1 <= self.y1 + tolerance
        )

    def as_list(self, k: float = 1.0, digits: int = 2) -> list[float]:
        return [round(v * k, digits) for v in (self.x0, self.y0, self.x1, self.y1)]


@dataclass(frozen=True)
class Run:
    """Text drawn in one font, one size and one direction, starting at (x, baseline).

    `text` is in logical order; the renderer shapes it (a right-to-left run is reversed by
    the shaper, not by us). `x` is the left edge of the run's advance box.
    """

    text: str
    font: str  # file name inside fonts/
    index: int  # face index inside a collection (.ttc), else 0
    size: float  # font size in points
    direction: Direction
    script: str  # ISO 15924, e.g. "Arab"
    language: str  # BCP 47 tag given to the shaper, e.g. "ur"
    x: float
    baseline: float
    advance: float
    accent: bool = False  # an emphasised word (`*word*`): drawn in the accent colour


@dataclass(frozen=True)
class Line:
    """One line of the slogan: its runs in visual order (left to right) and its ink.

    `block` numbers the texts of a bilingual banner: 0 the primary, 1 and 2 the others.
    """

    text: str
    size: float
    runs: tuple[Run, ...]
    ink: Box
    block: int = 0

    def transformed(self, k: float, ox: float, oy: float, dy: float = 0.0) -> Line:
        """The line scaled by k about (ox, oy), then moved down by dy."""

        def x(v: float) -> float:
            return ox + (v - ox) * k

        def y(v: float) -> float:
            return oy + (v - oy) * k + dy

        runs = tuple(
            replace(r, size=r.size * k, x=x(r.x), baseline=y(r.baseline), advance=r.advance * k)
            for r in self.runs
        )
        ink = Box(x(self.ink.x0), y(self.ink.y0), x(self.ink.x1), y(self.ink.y1))
        return replace(self, size=self.size * k, runs=runs, ink=ink)


@dataclass(frozen=True)
class Page:
    """The physical page: name for humans and file names, size in points."""

    name: str  # "a4", "300x100cm", "1080x1080px"
    width: float
    height: float
    native_dpi: float  # 72 for pages given in px (1 px = 1 pt), else the print DPI


@dataclass(frozen=True)
class Shape:
    """A filled polygon of a theme (a ground, a bar, a frame), corners in page points."""

    points: tuple[tuple[float, float], ...]
    colour: RGB


@dataclass(frozen=True)
class Picture:
    """An image in the slot the layout reserved for it: the stored file, drawn into `box`."""

    box: Box
    data: bytes = field(repr=False)
    pixels: tuple[int, int]  # its width and height


@dataclass(frozen=True)
class Code:
    """A QR code: dark modules on a light plate that holds its quiet zone and caption."""

    text: str  # what it encodes
    plate: Box
    x: float  # the top-left corner of module (0, 0)
    y: float
    module: float  # the side of one module, in points
    count: int  # modules per side
    dark: tuple[tuple[int, int, int], ...]  # runs of dark modules: (row, first column, end)
    ink: RGB
    paper: RGB
    caption: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Grid:
    """A painting guide: a labelled grid of `step`-point squares over the whole page."""

    step: float
    columns: int
    rows: int
    colour: RGB
    width: float  # of its lines, in points
    labels: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Scene:
    """What a theme draws around the text, and the colours of the letters.

    The renderers draw, in order: the page's `bg`, the `ground` shapes, the picture, the
    letters (in `text`, emphasised words in `accent`; as outlines when `outline` is set),
    the QR code, and the grid on top.
    """

    theme: str = "plain"
    ground: tuple[Shape, ...] = ()
    text: RGB | None = None  # the letters' colour; None: the layout's fg
    signature: RGB | None = None  # the signature's; None: as the letters
    accent: RGB | None = None  # emphasised words' colour; None: as the other letters
    outline: float = 0.0  # letters drawn as outlines: half the stroke's width, per pt of size
    picture: Picture | None = None
    code: Code | None = None
    grid: Grid | None = None


@dataclass(frozen=True)
class Layout:
    """Everything measured, nothing drawn: what the renderers draw, to the point."""

    page: Page
    box: Box  # the area inside the margins
    lines: tuple[Line, ...]
    fg: tuple[int, int, int]
    bg: tuple[int, int, int]
    style: str
    lang: str
    direction: Direction
    signature: tuple[Line, ...] = field(default=())
    # What each block says, as typed (the slogan, then its translations, then the signature):
    # the lines cannot tell a broken word's hyphen or a Thai line end from a typed one.
    texts: tuple[str, ...] = field(default=())
    scene: Scene = field(default=Scene())

    def colour(self, run: Run, signature: bool = False) -> RGB:
        """The colour a run's letters are drawn in (a run of the signature line's, if said)."""
        scene = self.scene
        if run.accent and scene.accent is not None:
            return scene.accent
        if signature and scene.signature is not None:
            return scene.signature
        return scene.text or self.fg

    @property
    def all_lines(self) -> tuple[Line, ...]:
        return self.lines + self.signature

    @property
    def ink(self) -> Box:
        boxes = [line.ink for line in self.all_lines]
        out = boxes[0]
        for b in boxes[1:]:
            out = out.union(b)
        return out
