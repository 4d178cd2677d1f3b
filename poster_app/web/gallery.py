"""The gallery: kept banners as a grid of thumbnails, filtered and paginated, newest first;
keeping a banner (with its action) and taking it out again."""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload
from wtforms import SelectField, SubmitField

from ..extensions import db
from ..layout import supported_languages
from ..models import Action, Banner
from .auth import editor_required
from .formatting import action_date, countries, ui_locale

bp = Blueprint("gallery", __name__)


@dataclass(frozen=True)
class Filters:
    """What the gallery is narrowed to, from the query string."""

    lang: str = ""
    action: int | None = None
    country: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        return cls(lang=args.get("lang", "").strip(), action=args.get("action", type=int),
                   country=args.get("country", "").strip().upper()[:2],
                   q=args.get("q", "").strip()[:200])

    def query(self) -> Select:
        """Kept banners matching the filters, newest first."""
        stmt = select(Banner).where(Banner.published.is_(True))
        if self.lang:
            stmt = stmt.where(Banner.lang == self.lang)
        if self.action:
            stmt = stmt.where(Banner.action_id == self.action)
        if self.country:
            stmt = stmt.join(Banner.action).where(Action.country == self.country)
        if self.q:
            stmt = stmt.where(Banner.search.contains(self.q.casefold(), autoescape=True))
        return stmt.order_by(Banner.created_at.desc(), Banner.id)

    def args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def paginate(filters: Filters, page: int, per_page: int | None = None):
    per_page = per_page or current_app.config["GALLERY_PER_PAGE"]
    stmt = filters.query().options(selectinload(Banner.action))
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=100, error_out=False)


@bp.get("/gallery")
def index():
    filters = Filters.from_args(request.args)
    page = paginate(filters, max(1, request.args.get("page", 1, type=int)))
    return render_template("gallery/index.html", page=page, filters=filters,
                           choices=filter_choices())


def filter_choices() -> dict:
    """The options of the filter form: only languages and countries the gallery has."""
    names = {lang.tag: lang for lang in supported_languages()}
    langs = db.session.scalars(select(Banner.lang).where(Banner.published.is_(True))
                               .distinct()).all()
    used = set(db.session.scalars(select(Action.country).distinct()).all())
    actions = db.session.execute(select(Action.id, Action.title, Action.year, Action.month,
                                        Action.day).order_by(
        Action.year.desc(), Action.month.desc(), Action.day.desc())).all()
    return {
        "langs": sorted(((tag, _lang_name(names.get(tag), tag)) for tag in langs),
                        key=lambda pair: pair[1].casefold()),
        "countries": [(code, name) for code, name in countries(ui_locale()) if code in used],
        "actions": [(a.id, f"{a.title} ({action_date(a)})") for a in actions],
    }


def _lang_name(lang, tag: str) -> str:
    if lang is None:
        return tag
    native = lang.native_name or lang.english_name
    return native[:1].upper() + native[1:]


class KeepForm(FlaskForm):
    """Keep a banner in the gallery, with the action it was made for."""

    action = SelectField(_l("Made for the action"), coerce=int, default=0)
    submit = SubmitField(_l("Keep in the gallery"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = db.session.scalars(select(Action).order_by(
            Action.year.desc(), Action.month.desc(), Action.day.desc(), Action.id.desc())).all()
        self.action.choices = [(0, _("— none —"))] + [
            (a.id, f"{a.title} · {action_date(a)}") for a in actions]


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Take out of the gallery"))


def banner_page_forms(banner: Banner) -> dict:
    """The editor's forms on a banner page (nothing for visitors)."""
    if g.get("editor") is None:
        return {}
    keep = KeepForm()
    keep.action.data = banner.action_id or request.args.get("action", 0, type=int)
    return {"keep_form": keep, "remove_form": RemoveForm() if banner.published else None}


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
