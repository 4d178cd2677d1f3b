"""Campaigns in the browser: pick a phrase (or type it per language), languages and sizes;
the banners are built in the background and downloaded as one ZIP."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, SubmitField, widgets
from wtforms.validators import ValidationError

from .. import phrasebook
from ..campaigns import CampaignRunner, Item
from ..forms import PAPER, native_name, phrase_choices, size_label
from ..layout import Spec, SpecError, language, page_names, supported_languages
from .colours import PRESETS

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
DEFAULT_SIZES = ("a4", "a3")
EXTRA_ROWS = 3      # "other languages" rows for languages the phrasebook doesn't have


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CampaignForm(FlaskForm):
    phrase = SelectField(_l("Choose a phrase"), default="", validate_choice=False)
    langs = SelectMultipleField(_l("Languages"), validate_choice=False)
    sizes = CheckboxList(_l("Sizes"), default=list(DEFAULT_SIZES))
    colours = SelectField(_l("Colours"), default="black-on-white",
                          choices=[SelectChoice(k, v[0]) for k, v in PRESETS.items()])
    submit = SubmitField(_l("Make all the banners"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.phrase.choices = phrase_choices()
        self.sizes.choices = [SelectChoice(name, size_label(name)) for name in page_names()]

    def validate_sizes(self, field):
        if not field.data:
            raise ValidationError(_("Choose at least one size."))


def runner() -> CampaignRunner:
    """The app's campaign runner (one thread pool per app process)."""
    app = current_app._get_current_object()
    if "campaigns" not in app.extensions:
        from pathlib import Path

        app.extensions["campaigns"] = CampaignRunner(
            Path(app.config["POSTER_DATA_DIR"]) / "campaigns",
            workers=app.config.get("CAMPAIGN_WORKERS", 2))
    return app.extensions["campaigns"]


def language_rows(form: CampaignForm, data) -> list[dict]:
    """One row per phrasebook language, then other languages: tag, name, text, checked."""
    names = {lang.tag: lang for lang in supported_languages()}
    chosen = set(form.langs.data or [])
    rows = []
    for tag in phrasebook.languages():
        text = data.get(f"text_{tag}", "")
        if form.phrase.data and (not text or data.get("fill")):   # "Fill in" without JS
            text = phrasebook.translate(form.phrase.data, tag) or ""
        rows.append({"tag": tag, "name": _name(names.get(tag), tag), "text": text,
                     "checked": tag in chosen})
    return rows


def _name(lang, tag: str) -> str:
    if lang is None:
        return tag
    native = native_name(lang)
    return native if native == lang.english_name else f"{native} — {lang.english_name}"


def campaign_items(form: CampaignForm, data) -> tuple[list[Item], dict[str, str]]:
    """The items to build, and errors by field name for what can't be built."""
    errors: dict[str, str] = {}
    pairs = []
    for tag in form.langs.data or []:
        text = (data.get(f"text_{tag}") or "").strip()
        if not text and form.phrase.data:
            text = phrasebook.translate(form.phrase.data, tag) or ""
        pairs.append((f"text_{tag}", tag, text))
    for n in range(1, EXTRA_ROWS + 1):
        tag, text = data.get(f"other_lang_{n}", ""), (data.get(f"other_text_{n}") or "").strip()
        if tag or text:
            pairs.append((f"other_text_{n}", tag, text))
    if not pairs:
        errors["langs"] = _("Choose at least one language.")
    items = []
    sizes = form.sizes.data or []
    for name, tag, text in pairs:
        if not text:
            errors[name] = _("Type the slogan in this language, or leave the language out.")
            continue
        try:
            tag = language(tag).tag
            Spec(text=text, lang=tag)     # the words themselves; the engine plans them later
        except (SpecError, ValueError) as e:
            errors[name] = _("This can't be used: %(reason)s", reason=str(e))
            continue
        english = language(tag).english_name
        items += [Item(lang=tag, size=size, text=text,
                       label=f"{english} ({tag}) - {size_label(size)}") for size in sizes]
    limit = current_app.config.get("CAMPAIGN_MAX_ITEMS", 60)
    if len(items) > limit:
        errors["sizes"] = _("At most %(max)d banners at once: choose fewer languages or sizes.",
                            max=limit)
    return items, errors


@bp.route("/new", methods=["GET", "POST"])
def new():
    """The campaign form; a valid POST starts the work and goes to the progress page."""
    data = request.form if request.method == "POST" else request.args
    form = CampaignForm(formdata=data if data else None)
    errors: dict[str, str] = {}
    if request.method == "POST" and not data.get("fill"):
        items, errors = campaign_items(form, data)
        if form.validate() and not errors:
            fg_bg = PRESETS.get(form.colours.data, PRESETS["black-on-white"])
            title = (phrasebook.phrase(form.phrase.data).text if phrasebook.phrase(form.phrase.data)
                     else _("Campaign"))
            campaign = runner().start(title, items, {"fg": fg_bg[1], "bg": fg_bg[2]})
            return redirect(url_for("campaigns.show", campaign_id=campaign.id), 303)
        errors.update({name: messages[0] for name, messages in form.errors.items()})
    elif not data:
        form.sizes.data = list(DEFAULT_SIZES)
    other_langs = [(lang.tag, _name(lang, lang.tag))
                   for lang in sorted(supported_languages(), key=lambda lang: lang.english_name)]
    others = [{"n": n, "lang": data.get(f"other_lang_{n}", ""),
               "text": data.get(f"other_text_{n}", "")} for n in range(1, EXTRA_ROWS + 1)]
    return render_template("campaign_new.html", form=form, rows=language_rows(form, data),
                           others=others, other_langs=other_langs, errors=errors,
                           phrases=phrasebook.table(), paper=PAPER), 422 if errors else 200


@bp.get("/<campaign_id>")
def show(campaign_id: str):
    """The progress page: it polls the status while the banners are built."""
    status = runner().status(campaign_id) or abort(404, f"Campaign {campaign_id} doesn't exist.")
    return render_template("campaign.html", campaign=status)


@bp.get("/<campaign_id>/status")
def status(campaign_id: str):
    """The campaign's progress as JSON: done, failed, total, each item's state."""
    found = runner().status(campaign_id)
    if found is None:
        return jsonify(error=f"Campaign {campaign_id} doesn't exist."), 404
    body = {**found, "page_url": url_for("campaigns.show", campaign_id=campaign_id),
            "zip_url": url_for("campaigns.download", campaign_id=campaign_id)
            if found["state"] == "finished" else None}
    response = jsonify(body)
    response.cache_control.no_store = True
    return response


@bp.get("/<campaign_id>.zip")
def download(campaign_id: str):
    """The ZIP of every banner, once it is built (409 while it is being built)."""
    if runner().status(campaign_id) is None:
        abort(404, f"Campaign {campaign_id} doesn't exist.")
    path = runner().zip_path(campaign_id)
    if path is None:
        abort(409, _("The banners are still being made."))
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=f"campaign-{campaign_id[:8]}.zip", max_age=0)


@bp.get("/<campaign_id>/contact-sheet.pdf")
def sheet(campaign_id: str):
    """The contact sheet on its own, to look at before downloading everything."""
    if runner().zip_path(campaign_id) is None:
        abort(404, f"Campaign {campaign_id} has no contact sheet yet.")
    return send_file(runner().folder(campaign_id) / "contact-sheet.pdf",
                     mimetype="application/pdf", max_age=0)
