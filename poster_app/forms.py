"""The banner form: every option of a Spec, with messages in the UI language."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import ColorInput

from . import phrasebook
from .layout import Spec, families, page_names, supported_languages
from .web.colours import PRESETS

_NUMBER = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
PAPER = ("a0", "a1", "a2", "a3", "a4", "a5", "a6")
US = ("letter", "legal", "tabloid")
UNITS = [SelectChoice(unit) for unit in ("cm", "mm", "in", "px")]


class BannerForm(FlaskForm):
    # Choosing a phrase fills the slogan (and the other languages) from the phrasebook.
    phrase = SelectField(_l("Choose a phrase"), default="", validate_choice=False)
    text = TextAreaField(
        _l("Slogan"),
        validators=[
            InputRequired(_l("Type the words for the banner.")),
            Length(max=500, message=_l("At most %(max)d characters fit on a banner.")),
        ],
    )
    # Any tag the engine understands (zh, sr-Latn, …) is fine; the Spec says if it is not.
    lang = SelectField(_l("Language of the slogan"), validate_choice=False)
    size = SelectField(_l("Size"), default="a4")
    custom_width = StringField(_l("Width"), validators=[Optional()])
    custom_height = StringField(_l("Height"), validators=[Optional()])
    custom_unit = SelectField(_l("Unit"), choices=UNITS, default="cm")
    orientation = RadioField(
        _l("Orientation"),
        default="",
        choices=[
            SelectChoice("", _l("As the size is given")),
            SelectChoice("portrait", _l("Portrait")),
            SelectChoice("landscape", _l("Landscape")),
        ],
    )
    style = RadioField(
        _l("Style"),
        default="fill",
        choices=[
            SelectChoice("fill", _l("Fill: one size for all lines, as large as fits")),
            SelectChoice("stack", _l("Stack: each line stretched to the full width")),
        ],
    )
    family = SelectField(_l("Typeface"), default="sans")
    colours = RadioField(
        _l("Colours"),
        default="black-on-white",
        choices=[SelectChoice(k, v[0]) for k, v in PRESETS.items()]
        + [SelectChoice("custom", _l("Custom colours"))],
    )
    fg = StringField(_l("Text colour"), widget=ColorInput(), default="#000000")
    bg = StringField(_l("Background colour"), widget=ColorInput(), default="#ffffff")
    # The slogan in up to two more languages, set smaller below it (Spec.also).
    also_lang_1 = SelectField(_l("Also in"), default="", validate_choice=False)
    also_text_1 = TextAreaField(
        _l("The slogan in that language"),
        validators=[Length(max=500, message=_l("At most %(max)d characters fit on a banner."))],
    )
    also_lang_2 = SelectField(_l("And in"), default="", validate_choice=False)
    also_text_2 = TextAreaField(
        _l("The slogan in that language"),
        validators=[Length(max=500, message=_l("At most %(max)d characters fit on a banner."))],
    )
    signature = StringField(
        _l("Signature line (optional)"),
        validators=[
            Length(max=120, message=_l("At most %(max)d characters fit in the signature."))
        ],
    )
    submit = SubmitField(_l("Make the banner"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = language_choices()
        self.phrase.choices = phrase_choices()
        self.also_lang_1.choices = self.also_lang_2.choices = [
            SelectChoice("", _("— none —"))
        ] + self.lang.choices
        self.size.choices = size_choices()
        self.family.choices = [SelectChoice(fid, label) for fid, label in families()]

    def validate_custom_width(self, field):
        self._check_side(field)

    def validate_custom_height(self, field):
        self._check_side(field)

    def _check_side(self, field):
        if self.size.data != "custom":
            return
        if not field.data or not _NUMBER.match(field.data):
            raise ValidationError(_("Give the size as a number, like 120 or 84.1."))

    def validate_fg(self, field):
        if self.colours.data == "custom" and not _HEX.match(field.data or ""):
            raise ValidationError(_("Pick a colour, like #cc0000."))

    validate_bg = validate_fg

    def validate_also_text_1(self, field):
        if field.data and field.data.strip() and not self.also_lang_1.data:
            raise ValidationError(_("Choose the language of this text."))

    def validate_also_text_2(self, field):
        if field.data and field.data.strip() and not self.also_lang_2.data:
            raise ValidationError(_("Choose the language of this text."))

    def also_pairs(self) -> list[tuple[str, str]]:
        """The other languages the person filled in, as (lang, text), in order."""
        rows = ((self.also_lang_1, self.also_text_1), (self.also_lang_2, self.also_text_2))
        return [
            (lang.data, text.data)
            for lang, text in rows
            if lang.data and text.data and text.data.strip()
        ]

    def fill_phrase(self) -> list[str]:
        """Fill the slogan and the other languages from the chosen phrase (the no-JS path).

        Return the names of the languages that have no translation of it; those fields are
        left as they were: a guess in the wrong language is worse than an empty field.
        """
        missing = []
        rows = [
            (self.lang, self.text),
            (self.also_lang_1, self.also_text_1),
            (self.also_lang_2, self.also_text_2),
        ]
        names = {choice.value: choice.label for choice in self.lang.choices}
        for lang, text in rows:
            if not lang.data:
                continue
            found = phrasebook.translate(self.phrase.data, lang.data)
            if found:
                text.data = found
            else:
                missing.append(names.get(lang.data, lang.data))
        return missing

    def colour_pair(self) -> tuple[str, str]:
        """The text and background colours the person chose."""
        if self.colours.data in PRESETS:
            _label, fg, bg = PRESETS[self.colours.data]
            return fg, bg
        return self.fg.data.lower(), self.bg.data.lower()

    def spec_options(self) -> dict:
        """The form's answer as Spec options (the CLI's names)."""
        fg, bg = self.colour_pair()
        size = self.size.data
        if size == "custom":
            width, height = (
                f.data.strip().replace(",", ".") for f in (self.custom_width, self.custom_height)
            )
            size = f"{width}x{height}{self.custom_unit.data}"
        return {
            "text": self.text.data,
            "lang": self.lang.data,
            "size": size,
            "orientation": self.orientation.data or None,
            "style": self.style.data,
            "family": self.family.data,
            "fg": fg,
            "bg": bg,
            "signature": self.signature.data or "",
            "also": self.also_pairs(),
        }

    def field_for(self, option: str):
        """The form field that shows an error about a Spec option."""
        if option == "size" and self.size.data == "custom":
            return self.custom_width
        if option in ("fg", "bg"):
            return self.fg if self.colours.data == "custom" else self.colours
        if option == "also":
            filled = (self.also_text_1.data or "").strip()
            return self.also_text_1 if filled or not self.also_text_2.data else self.also_text_2
        return getattr(self, option, None) if option in self._fields else self.text

    def fill_from(self, spec: Spec) -> None:
        """Prefill the form from an existing banner ("make another like this")."""
        self.text.data, self.lang.data, self.style.data = spec.text, spec.lang, spec.style
        self.family.data, self.signature.data = spec.family, spec.signature
        self.orientation.data = spec.orientation or ""
        if spec.size in page_names():
            self.size.data = spec.size
        else:
            m = re.match(r"^([\d.]+)x([\d.]+)(mm|cm|in|px)$", spec.size)
            if m:
                self.size.data = "custom"
                self.custom_width.data, self.custom_height.data, self.custom_unit.data = m.groups()
        preset = next(
            (k for k, (_l_, fg, bg) in PRESETS.items() if (fg, bg) == (spec.fg, spec.bg)), None
        )
        self.colours.data = preset or "custom"
        self.fg.data, self.bg.data = spec.fg, spec.bg
        rows = ((self.also_lang_1, self.also_text_1), (self.also_lang_2, self.also_text_2))
        for (lang, text), (tag, words) in zip(rows, spec.also, strict=False):
            lang.data, text.data = tag, words


def language_choices() -> list[SelectChoice]:
    """Every language the engine supports, as 'native name — English name', by English name."""
    languages = sorted(supported_languages(), key=lambda lang: lang.english_name)
    return [SelectChoice(lang.tag, _language_label(lang)) for lang in languages]


def phrase_choices() -> list[SelectChoice]:
    """'Type your own' and every phrase, named in the UI language when the phrasebook has it."""
    from flask_babel import get_locale

    ui = str(get_locale() or "en").split("_")[0]
    ui = "zh-Hans" if ui == "zh" else ui
    return [SelectChoice("", _("— type your own —"))] + [
        SelectChoice(p.id, phrasebook.translate(p.id, ui) or p.text) for p in phrasebook.phrases()
    ]


def _language_label(lang) -> str:
    native = native_name(lang)
    return f"{native} — {lang.english_name}" if native != lang.english_name else native


def native_name(lang) -> str:
    """The language's own name, capitalised as a list item ('русский' → 'Русский')."""
    name = lang.native_name or lang.english_name
    return name[:1].upper() + name[1:]


