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
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import blobs, campaigns, phrasebook
from ..extensions import db
from ..layout import supported_languages
from ..models import Action, BannerTask, Campaign
from ..queries import campaign_banners
from ..rendering import PngChoice, downloads, renderer
from .auth import editor_required
from .colours import PRESETS
from .formatting import plain
from .forms import DEFAULT_CAMPAIGN_SIZES, CampaignForm, KeepForm, RemoveForm
from .labels import campaign_banner_label, language_label, native_name, size_label
from .responses import campaign_status, phrasebook_url

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
    tasks, errors = campaigns.plan_tasks(
        pairs, form.sizes.data or [], lambda size: size_label(size, english=True)
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
            campaign = campaigns.start(
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


def get_record(campaign_id: str) -> Campaign:
    campaign = campaigns.get(campaign_id)
    if campaign is None:
        abort(404, f"Campaign {campaign_id} doesn't exist.")
    return campaign


@bp.get("/<campaign_id>")
def show(campaign_id: str):
    """The campaign's page: progress while its banners are made (the ZIP while it is kept),
    and its banners as a grid with their downloads; editors keep them all in the gallery."""
    record = get_record(campaign_id)
    status = campaign_status(record)
    banners = campaign_banners(record.id)
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
    zip_bytes = blobs.size(campaigns.zip_name(record.id)) if status["zip_url"] else None
    return render_template(
        "campaign.html",
        campaign=status,
        record=record,
        banners=banners,
        title=record.title,
        shared_action=shared,
        languages=names,
        native_name=native_name,
        size_label=size_label,
        banner_label=campaign_banner_label,
        kept=sum(b.published for b in banners),
        pngs={b.id: own_png(b) for b in banners},
        zip_bytes=zip_bytes,
        made_here=session.pop("made_campaign", None) == campaign_id,
        **forms,
    )


def own_png(banner) -> PngChoice | None:
    """The PNG /banners/<id>.png gives (its pixel size), or None when that is over the pixel
    cap: its link would only answer with a message, so it is not offered."""
    found = downloads(banner.spec, (), 0, 1, renderer().max_pixels).pngs
    return found[0] if found else None


@bp.post("/<campaign_id>/keep")
@editor_required
def keep(campaign_id: str):
    """Keep every banner of the campaign in the gallery; with an action, link them all to it
    (without one, links made before stay)."""
    record = get_record(campaign_id)
    form = KeepForm()
    if not form.validate_on_submit():
        abort(400, _("Choose an action from the list."))
    action = db.session.get(Action, form.action.data) if form.action.data else None
    banners = campaign_banners(record.id)  # the ones its page shows
    for banner in banners:
        banner.published = True
        if action is not None:
            banner.action_id = action.id
    db.session.commit()
    n = len(banners)
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
    record = get_record(campaign_id)
    if RemoveForm().validate_on_submit():
        for banner in campaign_banners(record.id):
            banner.published, banner.action_id = False, None
        db.session.commit()
        flash(_("The campaign's banners are no longer in the gallery."))
    return redirect(url_for("campaigns.show", campaign_id=campaign_id), 303)


@bp.get("/<campaign_id>/status")
def status(campaign_id: str):
    """The campaign's progress as JSON (the same as GET /api/campaigns/<id>)."""
    campaign = campaigns.get(campaign_id)
    if campaign is None:
        return jsonify(error=f"Campaign {campaign_id} doesn't exist."), 404
    response = jsonify(campaign_status(campaign))
    response.cache_control.no_store = True
    return response


@bp.get("/<campaign_id>.zip")
def download(campaign_id: str):
    """The ZIP of every banner once it is made (409 before, 410 once it has expired),
    streamed from the database chunk by chunk."""
    campaign = get_record(campaign_id)
    if campaign.state in campaigns.ACTIVE:
        abort(409, _("The banners are still being made."))
    return _stored(
        campaigns.zip_name(campaign.id), "application/zip", f"campaign-{campaign_id[:8]}.zip"
    )


@bp.get("/<campaign_id>/contact-sheet.pdf")
def sheet(campaign_id: str):
    """The contact sheet on its own, to look at before downloading everything."""
    campaign = get_record(campaign_id)
    if campaign.state in campaigns.ACTIVE:
        abort(404, f"Campaign {campaign_id} has no contact sheet yet.")
    return _stored(campaigns.sheet_name(campaign.id), "application/pdf", None)


def _stored(name: str, mimetype: str, download_name: str | None):
    size = blobs.size(name)
    if size is None:
        abort(410, _("The files of this campaign were kept for a day and are gone."))
    response = current_app.response_class(
        stream_with_context(blobs.chunks(name)), mimetype=mimetype
    )
    response.content_length = size
    if download_name:
        response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    response.cache_control.no_store = True
    return response
