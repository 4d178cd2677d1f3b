"""Recorded actions: the list, one action with its banners and photos, and the editors' form."""

from __future__ import annotations

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
from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..models import PHOTO_NAME, RECORD_ID, Action, Banner, Photo
from ..photos import DISPLAY_WIDTHS, PhotoError
from ..queries import action_counts, actions_newest_first
from ..storage import photo_store, store_photo
from .auth import editor_required
from .forms import ActionForm, DeleteForm, LinkBannerForm
from .responses import display_copies, personal
from .uploads import refused, takes_photos

bp = Blueprint("actions", __name__)
BANNER_IN_TEXT = re.compile(rf"\b({RECORD_ID.pattern})\b")  # the id, or an address with it
# A photo fills its square tile in the grid (app.css), cropped, unless it is more than 3:2 long
# one way (a phone's screenshot, a panorama): cropped, it would lose most of itself.
WHOLE_BEYOND = 3 / 2


def get_action(action_id: int) -> Action:
    action = db.session.get(Action, action_id)
    if action is None:
        abort(404, f"Action {action_id} doesn't exist.")
    return action


@bp.get("/actions")
def index():
    """Every action, newest first, with how many banners and photos it has and one thumbnail."""
    kept, photos = action_counts()
    return render_template(
        "actions/index.html", actions=actions_newest_first(), kept=kept, photos=photos
    )


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
@takes_photos
def new():
    return _edit(Action(), _("Record an action"))


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@editor_required
@takes_photos
def edit(action_id: int):
    return _edit(get_action(action_id), _("Edit the action"))


def _edit(action: Action, heading: str):
    """The form for a new or existing action; photos are cleaned and stored before the commit.

    Photos that were fine are kept even when something else is refused (a field, another
    photo): the form carries them to the next try, so nobody has to pick them again."""
    form = ActionForm(obj=action if action.id else None)
    if request.method == "GET" and action.id:
        form.date.data = action.date_text
    photos: list[Photo] = []
    if form.is_submitted():
        valid = form.validate()  # first: validate() starts each field's errors afresh
        photos = _kept_photos(form) + _clean_uploads(form)
        if valid and not form.photos.errors:
            form.fill(action)
            for photo in photos:  # the same photo chosen twice is kept once
                if photo.file not in {p.file for p in action.photos}:
                    action.photos.append(photo)
                    photo_store().keep(photo.file)  # no longer held for a day only
            db.session.add(action)
            db.session.commit()
            flash(_("The action is saved."))
            return redirect(url_for("actions.show", action_id=action.id), 303)
    return render_template(
        "actions/form.html",
        form=form,
        action=action,
        heading=heading,
        pending=photos,
        max_mb=round(current_app.config["PHOTO_MAX_BYTES"] / 1e6),
    ), 422 if form.errors else 200


def _kept_photos(form: ActionForm) -> list[Photo]:
    """The photos an earlier try of this form cleaned and stored (its `kept_photo` fields).
    One held too long (a day) is gone: the form comes back saying so, not saved without it."""
    store = photo_store()
    photos, gone = [], 0
    for name in dict.fromkeys(request.form.getlist("kept_photo")):
        file = f"photos/{name}"
        if not PHOTO_NAME.fullmatch(name):
            continue
        if store.exists(file):
            width, height = store.size(file)
            photos.append(Photo(file=file, width=width, height=height))
        else:
            gone += 1
    if gone:
        form.photos.errors.append(
            ngettext(
                "One photo you chose could not be kept: add it again afterwards.",
                "%(num)d photos you chose could not be kept: add them again afterwards.",
                gone,
            )
        )
    return photos


def _clean_uploads(form: ActionForm) -> list[Photo]:
    """Clean every uploaded photo and store its file; errors go on the photos field."""
    photos = []
    for upload in form.photos.data or []:
        if not upload or not upload.filename:
            continue
        try:
            photos.append(store_photo(upload.stream))
        except PhotoError as e:
            form.photos.errors.append(refused(upload.filename, e))
    return photos


@bp.route("/actions/<int:action_id>/delete", methods=["GET", "POST"])
@editor_required
def delete(action_id: int):
    """Ask first (what goes, what stays); then delete the action and its photos. Its banners
    stay in the gallery without an action."""
    action = get_action(action_id)
    form = DeleteForm()
    if request.method == "GET":
        return render_template("actions/delete.html", action=action, form=form)
    if not form.validate_on_submit():
        abort(400)
    files = [photo.file for photo in action.photos]
    db.session.delete(action)
    db.session.commit()
    store = photo_store()
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
    photo_store().forget(photo.file)
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
    """A stored photo, as it is: cleaned at upload, named by its content. Asked for again at
    each view (personal): the database is asked first, so a deleted photo is gone."""
    path = photo_store().current(f"photos/{name}") if PHOTO_NAME.fullmatch(name) else None
    if path is None:
        abort(404)
    return personal(send_file(path, conditional=True, etag=name.split(".")[0]))


@bp.get("/photos/<int:width>/<name>")
def photo_display(width: int, name: str):
    """A stored photo scaled for a page (DISPLAY_WIDTHS), made once, then served as it is and
    as the photo is (personal)."""
    path = photo_store().display(f"photos/{name}", width) if PHOTO_NAME.fullmatch(name) else None
    if path is None:
        abort(404)
    return personal(send_file(path, conditional=True, etag=path.stem))


@bp.app_template_global()
def photo_sources(photo: Photo) -> tuple[str, str]:
    """An <img>'s src and srcset for a photo: its display copies, and the photo itself when
    it is no wider than the widest copy (a 2560 px one is a link away)."""
    sources = display_copies(photo.file, photo.width)
    if photo.width <= DISPLAY_WIDTHS[-1]:
        sources.append((url_for("actions.photo", name=photo.file.split("/")[-1]), photo.width))
    fallback = sources[min(1, len(sources) - 1)][0]  # 640 px, when there is one
    return fallback, ", ".join(f"{url} {width}w" for url, width in sources)


@bp.app_template_global()
def photo_tile(photo: Photo, column: str) -> tuple[bool, str]:
    """How a photo fills its square tile, a grid column wide (`column`: an <img>'s sizes):
    whether it is shown whole, and the sizes of the picture drawn. A sideways photo cropped
    to fill the tile is drawn wider than the column, a tall one shown whole narrower: the
    browser picks a display copy by the width it draws."""
    ratio = photo.width / photo.height
    whole = not 1 / WHOLE_BEYOND <= ratio <= WHOLE_BEYOND
    return whole, _times(column, min(1, ratio) if whole else max(1, ratio))


def _times(sizes: str, factor: float) -> str:
    """An <img>'s sizes with each length `factor` times as long."""
    if factor == 1:
        return sizes
    pairs = (size.rpartition(" ") for size in sizes.split(", "))  # (media condition, length)
    return ", ".join(f"{when} calc({length} * {factor:.3f})".lstrip() for when, _, length in pairs)