def size_choices() -> list[SelectChoice]:
    """Named sizes grouped as people look for them, in <optgroup>s."""
    names = page_names()
    group = {
        _("Paper (A series)"): [n for n in names if n in PAPER],
        _("Paper (US)"): [n for n in names if n in US],
        _("Cloth banners"): [n for n in names if n.startswith("banner-")],
        _("Social media images"): [n for n in names if n.endswith("px")],
    }
    choices = [
        SelectChoice(n, size_label(n), optgroup=label)
        for label, sizes in group.items()
        for n in sizes
    ]
    return choices + [SelectChoice("custom", _("Custom size…"), optgroup=_("Other"))]


def size_label(name: str, english: bool = False) -> str:
    """'a3' → 'A3 (297 × 420 mm)', 'banner-300x100cm' → 'Cloth banner (300 × 100 cm)',
    'square-1080px' → 'Square image (1080 × 1080 px)' (the words in the UI language unless
    `english`: the contact sheet's font has Latin letters only)."""
    labels = {
        "a0": "A0 (841 × 1189 mm)",
        "a1": "A1 (594 × 841 mm)",
        "a2": "A2 (420 × 594 mm)",
        "a3": "A3 (297 × 420 mm)",
        "a4": "A4 (210 × 297 mm)",
        "a5": "A5 (148 × 210 mm)",
        "a6": "A6 (105 × 148 mm)",
        "letter": "US Letter (8.5 × 11 in)",
        "legal": "US Legal (8.5 × 14 in)",
        "tabloid": "Tabloid (11 × 17 in)",
    }
    if name in labels:
        return labels[name]
    m = re.fullmatch(r"(?:([a-z]+)-)?(?:([\d.]+)x)?([\d.]+)(mm|cm|in|px)", name)
    if m is None:
        return name
    words = {
        "square": _l("Square image"),
        "portrait": _l("Portrait image"),
        "wide": _l("Wide image"),
        "banner": _l("Cloth banner"),
    }
    english_words = {
        "square": "Square image",
        "portrait": "Portrait image",
        "wide": "Wide image",
        "banner": "Cloth banner",
    }
    size = f"{m[2] or m[3]} × {m[3]} {m[4]}"
    word = (english_words if english else words).get(m[1])
    return f"{word} ({size})" if word else size
