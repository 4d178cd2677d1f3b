"""The gallery: kept banners as a grid of thumbnails, filtered and paginated, newest first
(the banners of one campaign as one card); keeping a banner (with its action) and taking it
out again."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..layout import supported_languages
from ..models import Banner, Campaign
from ..queries import (
    Filters,
    action_choices,
    action_countries,
    count_banners,
    counted,
    entries,
    gallery_langs,
    whole_number,
)
from .auth import editor_required
from .formatting import action_date, countries, ui_locale
from .forms import KeepForm, RemoveForm
from .labels import native_name

bp = Blueprint("gallery", __name__)


@bp.get("/gallery")
def index():
    filters = Filters.from_args(request.args)
    page = entries(
        filters,
        whole_number(request.args, "page", 1),
        current_app.config["GALLERY_PER_PAGE"],
    )
    count = count_banners(filters)
    campaign = db.session.get(Campaign, filters.campaign) if filters.campaign else None
    return render_template(
        "gallery/index.html",
        page=page,
        filters=filters,
        count=count,
        campaign=campaign,
        choices=filter_choices(),
    )


def filter_choices() -> dict:
    """The options of the filter form: only languages and countries the gallery has. Built
    once per UI language and kept as the counts are (queries.counted): 200 actions' dates
    formatted on every page were a third of the gallery's time."""
    locale = ui_locale()
    return counted(("filter choices", locale), lambda: _filter_choices(locale))


def _filter_choices(locale: str) -> dict:
    names = {lang.tag: lang for lang in supported_languages()}
    used = action_countries()
    return {
        "langs": sorted(
            ((tag, native_name(names[tag]) if tag in names else tag) for tag in gallery_langs()),
            key=lambda pair: pair[1].casefold(),
        ),
        "countries": [(code, name) for code, name in countries(locale) if code in used],
        "actions": [(a.id, f"{a.title} ({action_date(a, locale)})") for a in action_choices()],
    }


@bp.post("/banners/<banner_id>/keep")
@editor_required
def keep(banner_id: str):
    banner = db.session.get(Banner, banner_id) or abort(404, f"Banner {banner_id} doesn't exist.")
    form = KeepForm()
    if not form.validate_on_submit():
        abort(400, _("Choose an action from the list."))
    banner.published = True
    banner.action_id = form.action.data or None
    db.session.commit()
    flash(_("The banner is in the gallery."))
    return redirect(url_for("banners.show", banner_id=banner.id), 303)


@bp.post("/banners/<banner_id>/remove")
@editor_required
def remove(banner_id: str):
    """Take the banner out of the gallery; its page and files stay, as anyone can remake them."""
    banner = db.session.get(Banner, banner_id) or abort(404, f"Banner {banner_id} doesn't exist.")
    if RemoveForm().validate_on_submit():
        banner.published = False
        banner.action_id = None
        db.session.commit()
        flash(_("The banner is no longer in the gallery."))
    return redirect(url_for("banners.show", banner_id=banner.id), 303)
