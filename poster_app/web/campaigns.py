"""Campaigns in the browser: pick a phrase (or type it per language), languages and sizes;
the banners are built in the background and downloaded as one ZIP."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, SubmitField, widgets
from wtforms.validators import ValidationError

from .. import phrasebook
from ..campaigns import CAMPAIGN_ID, Campaign, CampaignRunner, Item, render_item
from ..extensions import db
from ..forms import PAPER, native_name, phrase_choices, size_label
from ..layout import Spec, SpecError, language, page_names, supported_languages
from ..models import Action
from ..models import Campaign as CampaignRecord
from . import rendering
from .auth import editor_required
from .colours import PRESETS
from .gallery import KeepForm, RemoveForm

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
DEFAULT_SIZES = ("a4", "a3")
EXTRA_ROWS = 3  # "other languages" rows for languages the phrasebook doesn't have


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CampaignForm(FlaskForm):
    phrase = SelectField(_l("Choose a phrase"), default="", validate_choice=False)
    langs = SelectMultipleField(_l("Languages"), validate_choice=False)
    sizes = CheckboxList(_l("Sizes"), default=list(DEFAULT_SIZES))
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


def runner() -> CampaignRunner:
    """The app's campaign runner (one thread pool per app process)."""
    app = current_app._get_current_object()
    if "campaigns" not in app.extensions:
        from pathlib import Path

        app.extensions["campaigns"] = CampaignRunner(
            Path(app.config["POSTER_DATA_DIR"]) / "campaigns",
            workers=app.config.get("CAMPAIGN_WORKERS", 2),
            render=render_cached,
            on_start=record_campaign,
            on_item=banner_recorder(app),
        )
    return app.extensions["campaigns"]


def render_cached(spec: Spec) -> dict[str, bytes]:
    """The runner's rendering through the app's layout cache (the gallery's thumbnails reuse it)."""
    return render_item(spec, rendering.layout_for(spec))


def record_campaign(campaign: Campaign) -> None:
    """The campaign's row, committed in the request before any item is built (its banners
    point at it)."""
    db.session.add(CampaignRecord(id=campaign.id, title=campaign.title, phrase=campaign.phrase))
    db.session.commit()


def banner_recorder(app):
    """Record each built item as a banner, as the form does: files first, then the row."""

    def record(campaign: Campaign, item: Item, spec: Spec, files: dict[str, bytes]) -> None:
        from .banners import store

        with app.app_context():
            store().save(
                spec,
                rendering.thumbnail_maker(spec),
                campaign_id=campaign.id,
                files={"png": files["png"], "pdf": files["pdf"]},
            )

    return record


def language_rows(form: CampaignForm, data) -> list[dict]:
    """One row per phrasebook language, then other languages: tag, name, text, checked."""
    names = {lang.tag: lang for lang in supported_languages()}
    chosen = set(form.langs.data or [])
    rows = []
    for tag in phrasebook.languages():
        text = data.get(f"text_{tag}", "")
        if form.phrase.data and (not text or data.get("fill")):  # "Fill in" without JS
            text = phrasebook.translate(form.phrase.data, tag) or ""
        rows.append(
            {"tag": tag, "name": _name(names.get(tag), tag), "text": text, "checked": tag in chosen}
        )
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
            Spec(text=text, lang=tag)  # the words themselves; the engine plans them later
        except (SpecError, ValueError) as e:
            errors[name] = _("This can't be used: %(reason)s", reason=str(e))
            continue
        english = language(tag).english_name
        items += [
            Item(
                lang=tag,
                size=size,
                text=text,
                label=f"{english} ({tag}) - {size_label(size, english=True)}",
            )
            for size in sizes
        ]
    limit = current_app.config.get("CAMPAIGN_MAX_ITEMS", 60)
    if len(items) > limit:
        errors["sizes"] = _(
            "At most %(max)d banners at once: choose fewer languages or sizes.", max=limit
        )
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
            chosen = phrasebook.phrase(form.phrase.data)
            title = chosen.text if chosen else items[0].text  # the phrase, or the first slogan
            campaign = runner().start(
                title, items, {"fg": fg_bg[1], "bg": fg_bg[2]}, phrase=chosen.id if chosen else ""
            )
            return redirect(url_for("campaigns.show", campaign_id=campaign.id), 303)
        errors.update({name: messages[0] for name, messages in form.errors.items()})
    elif not data:
        form.sizes.data = list(DEFAULT_SIZES)
    other_langs = [
        (lang.tag, _name(lang, lang.tag))
        for lang in sorted(supported_languages(), key=lambda lang: lang.english_name)
    ]
    others = [
        {"n": n, "lang": data.get(f"other_lang_{n}", ""), "text": data.get(f"other_text_{n}", "")}
        for n in range(1, EXTRA_ROWS + 1)
    ]
    return render_template(
        "campaign_new.html",
        form=form,
        rows=language_rows(form, data),
        others=others,
        other_langs=other_langs,
        errors=errors,
        phrases=phrasebook.table(),
        paper=PAPER,
    ), 422 if errors else 200


