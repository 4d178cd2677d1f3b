"""The engine's refusals in the interface language, for the web pages and campaigns' checks.

The engine (poster_app/layout) says why it refuses a spec with a code and its parameters
(layout/errors.py), and in English for the command line. Here each code has its message for
people, translated in translations/ (tests/web/test_engine_errors.py checks that every code has
one, in every catalog). The parameters are the engine's; `what` (which text is at fault) is
said here, in the interface language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .layout import EngineError

MESSAGES = {
    "text_missing": _l("the slogan is missing"),
    "text_empty": _l("the slogan is empty; type the words for the banner"),
    "too_long": _l("%(what)s is %(length)s characters long; at most %(limit)s fit on a banner"),
    "control_character": _l("%(what)s contains the control character U+%(codepoint)s"),
    "bidi_controls": _l(
        "%(what)s contains bidi override characters; remove them, the direction is set by "
        "the language"
    ),
    "unbalanced_emphasis": _l(
        "in %(what)s, a * mark has no partner: put * on both sides of the words to colour "
        "(*like this*), or type \\* for an asterisk"
    ),
    "missing_glyphs": _l(
        "No bundled font has these characters: %(chars)s. Remove them from the slogan."
    ),
    "unknown_language": _l("unknown language %(value)r; give a language tag such as ru or ar"),
    "too_many_languages": _l(
        "a banner holds at most %(most)s languages (the slogan and %(more)s more)"
    ),
    "also_format": _l("each other language is LANG:TEXT (not %(value)r)"),
    "also_empty": _l("the slogan in %(lang)r is empty"),
    "unknown_option": _l("unknown option %(name)r"),
    "not_text": _l("%(name)s must be text"),
    "not_boolean": _l("%(name)s must be true or false"),
    "not_a_choice": _l("%(value)r is not a choice for %(name)s; choose one of %(expected)s"),
    "unknown_family": _l("unknown typeface %(value)r; choose one of %(expected)s"),
    "colour": _l("%(value)r is not a colour; pick one like #cc0000"),
    "margin": _l("the margin must be a fraction from 0 to 0.3"),
    "dpi_whole": _l("the DPI must be a whole number"),
    "dpi_range": _l("the DPI must be from %(low)s to %(high)s (not %(value)s)"),
    "unknown_size": _l(
        "unknown page size %(value)r; choose a size, or give width and height with a unit, "
        "like 300x100cm"
    ),
    "size_too_small": _l("this page is too small: its shortest side must be at least 2 cm"),
    "size_too_large": _l("this page is too large: its longest side may be at most 50 m"),
    "too_many_pixels": _l(
        "a %(width)s×%(height)s %(unit)s page at %(dpi)s DPI is %(pixels)s px, over the "
        "%(limit)s megapixel limit; lower the DPI or download the PDF, which has no size limit"
    ),
    "image_id": _l("this is not the id of an uploaded image"),
    "image_not_stored": _l("the image is no longer on the server: upload it again"),
    "qr_too_long": _l(
        "the QR code's text is too long to be read from afar (%(length)s characters): use a "
        "shorter address"
    ),
    "caption_without_qr": _l("a caption goes with a QR code: give the code's text too"),
    "no_room": _l(
        "the image and the QR code leave too little room for the slogan on this page: choose "
        "a larger page, another image position, or leave one out"
    ),
    "grid_length": _l("give the grid's square as a length, like 25 cm"),
    "grid_too_fine": _l("the grid's square must be at least %(least)s mm (not %(step)s mm)"),
    "grid_too_many": _l(
        "a grid of %(step)s mm makes %(squares)s squares along this page; at most %(most)s: "
        "take a square of at least %(least)s mm"
    ),
    "format": _l("the file must be a PNG or a PDF"),
    "png_print_options": _l("the print options make a PDF, not a PNG"),
    "tile_sheet": _l("tiles are printed on A4 or Letter sheets (not %(value)r)"),
    "tile_or_print_shop": _l(
        "tiles are for home printers; bleed, crop marks and hem are for the single-page PDF: "
        "use one or the other"
    ),
    "overlap_without_tile": _l("the overlap goes with tiles (A4 or Letter)"),
    "too_many_sheets": _l(
        "this size needs %(count)s %(sheet)s sheets (%(cols)s × %(rows)s); tiling makes at "
        "most %(most)s: take the single-page PDF to a print shop instead"
    ),
    "not_millimetres": _l("%(name)s must be a number of millimetres (not %(value)r)"),
    "length_mm": _l("%(name)s must be a length in mm (not %(value)r)"),
    "mm_range": _l("%(name)s must be between 0 and %(most)s mm (not %(value)s mm)"),
    "mm_negative": _l("%(name)s must be 0 mm or more (not %(value)s mm)"),
    "hem_range": _l(
        "hem must be between 0 and %(most)s mm on this page (a quarter of the short side; not "
        "%(value)s mm)"
    ),
    "crop": _l("crop must be 0 or 1 (not %(value)r)"),
}

# Which text a message is about (the engine's `field`), to say in the interface language.
WHAT = {
    "text": _l("the slogan"),
    "also": _l("the other language's slogan"),
    "signature": _l("the signature"),
    "qr": _l("the QR code's text"),
    "qr_caption": _l("the caption"),
}


def engine_message(error: EngineError) -> str:
    """What the engine refused, in the interface language."""
    return message(error.code, error.params, error.field)


def message(code: str, params: Mapping[str, Any], field: str | None = None) -> str:
    """The message of the engine's refusal `code` with its `params` (about the option `field`),
    in the interface language: for a refusal raised now, or one stored (campaigns.py)."""
    params = dict(params)
    if "what" in params:
        params["what"] = str(WHAT.get(field or "", params["what"]))
    return str(MESSAGES[code]) % params


def cannot_use(error: EngineError) -> str:
    """The message for a form or a page: "This can't be used: …"."""
    return _("This can't be used: %(reason)s", reason=engine_message(error))
