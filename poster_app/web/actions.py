"""Recorded actions: the list, one action with its banners and photos, and the editors' form."""

from __future__ import annotations

import io
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from sqlalchemy import func, select
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from ..extensions import db
from ..models import Action, Banner, Photo, parse_action_date
from ..photos import PhotoError, clean_photo
from ..storage import PhotoStore
from .auth import editor_required
from .formatting import countries, ui_locale

bp = Blueprint("actions", __name__)
BANNER_IN_TEXT = re.compile(r"\b([0-9a-f]{20})\b")
ONE_YEAR = 365 * 24 * 3600


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


def get_action(action_id: int) -> Action:
    action = db.session.get(Action, action_id)
    if action is None:
        abort(404, f"Action {action_id} doesn't exist.")
    return action


def newest_first():
    # A month-only date (no day) comes after that month's days; PostgreSQL would put NULL first.
    return (
        Action.year.desc(),
        Action.month.desc(),
        Action.day.desc().nulls_last(),
        Action.id.desc(),
    )


@bp.get("/actions")
def index():
    """Every action, newest first, with how many banners and photos it has and one thumbnail."""
    actions = db.session.scalars(select(Action).order_by(*newest_first())).all()
    kept = {
        row.action_id: row
        for row in db.session.execute(
            select(Banner.action_id, func.count().label("n"), func.min(Banner.id).label("first"))
            .where(Banner.published.is_(True), Banner.action_id.is_not(None))
            .group_by(Banner.action_id)
        )
    }
    photos = dict(
        db.session.execute(select(Photo.action_id, func.count()).group_by(Photo.action_id)).all()
    )
    return render_template("actions/index.html", actions=actions, kept=kept, photos=photos)


@bp.get("/actions/<int:action_id>")
def show(action_id: int):
    action = get_action(action_id)
    banners = [b for b in action.banners if b.published]
    return render_template(
        "actions/show.html",
        action=action,
        banners=banners,
        link_form=LinkBannerForm(),
        delete_form=DeleteForm(),
    )


@bp.route("/actions/new", methods=["GET", "POST"])
@editor_required
def new():
    return _edit(Action(), _("Record an action"))


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@editor_required
def edit(action_id: int):
    return _edit(get_action(action_id), _("Edit the action"))


def _edit(action: Action, heading: str):
    """The form for a new or existing action; photos are cleaned and stored before the commit."""
    request.max_content_length = (
        current_app.config["PHOTO_MAX_BYTES"] * current_app.config["PHOTO_MAX_FILES"] + 256 * 1024
    )
    form = ActionForm(obj=action if action.id else None)
    if request.method == "GET" and action.id:
        form.date.data = action.date_text
    if form.validate_on_submit():
        photos = _clean_uploads(form)
        if not form.photos.errors:
            form.fill(action)
            action.photos.extend(photos)
            db.session.add(action)
            db.session.commit()
            flash(_("The action is saved."))
            return redirect(url_for("actions.show", action_id=action.id), 303)
    return render_template(
        "actions/form.html",
        form=form,
        action=action,
        heading=heading,
        max_mb=round(current_app.config["PHOTO_MAX_BYTES"] / 1e6),
    ), 422 if form.errors else 200


def _clean_uploads(form: ActionForm) -> list[Photo]:
    """Clean every uploaded photo and store its file; errors go on the photos field."""
    config = current_app.config
    store = PhotoStore(config["POSTER_DATA_DIR"])
    photos = []
    for upload in form.photos.data or []:
        if not upload or not upload.filename:
            continue
        data = upload.stream.read(config["PHOTO_MAX_BYTES"] + 1)
        if len(data) > config["PHOTO_MAX_BYTES"]:
            form.photos.errors.append(
                _(
                    "%(name)s is larger than %(size)s MB.",
                    name=upload.filename,
                    size=format_decimal(config["PHOTO_MAX_BYTES"] / 1e6, "#,##0.#"),
                )
            )
            continue
        try:
            clean = clean_photo(
                io.BytesIO(data), config["PHOTO_MAX_PIXELS"], config["PHOTO_MAX_SIDE"]
            )
        except PhotoError as e:
            form.photos.errors.append(
                _(
                    "%(name)s can't be used: it is not a JPEG, PNG, WebP or "
                    "GIF image we can read (%(reason)s).",
                    name=upload.filename,
                    reason=str(e),
                )
            )
            continue
        name = store.save(clean.data, clean.ext)
        photos.append(Photo(file=name, width=clean.width, height=clean.height))
    return photos


@bp.post("/actions/<int:action_id>/delete")
@editor_required
def delete(action_id: int):
    """Delete the action and its photos; its banners stay in the gallery without an action."""
    action = get_action(action_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    files = [photo.file for photo in action.photos]
    db.session.delete(action)
    db.session.commit()
    store = PhotoStore(current_app.config["POSTER_DATA_DIR"])
    for name in files:
        store.forget(name)
    flash(_("The action is deleted."))
    return redirect(url_for("actions.index"), 303)


@bp.post("/actions/<int:action_id>/photos/<int:photo_id>/delete")
@editor_required
def delete_photo(action_id: int, photo_id: int):
    photo = db.session.get(Photo, photo_id)
    if photo is None or photo.action_id != action_id or not DeleteForm().validate_on_submit():
        abort(404)
    db.session.delete(photo)
    db.session.commit()
    PhotoStore(current_app.config["POSTER_DATA_DIR"]).forget(photo.file)
    return redirect(url_for("actions.edit", action_id=action_id), 303)


@bp.post("/actions/<int:action_id>/banners")
@editor_required
def link_banner(action_id: int):
    """Keep a banner (given by its address or id) in the gallery with this action."""
    action = get_action(action_id)
    form = LinkBannerForm()
    match = BANNER_IN_TEXT.search(form.banner.data or "") if form.validate_on_submit() else None
    banner = db.session.get(Banner, match[1]) if match else None
    if banner is None:
        flash(_("No banner has that address. Copy it from the banner's page."), "error")
    else:
        banner.action_id, banner.published = action.id, True
        db.session.commit()
        flash(_("The banner is now shown with this action."))
    return redirect(url_for("actions.show", action_id=action.id), 303)


@bp.get("/photos/<name>")
def photo(name: str):
    """A stored photo, as it is: cleaned at upload, named by its content."""
    if not re.fullmatch(r"[0-9a-f]{64}\.(jpg|png)", name):
        abort(404)
    path = PhotoStore(current_app.config["POSTER_DATA_DIR"]).path(f"photos/{name}")
    if not path.exists():
        abort(404)
    response = send_file(path, conditional=True, etag=name.split(".")[0], max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
