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
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import phrasebook
from ..campaigns import BannerTask, runner
from ..extensions import db
from ..layout import Spec, SpecError, language, supported_languages
from ..models import Action, Campaign, is_record_id
from .auth import editor_required
from .colours import PRESETS
from .formatting import plain
from .forms import DEFAULT_CAMPAIGN_SIZES, CampaignForm, KeepForm, RemoveForm
from .labels import language_label, native_name, size_label
from .responses import phrasebook_url

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
EXTRA_ROWS = 3  # "other languages" rows for languages the phrasebook doesn't have


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
            {
                "tag": tag,
                "name": language_label(names.get(tag), tag),
                "text": text,
                "checked": tag in chosen,
            }
        )
    return rows


def campaign_tasks(form: CampaignForm, data) -> tuple[list[BannerTask], dict[str, str]]:
    """The banners to make, and errors by field name for what can't be made."""
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
    tasks = []
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
        tasks += [
            BannerTask(
                lang=tag,
                size=size,
                text=text,
                label=f"{english} ({tag}) - {size_label(size, english=True)}",
            )
            for size in sizes
        ]
    limit = current_app.config["CAMPAIGN_MAX_BANNERS"]
    if len(tasks) > limit:
        errors["sizes"] = _(
            "At most %(max)d banners at once: choose fewer languages or sizes.", max=limit
        )
    return tasks, errors


@bp.route("/new", methods=["GET", "POST"])
def new():
    """The campaign form; a valid POST starts the work and goes to the progress page."""
    data = request.form if request.method == "POST" else request.args
    form = CampaignForm(formdata=data if data else None)
    errors: dict[str, str] = {}
    if request.method == "POST" and not data.get("fill"):
        tasks, errors = campaign_tasks(form, data)
        if form.validate() and not errors:
            fg_bg = PRESETS.get(form.colours.data, PRESETS["black-on-white"])
            chosen = phrasebook.phrase(form.phrase.data)
            # The phrase, or the first slogan as its banner shows it.
            title = chosen.text if chosen else plain(tasks[0].text)
            campaign = runner().start(
                title, tasks, {"fg": fg_bg[1], "bg": fg_bg[2]}, phrase=chosen.id if chosen else ""
            )
            session["made_campaign"] = campaign.id  # its page adds it to "My banners"
            return redirect(url_for("campaigns.show", campaign_id=campaign.id), 303)
        errors.update({name: messages[0] for name, messages in form.errors.items()})
    elif not data:
        form.sizes.data = list(DEFAULT_CAMPAIGN_SIZES)
    other_langs = [
        (lang.tag, language_label(lang))
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
        phrases_url=phrasebook_url(),
    ), 422 if errors else 200


def get_record(campaign_id: str) -> Campaign | None:
    return db.session.get(Campaign, campaign_id) if is_record_id(campaign_id) else None


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
        title=(status or {}).get("title") or (record.title if record else ""),
        shared_action=shared,
        languages=names,
        native_name=native_name,
        size_label=size_label,
        kept=sum(b.published for b in banners),
        made_here=session.pop("made_campaign", None) == campaign_id,
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
