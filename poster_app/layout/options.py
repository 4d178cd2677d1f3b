"""How a banner becomes a file, besides its Spec: RenderOptions (format, DPI) and PrintOptions
(the PDF's print extras). Frozen values, checked on construction; the `poster` command, the
web app and campaigns all make files through them (`render_file`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .errors import EngineError
from .geometry import Layout

SHEETS = ("a4", "letter")  # home-printer paper a poster can be tiled on (sizes: pages.py)
DEFAULT_OVERLAP_MM = 10  # the glue strip between tiled sheets
MAX_OVERLAP_MM = 50
MAX_BLEED_MM = 20


class PrintOptionError(EngineError):
    """A bad print or render option; `field` names it (the web's query key, the CLI's flag)."""

    def __init__(self, field: str, code: str, **params: Any):
        super().__init__(code, field, **params)


@dataclass(frozen=True)
class RenderOptions:
    """The file to make: a PNG at `dpi` (None: the spec's DPI, else the page's print DPI), or
    the vector PDF."""

    format: Literal["png", "pdf"] = "png"
    dpi: int | None = None

    def __post_init__(self) -> None:
        from .spec import SpecError, check_dpi

        if self.format not in ("png", "pdf"):
            raise PrintOptionError("format", "format", value=self.format)
        if self.dpi is not None:
            try:
                check_dpi(self.dpi)
            except SpecError as e:
                raise PrintOptionError("dpi", e.code, **e.params) from None


@dataclass(frozen=True)
class PrintOptions:
    """The PDF's print extras: tiled over home-printer sheets (`tile`, `overlap_mm`), or one
    page for a print shop (`bleed_mm`, `crop_marks`) or a cloth banner (`hem_mm`).

    The limits that depend on the page (a hem at most a quarter of its short side, at most
    200 sheets) are checked when the PDF is made.
    """

    tile: str | None = None
    overlap_mm: float | None = None  # None: DEFAULT_OVERLAP_MM when tiled
    bleed_mm: float = 0
    crop_marks: bool = False
    hem_mm: float = 0

    def __post_init__(self) -> None:
        if self.tile is not None and self.tile not in SHEETS:
            raise PrintOptionError(
                "tile", "tile_sheet", sheets=" or ".join(SHEETS), value=self.tile
            )
        for name, value, top in (
            ("overlap", self.overlap_mm, MAX_OVERLAP_MM),
            ("bleed", self.bleed_mm, MAX_BLEED_MM),
            ("hem", self.hem_mm, math.inf),
        ):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PrintOptionError(name, "length_mm", name=name, value=value)
            if not 0 <= value <= top:
                code = "mm_range" if top < math.inf else "mm_negative"
                raise PrintOptionError(name, code, name=name, most=f"{top:g}", value=f"{value:g}")
        if self.overlap_mm is not None and not self.tile:
            raise PrintOptionError("overlap", "overlap_without_tile")
        if self.tile and (self.bleed_mm or self.crop_marks or self.hem_mm):
            raise PrintOptionError("tile", "tile_or_print_shop")

    @property
    def overlap(self) -> float:
        return DEFAULT_OVERLAP_MM if self.overlap_mm is None else self.overlap_mm

    @property
    def name(self) -> str:
        """What the file is, for its name: 'tiled-a4', 'bleed3mm-crop-marks', '' for plain."""
        if self.tile:
            extra = "" if self.overlap == DEFAULT_OVERLAP_MM else f"-overlap{self.overlap:g}mm"
            return f"tiled-{self.tile}{extra}"
        parts = [f"bleed{self.bleed_mm:g}mm"] if self.bleed_mm else []
        parts += ["crop-marks"] if self.crop_marks else []
        parts += [f"hem{self.hem_mm:g}mm"] if self.hem_mm else []
        return "-".join(parts)

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> PrintOptions:
        """From a download's query: `tile=a4|letter[&overlap=10]`, `bleed=3&crop=1`, `hem=40`
        (millimetres, rounded to whole ones: nobody glues or trims to a tenth, and each
        value is a file of its own)."""
        numbers: dict[str, Any] = {}
        for key in ("overlap", "bleed", "hem"):
            if key in args:
                try:
                    value = float(args[key])
                except ValueError:
                    value = math.nan
                if not math.isfinite(value):
                    raise PrintOptionError(key, "not_millimetres", name=key, value=args[key])
                numbers[f"{key}_mm"] = round(value)
        crop = args.get("crop", "0")
        if crop not in ("0", "1"):
            raise PrintOptionError("crop", "crop", value=crop)
        tile = args.get("tile", "").lower() or None
        return cls(tile=tile, crop_marks=crop == "1", **numbers)


def render_file(
    layout: Layout,
    render: RenderOptions,
    printing: PrintOptions | None = None,
    max_pixels: int | None = None,
) -> bytes:
    """The banner as a file: a PNG (at most `max_pixels`), or a PDF with its print extras."""
    printing = printing or PrintOptions()
    if render.format == "png":
        if printing != PrintOptions():
            raise PrintOptionError("format", "png_print_options")
        from .png import MAX_PIXELS, render_png

        return render_png(layout, dpi=render.dpi, max_pixels=max_pixels or MAX_PIXELS)
    if printing.tile:
        from .tiles import render_tiles

        return render_tiles(layout, printing.tile, printing.overlap)
    from .pdf import render_pdf

    return render_pdf(
        layout, bleed_mm=printing.bleed_mm, crop_marks=printing.crop_marks, hem_mm=printing.hem_mm
    )
