"""Every form of the site, with its labels and messages in the UI language.

Views build these and read them back; the choices come from the engine (languages, sizes,
type families), the phrasebook and the records (actions).
"""

from __future__ import annotations

import functools
import re

from flask import current_app, g, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import ColorInput

from .. import phrasebook
from ..layout import (
    MAX_CAPTION,
    MAX_QR,
    MAX_TEXT,
    THEMES,
    Spec,
    describe_size,
    families,
    page_names,
    supported_languages,
    theme,
    with_symbols,
)
from ..models import Action, Banner, parse_action_date
from ..queries import actions_newest_first
from ..slogan_languages import fold, search_names
from .colours import ACCENTS, PRESETS
from .formatting import action_date, countries, ui_locale
from .labels import (
    THEME_WORDS,
    UNIT_WORDS,
    family_label,
    language_label,
    native_name,
    size_label,
    ui_name,
)
from .widgets import SelectField, SelectMultipleField

# Bidi embeddings and overrides (the engine refuses them): a pasted slogan often carries
# them invisibly, so the form drops them without a word; the language sets the direction.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str | None) -> str | None:
    return BIDI_CONTROLS.sub("", text) if text else text


_NUMBER = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")
# What <input type="color"> sends; the engine parses it (and names like 'red' from the API).
COLOUR_INPUT = re.compile(r"^#[0-9a-fA-F]{6}$")
UNITS = [SelectChoice(unit, UNIT_WORDS[unit]) for unit in ("cm", "mm", "in", "px")]
DEFAULT_CAMPAIGN_SIZES = ("a4", "a3")
# The browser does not cut a long paste (no maxlength): the message says how long it is.
TOO_LONG = _l("At most %(max)d characters fit on a banner; this text has %(length)d.")
# The symbols of the movements, offered beside the slogan (every one drawn by a bundled font:
# tests/web/test_design_form.py): the character and what a screen reader calls it.
SYMBOLS = (
    ("\u24b6", _l("circled A")),
    ("\u270a", _l("raised fist")),
    ("\u2605", _l("star")),
    ("\u262e", _l("peace sign")),
    ("\u270c", _l("victory hand")),
    ("\u2764", _l("heart")),
    ("\u2691", _l("flag")),
    ("\u2708", _l("aeroplane")),
    ("\U0001f54a", _l("dove")),
    ("\u26d3", _l("chains")),
    ("\u270b", _l("raised hand")),
    ("\u2640", _l("female sign")),
    ("\u26a7", _l("transgender symbol")),
    ("\U0001f308", _l("rainbow")),
    ("\u273f", _l("flower")),
    ("\u2600", _l("sun")),
)


# --- Banners


