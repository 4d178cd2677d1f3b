"""Page sizes people print: paper, cloth banners, social images, and custom sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import EngineError
from .geometry import PT_PER_MM, Page

# Width × height in millimetres, portrait as printed.
PAPER_MM: dict[str, tuple[float, float]] = {
    "a0": (841, 1189),
    "a1": (594, 841),
    "a2": (420, 594),
    "a3": (297, 420),
    "a4": (210, 297),
    "a5": (148, 210),
    "a6": (105, 148),
    "letter": (215.9, 279.4),
    "legal": (215.9, 355.6),
    "tabloid": (279.4, 431.8),
}
US_PAPER = ("letter", "legal", "tabloid")  # known by their inches
# Named cloth banners and social images, as the form offers them.
PRESETS: dict[str, str] = {
    "banner-200x70cm": "200x70cm",
    "banner-300x100cm": "300x100cm",
    "square-1080px": "1080x1080px",
    "portrait-1080x1350px": "1080x1350px",
    "story-1080x1920px": "1080x1920px",  # a phone's full screen: stories, statuses
    "wide-1920x1080px": "1920x1080px",
}
UNIT_PT = {"mm": PT_PER_MM, "cm": 10 * PT_PER_MM, "in": 72.0, "px": 1.0}
# Print resolution people expect: 300 DPI for paper up to A3, 150 DPI for large formats.
LARGE_FORMAT_PT = 420 * PT_PER_MM
MAX_SIDE_PT = 50_000 * PT_PER_MM  # 50 m: beyond any cloth banner
MIN_SIDE_PT = 20 * PT_PER_MM  # 2 cm: smaller is not a banner

_CUSTOM = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|px)\s*$", re.IGNORECASE
)


def page_names() -> list[str]:
    """The named sizes, paper first."""
    return list(PAPER_MM) + list(PRESETS)


@dataclass(frozen=True)
class SizeName:
    """A size as people write it: its kind and its sides in the unit it is known by."""

    kind: str  # 'a' (A series), 'us', 'banner', 'square', 'portrait', 'story', 'wide', 'custom'
    width: str  # '297', '8.5', '84.1'
    height: str
    unit: str  # 'mm', 'cm', 'in' or 'px'


def describe_size(size: str) -> SizeName | None:
    """'a3' → a 297 × 420 mm, 'letter' → us 8.5 × 11 in, 'banner-300x100cm' → banner
    300 × 100 cm, '120x84.1cm' → custom; None for what is not a size."""
    name = size.strip().lower()
    if name in PAPER_MM:
        w, h = PAPER_MM[name]
        if name in US_PAPER:
            return SizeName("us", _num(f"{w / 25.4:.3f}"), _num(f"{h / 25.4:.3f}"), "in")
        return SizeName("a", _num(str(w)), _num(str(h)), "mm")
    m = _CUSTOM.match(PRESETS.get(name, name))
    if m is None:
        return None
    kind = name.split("-")[0] if name in PRESETS else "custom"
    return SizeName(kind, _num(m.group(1)), _num(m.group(2)), m.group(3).lower())


def parse_page(size: str, orientation: str | None = None) -> Page:
    """Turn `a4`, `banner-300x100cm` or `WxH{mm,cm,in,px}` into a Page, honouring orientation."""
    name = size.strip().lower()
    name = PRESETS.get(name, name)
    if name in PAPER_MM:
        w_mm, h_mm = PAPER_MM[name]
        width, height, unit = w_mm * PT_PER_MM, h_mm * PT_PER_MM, "mm"
    else:
        m = _CUSTOM.match(name)
        if not m:
            raise EngineError("unknown_size", value=size, expected=", ".join(page_names()))
        unit = m.group(3).lower()
        width, height = float(m.group(1)) * UNIT_PT[unit], float(m.group(2)) * UNIT_PT[unit]
        name = f"{_num(m.group(1))}x{_num(m.group(2))}{unit}"
    _check_side(size, min(width, height), max(width, height))
    if (
        orientation == "landscape"
        and height > width
        or orientation == "portrait"
        and width > height
    ):
        width, height = height, width
    native_dpi = (
        72.0 if unit == "px" else (300.0 if max(width, height) <= LARGE_FORMAT_PT + 1 else 150.0)
    )
    return Page(name=name, width=width, height=height, native_dpi=native_dpi)


def _check_side(size: str, short: float, long: float) -> None:
    if short < MIN_SIDE_PT:
        raise EngineError("size_too_small", value=size)
    if long > MAX_SIDE_PT:
        raise EngineError("size_too_large", value=size)


def _num(text: str) -> str:
    return str(float(text)).removesuffix(".0")