def get_record(campaign_id: str) -> CampaignRecord | None:
    return db.session.get(CampaignRecord, campaign_id) if CAMPAIGN_ID.match(campaign_id) else None


@bp.get("/<campaign_id>")
def show(campaign_id: str):
    """The campaign's page: progress while its banners are built (the ZIP for a day), and its
    banners as a grid with their downloads; editors keep them all in the gallery at once."""
    status = runner().status(campaign_id)
    record = get_record(campaign_id)
    if status is None and record is None:
        abort(404, f"Campaign {campaign_id} doesn't exist.")
    banners = list(record.banners) if record is not None else []
    names = {lang.tag: lang for lang in supported_languages()}
    forms = {}
    if g.get("editor") is not None and banners:
        keep = KeepForm()
        actions = {b.action_id for b in banners}
        keep.action.data = actions.pop() if len(actions) == 1 and None not in actions else 0
        forms = {
            "keep_form": keep,
            "remove_form": RemoveForm() if any(b.published for b in banners) else None,
        }
    actions = {b.action_id for b in banners}
    shared = banners[0].action if len(actions) == 1 and None not in actions else None
    return render_template(
        "campaign.html",
        campaign=status,
        record=record,
        banners=banners,
        title=(status or {}).get("title") or record.title,
        shared_action=shared,
        languages=names,
        native_name=native_name,
        size_label=size_label,
        kept=sum(b.published for b in banners),
        **forms,
    )


@bp.post("/<campaign_id>/keep")
@editor_required
def keep(campaign_id: str):
    """Keep every banner of the campaign in the gallery; with an action, link them all to it
    (without one, links made before stay)."""
    record = get_record(campaign_id) or abort(404, f"Campaign {campaign_id} doesn't exist.")
    form = KeepForm()
    if not form.validate_on_submit():
        abort(400, _("Choose an action from the list."))
    action = db.session.get(Action, form.action.data) if form.action.data else None
    for banner in record.banners:
        banner.published = True
        if action is not None:
            banner.action_id = action.id
    db.session.commit()
    n = len(record.banners)
    if action is not None:
        flash(
            ngettext(
                "%(num)d banner of the campaign is in the gallery, with the action %(title)s.",
                "All %(num)d banners are in the gallery, with the action %(title)s.",
                n,
                title=action.title,
            )
        )
    else:
        flash(
            ngettext(
                "%(num)d banner of the campaign is in the gallery.",
                "All %(num)d banners are in the gallery.",
                n,
            )
        )
    return redirect(url_for("campaigns.show", campaign_id=campaign_id), 303)


@bp.post("/<campaign_id>/remove")
@editor_required
def remove(campaign_id: str):
    """Take every banner of the campaign out of the gallery (and off their actions)."""
    record = get_record(campaign_id) or abort(404, f"Campaign {campaign_id} doesn't exist.")
    if RemoveForm().validate_on_submit():
        for banner in record.banners:
            banner.published, banner.action_id = False, None
        db.session.commit()
        flash(_("The campaign's banners are no longer in the gallery."))
    return redirect(url_for("campaigns.show", campaign_id=campaign_id), 303)


@bp.get("/<campaign_id>/status")
def status(campaign_id: str):
    """The campaign's progress as JSON: done, failed, total, each item's state."""
    found = runner().status(campaign_id)
    if found is None:
        return jsonify(error=f"Campaign {campaign_id} doesn't exist."), 404
    body = {
        **found,
        "page_url": url_for("campaigns.show", campaign_id=campaign_id),
        "zip_url": url_for("campaigns.download", campaign_id=campaign_id)
        if found["state"] == "finished"
        else None,
    }
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
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"campaign-{campaign_id[:8]}.zip",
        max_age=0,
    )


@bp.get("/<campaign_id>/contact-sheet.pdf")
def sheet(campaign_id: str):
    """The contact sheet on its own, to look at before downloading everything."""
    if runner().zip_path(campaign_id) is None:
        abort(404, f"Campaign {campaign_id} has no contact sheet yet.")
    return send_file(
        runner().folder(campaign_id) / "contact-sheet.pdf", mimetype="application/pdf", max_age=0
    )
