"""Colour presets for banners and the WCAG contrast check that warns about hard-to-read pairs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..layout import parse_colour

MIN_CONTRAST = 4.5  # WCAG AA for text

# id: (label, foreground, background)
PRESETS = {
    "black-on-white": (_l("Black on white"), "#000000", "#ffffff"),
    "white-on-black": (_l("White on black"), "#ffffff", "#000000"),
    "red-on-white": (_l("Red on white"), "#c8102e", "#ffffff"),
    "white-on-red": (_l("White on red"), "#ffffff", "#c8102e"),
    "red-on-black": (_l("Red on black"), "#e4002b", "#000000"),
    "black-on-yellow": (_l("Black on yellow"), "#000000", "#ffd400"),
}


def luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in parse_colour(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
