"""Colour presets for banners, and the contrast under which the pages warn (the WCAG contrast
ratio itself is the engine's: `layout.contrast`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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

# The colour of `*emphasised*` words (and a frame), beside the theme's own: id: (label, colour)
ACCENTS = {
    "red": (_l("Red"), "#d40000"),
    "yellow": (_l("Yellow"), "#ffd400"),
    "green": (_l("Green"), "#00843d"),
    "purple": (_l("Purple"), "#7b2d8e"),
    "black": (_l("Black"), "#000000"),
    "white": (_l("White"), "#ffffff"),
}
