"""The engine's refusals: a stable code and its parameters, and an English message.

The engine never imports Flask: an error carries what went wrong as data (`code`, `params`),
str() of it is the English message the command line prints, and the web app says the same in
the interface language from the code (poster_app/engine_messages.py has a message for every
code here; a test keeps the two tables and the catalogs in step). Parameters are what the
message quotes, already formatted where a number needs a format; `{value!r}` quotes as Python
does, which the web messages write `%(value)r`.
"""

from __future__ import annotations

from typing import Any

ENGLISH = {
    # The slogan and its texts; `what` names the text ("slogan", "signature", …).
    "text_missing": "the slogan is missing ('text')",
    "text_empty": "the slogan is empty; type the words for the banner",
    "too_long": "the {what} is {length} characters long; at most {limit} fit on a banner",
    "control_character": "the {what} contains the control character U+{codepoint}",
    "bidi_controls": "the {what} contains bidi override characters (U+202A–U+202E, "
    "U+2066–U+2069); remove them, the direction is set by the language",
    "unbalanced_emphasis": "in the {what}, a * mark has no partner: put * on both sides of the "
    "words to colour (*like this*), or type \\* for an asterisk",
    "missing_glyphs": "no bundled font has {names}; remove {them} from the slogan",
    "unknown_language": "unknown language {value!r}; expected a BCP 47 tag such as 'ru', 'ar' "
    "or 'zh-Hant'",
    "too_many_languages": "a banner holds at most {most} languages (the slogan and {more} more), "
    "not {count}",
    "also_format": "each other language is 'LANG:TEXT' (not {value!r})",
    "also_empty": "the slogan in {lang!r} is empty",
    # Options given the wrong way (the API and the command line; the form sends none of these).
    "unknown_option": "unknown option {name!r}; expected {expected}",
    "not_text": "{name} must be text (not {kind})",
    "not_boolean": "{name} must be true or false (not {value!r})",
    "not_a_choice": "invalid value for {name}, expected {expected} (not {value!r})",
    "unknown_family": "unknown type family {value!r}; expected one of {expected}",
    "colour": "{name} must be a colour like '#cc0000' or 'red' (not {value!r})",
    "margin": "margin must be a fraction from 0 to 0.3 (not {value!r})",
    "dpi_whole": "dpi must be a whole number (not {value!r})",
    "dpi_range": "dpi must be from {low} to {high} (not {value})",
    # The page.
    "unknown_size": "unknown page size {value!r}; expected one of {expected} or WxH with a "
    "unit, like 300x100cm or 1080x1080px",
    "size_too_small": "page size {value!r} is too small; the shortest side must be at least 2 cm",
    "size_too_large": "page size {value!r} is too large; the longest side may be at most 50 m",
    "too_many_pixels": "a {width}×{height} {unit} page at {dpi} DPI is {pixels} px, over the "
    "{limit} megapixel limit; lower the DPI or download the PDF, which has no size limit",
    # The design: the image, the QR code, the painting grid.
    "image_id": "image must be the id of an uploaded image (not {value!r})",
    "image_not_stored": "no uploaded image has the id {image}; upload it again",
    "qr_too_long": "the QR code's text is too long to be read from afar ({length} characters): "
    "use a shorter address",
    "caption_without_qr": "a caption goes with a QR code: give the code's text too",
    "no_room": "the image and the QR code leave too little room for the slogan on this page: "
    "choose a larger page, another image position, or leave one out",
    "grid_length": "grid must be a length like 10cm or 100mm (not {value!r})",
    "grid_too_fine": "the grid's step must be at least {least} mm (not {step} mm)",
    "grid_too_many": "a grid of {step} mm makes {squares} squares along this page; at most "
    "{most}: take a step of at least {least} mm",
    # The file and its print extras.
    "format": "format must be png or pdf (not {value!r})",
    "png_print_options": "the print options make a PDF, not a PNG",
    "tile_sheet": "tiles are printed on {sheets} sheets (not {value!r})",
    "tile_or_print_shop": "tiles are for home printers; bleed, crop marks and hem are for the "
    "single-page PDF: use one or the other",
    "overlap_without_tile": "overlap goes with tile (a4 or letter)",
    "too_many_sheets": "this size needs {count} {sheet} sheets ({cols} × {rows}); tiling makes "
    "at most {most}: take the single-page PDF to a print shop instead",
    "not_millimetres": "{name} must be a number of millimetres (not {value!r})",
    "length_mm": "{name} must be a length in mm (not {value!r})",
    "mm_range": "{name} must be between 0 and {most} mm (not {value} mm)",
    "mm_negative": "{name} must be 0 mm or more (not {value} mm)",
    "hem_range": "hem must be between 0 and {most} mm on this page (a quarter of the short "
    "side; not {value} mm)",
    "crop": "crop must be 0 or 1 (not {value!r})",
}


class EngineError(ValueError):
    """A refusal meant for people: `code` (a key of ENGLISH) with its `params`, and the option
    it is about (`field`: the CLI flag / JSON key, None when it is no one option)."""

    def __init__(self, code: str, field: str | None = None, **params: Any):
        super().__init__(ENGLISH[code].format(**params))
        self.code, self.field, self.params = code, field, params