class BannerForm(FlaskForm):
    # Choosing a phrase fills the slogan (and the other languages) from the phrasebook.
    phrase = SelectField(_l("Choose a phrase"), default="", validate_choice=False)
    text = TextAreaField(
        _l("Slogan"),
        filters=[without_bidi_controls],
        validators=[
            InputRequired(_l("Type the words for the banner.")),
            Length(max=MAX_TEXT, message=TOO_LONG),
        ],
    )
    # Any tag the engine understands (zh, sr-Latn, …) is fine; the Spec says if it is not.
    lang = SelectField(_l("Language of the slogan"), validate_choice=False)
    # "1" once the person picked the language themselves: the letters they type never change
    # it then (static/js/slogan-language.js), only suggest another.
    lang_chosen = HiddenField()
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
        choices=[SelectChoice("fill", _l("Fill")), SelectChoice("stack", _l("Stack"))],
    )
    STYLE_HINTS = {
        "fill": _l("One size for all lines, as large as fits"),
        "stack": _l("Each line stretched to the full width"),
    }
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
        filters=[without_bidi_controls],
        validators=[Length(max=MAX_TEXT, message=TOO_LONG)],
    )
    also_lang_2 = SelectField(_l("And in"), default="", validate_choice=False)
    also_text_2 = TextAreaField(
        _l("The slogan in that language"),
        filters=[without_bidi_controls],
        validators=[Length(max=MAX_TEXT, message=TOO_LONG)],
    )
    signature = StringField(
        _l("Signature line (optional)"),
        filters=[without_bidi_controls],
        validators=[
            Length(max=120, message=_l("At most %(max)d characters fit in the signature."))
        ],
    )
    # The design: a theme, the colour of `*emphasised*` words, symbols, a QR code, a painting
    # grid (layout/themes.py and the Spec's design options).
    theme = RadioField(
        _l("Theme"),
        default="plain",
        choices=[SelectChoice(name, THEME_WORDS.get(name, (name, ""))[0]) for name in THEMES],
    )
    THEME_HINTS = {name: description for name, (_label, description) in THEME_WORDS.items()}
    accent = RadioField(
        _l("Colour of *emphasised* words"),
        default="",
        choices=[SelectChoice("", _l("The theme’s"))]
        + [SelectChoice(k, label) for k, (label, _colour) in ACCENTS.items()]
        + [SelectChoice("custom", _l("Custom colour"))],
    )
    accent_custom = StringField(_l("Custom colour"), widget=ColorInput(), default="#d40000")
    symbols = BooleanField(_l("Draw a typed (A) as Ⓐ"))
    qr = StringField(
        _l("QR code: a link or a short text"),
        filters=[without_bidi_controls],
        validators=[
            Length(max=MAX_QR, message=_l("At most %(max)d characters fit in a QR code here."))
        ],
    )
    qr_caption = StringField(
        _l("Caption under the code (optional)"),
        filters=[without_bidi_controls],
        validators=[Length(max=MAX_CAPTION, message=_l("At most %(max)d characters."))],
    )
    grid = StringField(_l("Painting grid: one square, in cm"), validators=[Optional()])
    # An image on the banner (a logo, a photo): uploaded with the form, or by the page's
    # script as soon as it is chosen; either way stored and named in `image_id`, which a
    # refused form carries to the next try (the file itself is never sent twice).
    image = FileField(_l("Image file"))
    image_id = HiddenField()
    image_remove = BooleanField(_l("No image on the banner"))
    image_position = SelectField(
        _l("Where the image goes"),
        default="",
        choices=[
            SelectChoice("", _l("Best for the page")),
            SelectChoice("left", _l("Left of the text")),
            SelectChoice("right", _l("Right of the text")),
            SelectChoice("top", _l("Above the text")),
            SelectChoice("bottom", _l("Below the text")),
        ],
    )
    submit = SubmitField(_l("Make the banner"))
    # The fields behind "More options" (templates/banners/more_options.html): an error in
    # one of them opens it. A new option goes in that template and in this list.
    MORE_OPTIONS = (
        "orientation",
        "style",
        "family",
        "colours",
        "fg",
        "bg",
        "also_lang_1",
        "also_text_1",
        "also_lang_2",
        "also_text_2",
        "signature",
        "theme",
        "accent",
        "accent_custom",
        "symbols",
        "qr",
        "qr_caption",
        "grid",
        "image",
        "image_remove",
        "image_position",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = language_choices()
        self.phrase.choices = phrase_choices()
        self.also_lang_1.choices = self.also_lang_2.choices = [SelectChoice("", _("— none —"))] + [
            SelectChoice(choice.value, choice.label) for choice in self.lang.choices
        ]
        self.size.choices = size_choices()
        self.family.choices = [
            SelectChoice(fid, family_label(fid, label)) for fid, label in families()
        ]

    def more_options_have_errors(self) -> bool:
        return any(self[name].errors for name in self.MORE_OPTIONS)

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
        if self.colours.data == "custom" and not COLOUR_INPUT.match(field.data or ""):
            raise ValidationError(_("Pick a colour, like #cc0000."))

    validate_bg = validate_fg

    def validate_accent_custom(self, field):
        if self.accent.data == "custom" and not COLOUR_INPUT.match(field.data or ""):
            raise ValidationError(_("Pick a colour, like #cc0000."))

    def validate_grid(self, field):
        if not _NUMBER.match(field.data or "") or float(field.data.replace(",", ".")) <= 0:
            raise ValidationError(_("Give the square's side in cm, like 25, or leave it empty."))

    def accent_colour(self) -> str:
        """The accent colour chosen; "" is the theme's."""
        if self.accent.data in ACCENTS:
            return ACCENTS[self.accent.data][1]
        return self.accent_custom.data.lower() if self.accent.data == "custom" else ""

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
                missing.append(str(names.get(lang.data, lang.data)))  # str: a label, never None
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
        # "(A)" → "Ⓐ" only when asked (the form offers it when the slogan has one).
        words = with_symbols if self.symbols.data else (lambda text: text)
        size = self.size.data
        if size == "custom":
            width, height = (
                f.data.strip().replace(",", ".") for f in (self.custom_width, self.custom_height)
            )
            size = f"{width}x{height}{self.custom_unit.data}"
        grid = (self.grid.data or "").strip().replace(",", ".")
        return {
            "text": words(self.text.data),
            "lang": self.lang.data,
            "size": size,
            "orientation": self.orientation.data or None,
            "style": self.style.data,
            "family": self.family.data,
            "fg": fg,
            "bg": bg,
            "signature": words(self.signature.data or ""),
            "also": [(lang, words(text)) for lang, text in self.also_pairs()],
            "theme": self.theme.data,
            "accent": self.accent_colour(),
            "qr": self.qr.data or "",
            "qr_caption": self.qr_caption.data or "",
            "grid": f"{grid}cm" if grid else 0,
            "image": self.chosen_image(),
            "image_position": self.image_position.data or None,
        }

    def chosen_image(self) -> str:
        """The id of the image to put on the banner, "" for none."""
        return "" if self.image_remove.data else (self.image_id.data or "")

    def field_for(self, option: str):
        """The form field that shows an error about a Spec option."""
        if option == "size" and self.size.data == "custom":
            return self.custom_width
        if option in ("fg", "bg"):
            return self.fg if self.colours.data == "custom" else self.colours
        if option == "accent":
            return self.accent_custom if self.accent.data == "custom" else self.accent
        if option == "also":
            filled = (self.also_text_1.data or "").strip()
            return self.also_text_1 if filled or not self.also_text_2.data else self.also_text_2
        return getattr(self, option, None) if option in self._fields else self.text

    def fill_from(self, spec: Spec) -> None:
        """Prefill the form from an existing banner ("make another like this")."""
        self.text.data, self.lang.data, self.style.data = spec.text, spec.lang, spec.style
        self.family.data, self.signature.data = spec.family, spec.signature
        self.orientation.data = spec.orientation or ""
        size = describe_size(spec.size)
        if spec.size in page_names():
            self.size.data = spec.size
        elif size is not None:
            self.size.data = "custom"
            self.custom_width.data, self.custom_height.data = size.width, size.height
            self.custom_unit.data = size.unit
        preset = next(
            (k for k, (_l_, fg, bg) in PRESETS.items() if (fg, bg) == (spec.fg, spec.bg)), None
        )
        self.colours.data = preset or "custom"
        self.fg.data, self.bg.data = spec.fg, spec.bg
        rows = ((self.also_lang_1, self.also_text_1), (self.also_lang_2, self.also_text_2))
        for (lang, text), (tag, words) in zip(rows, spec.also, strict=False):
            lang.data, text.data = tag, words
        self.theme.data = spec.theme if spec.theme in THEMES else "plain"
        accent = next((k for k, (_l_, colour) in ACCENTS.items() if colour == spec.accent), None)
        if spec.accent == theme(spec.theme).accent:
            accent = ""
        self.accent.data = "custom" if accent is None else accent
        self.accent_custom.data = spec.accent or self.accent_custom.default
        self.qr.data, self.qr_caption.data = spec.qr, spec.qr_caption
        self.grid.data = f"{spec.grid / 10:g}" if spec.grid else ""
        self.image_id.data, self.image_position.data = spec.image, spec.image_position or ""


def language_choices() -> list[SelectChoice]:
    """Every language the form offers, as 'its own name — its name in the interface language',
    by the latter; each option carries the names the language search finds it by."""
    return list(_language_choices(ui_locale()))


@functools.lru_cache(maxsize=16)
def _language_choices(locale: str) -> tuple[SelectChoice, ...]:
    choices = []
    for lang in sorted(supported_languages(), key=lambda lang: fold(ui_name(lang, locale))):
        names, aliases = search_names(lang.tag, locale)
        found_by = {
            "data-names": "|".join(names),
            "data-aliases": "|".join(aliases),
            "data-native": native_name(lang),
        }
        choices.append(
            SelectChoice(lang.tag, language_label(lang, locale=locale), render_kw=found_by)
        )
    return tuple(choices)


def phrase_choices() -> list[SelectChoice]:
    """'Type your own' and every phrase, named in the UI language when the phrasebook has it."""
    ui = str(get_locale() or "en").split("_")[0]
    ui = "zh-Hans" if ui == "zh" else ui
    return [SelectChoice("", _("— type your own —"))] + [
        SelectChoice(p.id, phrasebook.translate(p.id, ui) or p.text) for p in phrasebook.phrases()
    ]


def size_choices() -> list[SelectChoice]:
    """Named sizes grouped as people look for them, in <optgroup>s."""
    social = _("Social media images")
    groups = {
        "a": _("Paper (A series)"),
        "us": _("Paper (US)"),
        "banner": _("Cloth banners"),
        "square": social,
        "portrait": social,
        "story": social,
        "wide": social,
    }
    choices = [
        SelectChoice(name, size_label(name), optgroup=groups[_kind(name)]) for name in page_names()
    ]
    return choices + [SelectChoice("custom", _("Custom size…"), optgroup=_("Other"))]


def _kind(name: str) -> str:
    size = describe_size(name)
    return size.kind if size is not None else "custom"


# --- Campaigns


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CampaignForm(FlaskForm):
    phrase = SelectField(_l("Choose a phrase"), default="", validate_choice=False)
    langs = SelectMultipleField(_l("Languages"), validate_choice=False)
    sizes = CheckboxList(_l("Sizes"), default=list(DEFAULT_CAMPAIGN_SIZES))
    colours = SelectField(
        _l("Colours"),
        default="black-on-white",
        choices=[SelectChoice(k, v[0]) for k, v in PRESETS.items()],
    )
    submit = SubmitField(_l("Make all the banners"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.phrase.choices = phrase_choices()
        self.sizes.choices = [SelectChoice(name, size_label(name)) for name in page_names()]

    def validate_sizes(self, field):
        if not field.data:
            raise ValidationError(_("Choose at least one size."))


# --- Actions and the gallery


class ActionForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[InputRequired(_l("Give the action a title.")), Length(max=200)]
    )
    date = StringField(_l("Date"), validators=[InputRequired(_l("Give the date."))])
    place = StringField(_l("Place"), validators=[Length(max=200)])
    country = SelectField(_l("Country"))
    description = TextAreaField(_l("What happened"), validators=[Length(max=5000)])
    photos = MultipleFileField(_l("Photos"))
    submit = SubmitField(_l("Save the action"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _("— choose —"))] + list(countries(ui_locale()))

    def validate_date(self, field):
        try:
            parse_action_date(field.data or "")
        except ValueError:
            raise ValidationError(
                _("Write the date as 2020-02-15, or 2020-02 if only the month is known.")
            ) from None

    def validate_photos(self, field):
        files = [f for f in field.data or [] if f and f.filename]
        if len(files) > current_app.config["PHOTO_MAX_FILES"]:
            raise ValidationError(
                _("At most %(n)d photos at a time.", n=current_app.config["PHOTO_MAX_FILES"])
            )

    def fill(self, action: Action) -> None:
        action.title, action.place = self.title.data.strip(), (self.place.data or "").strip()
        action.country, action.description = (
            self.country.data,
            (self.description.data or "").strip(),
        )
        action.year, action.month, action.day = parse_action_date(self.date.data)


class LinkBannerForm(FlaskForm):
    banner = StringField(_l("Banner address or id"), validators=[InputRequired()])
    submit = SubmitField(_l("Add to this action"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete"))


class KeepForm(FlaskForm):
    """Keep a banner in the gallery, with the action it was made for."""

    action = SelectField(_l("Made for the action"), coerce=int, default=0)
    submit = SubmitField(_l("Keep in the gallery"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = actions_newest_first()
        self.action.choices = [(0, _("— none —"))] + [
            (a.id, f"{a.title} · {action_date(a)}") for a in actions
        ]


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Take out of the gallery"))


def editor_forms(banner: Banner) -> dict:
    """The editor's forms on a banner page (nothing for visitors)."""
    if g.get("editor") is None:
        return {}
    keep = KeepForm()
    keep.action.data = banner.action_id or request.args.get("action", 0, type=int)
    return {"keep_form": keep, "remove_form": RemoveForm() if banner.published else None}


# --- Editors


class LoginForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])
    submit = SubmitField(_l("Log in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))
