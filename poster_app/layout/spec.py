"""The Spec: what a person asked for, validated on construction with precise messages."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

from .errors import EngineError
from .geometry import Page
from .languages import language
from .pages import parse_page

Style = Literal["fill", "stack"]
STYLES = ("fill", "stack")
ORIENTATIONS = ("portrait", "landscape")
MAX_TEXT = 500  # characters: a banner, not a leaflet
MAX_SIGNATURE = 120
MAX_ALSO = 2
DPI_RANGE = (36, 1200)
# Bidi embeddings and overrides (U+202A–U+202E, U+2066–U+2069) could make a banner read
# differently from what the person typed; the engine orders text itself, so they are refused.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_HEX = re.compile(r"^#?([0-9a-f]{3}|[0-9a-f]{6})$", re.IGNORECASE)
_IMAGE_ID = re.compile(r"^[0-9a-f]{64}$")
IMAGE_POSITIONS = ("top", "bottom", "left", "right")
MAX_QR = 200
MAX_CAPTION = 40
_GRID = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|m)?\s*$", re.IGNORECASE)
_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "m": 1000.0, None: 1.0}


class SpecError(EngineError):
    """A bad value in a Spec; `field` names the option (the CLI flag / JSON key)."""

    field: str

    def __init__(self, field: str, code: str, **params: Any):
        super().__init__(code, field, **params)

    @classmethod
    def about(cls, field: str, error: EngineError) -> SpecError:
        """An error of the page, the language, the code or the grid, about this option."""
        return cls(field, error.code, **error.params)


@dataclass(frozen=True)
class Spec:
    """A banner request. Construct it with keyword arguments; bad values raise SpecError."""

    text: str
    lang: str = "en"
    size: str = "a4"
    orientation: str | None = None  # None: as the size is given
    style: Style = "fill"
    family: str = "sans"
    fg: str = ""  # "": the theme's (themes.py); always a colour once constructed
    bg: str = ""
    signature: str = ""
    margin: float = 0.05  # of the page's shorter side
    dpi: int | None = None  # None: the page's print DPI
    # The slogan in up to two more languages, set smaller below it: (lang, text) pairs.
    also: tuple[tuple[str, str], ...] = ()
    # Typographic quotes, apostrophes and dashes for each block's language (punctuation.py);
    # off by default: what was typed is what the banner says.
    smart_punctuation: bool = False
    # The design (themes.py): what is drawn around the text, the colour of `*emphasised*`
    # words ("": the theme's), an uploaded image by its id (the SHA-256 of its stored
    # bytes) and where it goes, a QR code and its caption, a painting grid (mm; 0: none).
    theme: str = "plain"
    accent: str = ""
    image: str = ""
    image_position: str | None = None  # None: beside the text on wide pages, above on tall
    qr: str = ""
    qr_caption: str = ""
    grid: float = 0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.smart_punctuation, bool):
            raise SpecError(
                "smart_punctuation",
                "not_boolean",
                name="smart_punctuation",
                value=self.smart_punctuation,
            )
        set_(self, "text", _clean_text("text", self.text, MAX_TEXT, multiline=True))
        if not _visible(_without_marks("text", self.text)):
            raise SpecError("text", "text_empty")
        set_(
            self,
            "signature",
            _clean_text("signature", self.signature or "", MAX_SIGNATURE, multiline=False).strip(),
        )
        _without_marks("signature", self.signature)
        set_(self, "lang", _check_lang(self.lang))
        set_(self, "also", _check_also(self.also))
        set_(self, "size", _check_str("size", self.size).strip().lower())
        if self.orientation is not None and self.orientation not in ORIENTATIONS:
            raise _choice("orientation", self.orientation, ORIENTATIONS)
        if self.style not in STYLES:
            raise _choice("style", self.style, STYLES)
        set_(self, "family", _check_family(self.family))
        self._check_design()
        if (
            isinstance(self.margin, bool)
            or not isinstance(self.margin, (int, float))
            or not 0 <= self.margin <= 0.3
        ):
            raise SpecError("margin", "margin", value=self.margin)
        if self.dpi is not None:
            set_(self, "dpi", check_dpi(self.dpi))
        try:
            parse_page(self.size, self.orientation)
        except EngineError as e:
            raise SpecError.about("size", e) from None
        if self.grid:
            from .grid import check_step

            try:
                check_step(self.page, self.grid)
            except EngineError as e:
                raise SpecError.about("grid", e) from None

    def _check_design(self) -> None:
        """The theme, its colours (the theme's unless given), the image, the code, the grid."""
        from .themes import THEMES

        set_ = object.__setattr__
        if self.theme not in THEMES:
            raise _choice("theme", self.theme, list(THEMES))
        look = THEMES[self.theme]
        for name in ("fg", "bg", "accent"):
            value = getattr(self, name)
            set_(self, name, _check_colour(name, value or getattr(look, name)))
        if not isinstance(self.image, str) or not (self.image == "" or _IMAGE_ID.match(self.image)):
            raise SpecError("image", "image_id", value=self.image)
        if self.image_position is not None and self.image_position not in IMAGE_POSITIONS:
            raise _choice("image_position", self.image_position, IMAGE_POSITIONS)
        set_(self, "qr", _clean_text("qr", self.qr or "", MAX_QR, multiline=False).strip())
        caption = _clean_text("qr_caption", self.qr_caption or "", MAX_CAPTION, multiline=False)
        set_(self, "qr_caption", caption.strip())
        if self.qr_caption and not self.qr:
            raise SpecError("qr_caption", "caption_without_qr")
        if self.qr:
            from .qr import QRTooLong, modules

            try:
                modules(self.qr)
            except QRTooLong as e:
                raise SpecError.about("qr", e) from None
        set_(self, "grid", _check_grid(self.grid))

    @property
    def page(self) -> Page:
        return parse_page(self.size, self.orientation)

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Spec:
        """Build a Spec from CLI/JSON options (keys are the CLI's flag names); unknown keys fail."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - names)
        if unknown:
            raise SpecError(
                unknown[0], "unknown_option", name=unknown[0], expected=", ".join(sorted(names))
            )
        if options.get("text") is None:
            raise SpecError("text", "text_missing")
        return cls(**{k: v for k, v in options.items() if v is not None})

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> Spec:
        """The Spec of a stored canonical dict (`to_dict()`), trusted as it is: no rule for
        new input is checked again. A row written under older or looser rules (a longer
        slogan, an option since dropped) is still read, listed and rendered; keys this
        version doesn't know are left out, missing ones take their defaults."""
        spec = object.__new__(cls)
        for f in fields(cls):
            value = stored.get(f.name, f.default)
            if f.name == "also":
                value = tuple(tuple(pair) for pair in value or ())
            object.__setattr__(spec, f.name, value)
        return spec

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["also"] = [list(pair) for pair in self.also]
        return out

    def replace(self, **changes: Any) -> Spec:
        return replace(self, **changes)

    def key(self, engine_version: str, secret: bytes | None = None) -> str:
        """Content address: the hash of the canonical spec and the engine version.

        With a `secret`, a keyed hash (HMAC-SHA256): the same spec still gets the same key,
        but nobody without the secret can compute it from a guessed slogan.
        """
        import hashlib  # only the web app needs keys
        import hmac

        canonical = json.dumps([engine_version, self.to_dict()], sort_keys=True, ensure_ascii=False)
        if secret is None:
            return hashlib.sha256(canonical.encode()).hexdigest()[:20]
        return hmac.new(secret, canonical.encode(), hashlib.sha256).hexdigest()[:20]


def _check_also(value: Any) -> tuple[tuple[str, str], ...]:
    """Up to two more (lang, text) blocks; accepts pairs, {"lang", "text"} or "lang:text"."""
    if isinstance(value, (str, dict)) or not isinstance(value, (list, tuple)):
        value = [value]
    if len(value) > MAX_ALSO:
        raise SpecError(
            "also", "too_many_languages", most=MAX_ALSO + 1, more=MAX_ALSO, count=len(value) + 1
        )
    out = []
    for item in value:
        if isinstance(item, str) and ":" in item:
            item = item.split(":", 1)
        elif isinstance(item, dict) and set(item) == {"lang", "text"}:
            item = (item["lang"], item["text"])
        if not (isinstance(item, (list, tuple)) and len(item) == 2):
            raise SpecError("also", "also_format", value=item)
        lang, text = item
        text = _clean_text("also", text, MAX_TEXT, multiline=True).strip()
        if not _visible(_without_marks("also", text)):
            raise SpecError("also", "also_empty", lang=lang)
        try:
            out.append((language(_check_str("also", lang)).tag, text))
        except EngineError as e:
            raise SpecError.about("also", e) from None
    return tuple(out)


def check_dpi(dpi: Any) -> int:
    # Infinity and NaN are floats too (JSON's 1e999), and int() of them raises; a whole number
    # of 400 digits is an int that no float holds (math.isfinite would raise).
    if (
        isinstance(dpi, bool)
        or not isinstance(dpi, (int, float))
        or isinstance(dpi, float)
        and (not math.isfinite(dpi) or dpi != int(dpi))
    ):
        raise SpecError("dpi", "dpi_whole", value=dpi)
    if not DPI_RANGE[0] <= dpi <= DPI_RANGE[1]:
        raise SpecError("dpi", "dpi_range", low=DPI_RANGE[0], high=DPI_RANGE[1], value=dpi)
    return int(dpi)


def parse_colour(value: str) -> tuple[int, int, int]:
    """'#c00', '#cc0000' or a CSS colour name → (r, g, b)."""
    from PIL import ImageColor

    m = _HEX.match(value)
    if m:
        value = "#" + m.group(1)
    return ImageColor.getrgb(value)[:3]


def luminance(colour: str | tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour ('#c00', a name, or (r, g, b))."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = parse_colour(colour) if isinstance(colour, str) else colour
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str | tuple[int, int, int], b: str | tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _check_grid(value: Any) -> float:
    """A painting grid's step in mm: a number of mm or a length like '10cm'; 0 is none."""
    if isinstance(value, str):
        m = _GRID.match(value)
        if not m:
            raise SpecError("grid", "grid_length", value=value)
        value = float(m.group(1)) * _MM[m.group(2) and m.group(2).lower()]
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise SpecError("grid", "grid_length", value=value)
    return round(float(value), 1)


def _without_marks(field: str, text: str) -> str:
    """The text without its emphasis marks; a mark with no partner is refused."""
    from .emphasis import UnbalancedEmphasis, parse

    try:
        return parse(text).text
    except UnbalancedEmphasis:
        raise SpecError(field, "unbalanced_emphasis", what=_what(field)) from None


def _check_str(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SpecError(field, "not_text", name=field, kind=type(value).__name__)
    return value


def _clean_text(field: str, value: Any, limit: int, multiline: bool) -> str:
    """Normalise to NFC and line feeds; refuse controls and bidi overrides, saying which."""
    value = unicodedata.normalize("NFC", _check_str(field, value))
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if BIDI_CONTROLS.search(value):
        raise SpecError(field, "bidi_controls", what=_what(field))
    for ch in value:
        if unicodedata.category(ch) == "Cc" and not (multiline and ch == "\n"):
            raise SpecError(
                field, "control_character", what=_what(field), codepoint=f"{ord(ch):04X}"
            )
    if len(value) > limit:
        raise SpecError(field, "too_long", what=_what(field), length=len(value), limit=limit)
    return value


def _visible(text: str) -> bool:
    """Whether anything would be drawn: more than spaces, joiners and variation selectors."""
    return any(
        not ch.isspace()
        and unicodedata.category(ch) != "Cf"
        and not ("\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef")
        for ch in text
    )


def _what(field: str) -> str:
    return {"text": "slogan", "also": "other language's slogan", "qr": "QR code's text"}.get(
        field, field.replace("_", " ")
    )


def _check_lang(value: Any) -> str:
    try:
        return language(_check_str("lang", value)).tag
    except EngineError as e:
        raise SpecError.about("lang", e) from None


def _check_family(value: Any) -> str:
    from .fonts import families

    ids = [fid for fid, _ in families()]
    if _check_str("family", value) not in ids:
        raise _choice("family", value, ids)
    return value


def _check_colour(field: str, value: Any) -> str:
    try:
        r, g, b = parse_colour(_check_str(field, value).strip())
    except ValueError:
        raise SpecError(field, "colour", name=field, value=value) from None
    return f"#{r:02x}{g:02x}{b:02x}"


def _choice(name: str, value: Any, allowed: tuple[str, ...] | list[str]) -> SpecError:
    expected = ", ".join(repr(a) for a in allowed)
    return SpecError(name, "not_a_choice", name=name, expected=expected, value=value)
