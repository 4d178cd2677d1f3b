"""The JSON API: POST /api/banners makes a banner from a spec; GET reads them back;
POST /api/images stores an image for banners to use.

JSON in, JSON out. Only application/json is accepted, which a cross-site HTML form cannot
send, so the API needs no CSRF token. The one exception, the multipart image upload, refuses
requests a browser marks as coming from another site.
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, jsonify, request, url_for

from .. import campaigns, phrasebook
from ..extensions import db
from ..images import store_image
from ..layout import MissingGlyphs, Spec, SpecError
from ..models import Action, Banner
from ..photos import PhotoError, display_height
from ..queries import (
    Filters,
    action_cursor,
    action_photos,
    actions_after,
    after,
    cursor_of,
    kept_banner_counts,
    kept_banner_ids,
    newest_kept_banners,
    paginate,
    whole_number,
)
from ..rendering import renderer
from ..storage import banner_store, save_banner
from .formatting import country_name
from .labels import size_label
from .responses import banner_urls, campaign_status, display_copies
from .uploads import from_another_site, refused, takes_image

bp = Blueprint("api", __name__, url_prefix="/api")
ACTION_BANNERS = 20  # banner ids listed with each action of a list (an action's own: all)


def json_object(example: str) -> dict:
    """The request's JSON object (415 if it is not JSON, 400 if malformed or not an object)."""
    if not request.is_json:
        abort(415, "send JSON with Content-Type: application/json")
    try:
        options = json.loads(request.get_data(), parse_constant=_not_json)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        abort(400, f"malformed JSON: {e}")
    except ValueError as e:  # NaN, Infinity: Python reads them, JSON has no such numbers
        abort(400, f"malformed JSON: {e}")
    except RecursionError:
        abort(400, "malformed JSON: nested too deeply")
    if not isinstance(options, dict):
        abort(400, f"expected a JSON object, like {example}")
    return options


@bp.post("/banners")
def create_banner():
    """Validate and plan the spec, record the banner, answer 201 with its URLs."""
    options = json_object('{"text": "…"}')
    try:
        spec = Spec.from_options(options)
        renderer().check_png_size(spec)
        renderer().layout(spec)
    except MissingGlyphs as e:
        return jsonify(error=str(e), field="text", code=e.code, chars=list(e.chars)), 422
    except SpecError as e:
        return jsonify(error=str(e), field=e.field, code=e.code), 422
    except (TypeError, ValueError) as e:  # e.g. a number where text belongs
        return jsonify(error=str(e), field=None), 422
    banner = save_banner(spec)
    body = {"id": banner.id, **banner_urls(banner.id)}
    return jsonify(body), 201, {"Location": body["page_url"]}


@bp.post("/campaigns")
def create_campaign():
    """Start a campaign: `{"texts": {"en": …, "ru": …}, "sizes": ["a4", "a3"]}` or
    `{"phrase": ID, "langs": [...], "sizes": [...]}` (and `fg`, `bg`) → 202 with its URLs.
    The same checks and limits as the form; 422 names the field."""
    body = json_object('{"texts": {"en": "…"}, "sizes": ["a4"]}')
    texts, phrase_id = body.get("texts", {}), body.get("phrase") or ""
    langs, sizes = body.get("langs", []), body.get("sizes")
    colours = {key: body[key] for key in ("fg", "bg") if key in body}
    shapes = [
        ("texts", texts, dict),
        ("phrase", phrase_id, str),
        ("langs", langs, list),
        ("sizes", sizes, list),
        *((key, value, str) for key, value in colours.items()),
    ]
    for field, value, kind in shapes:
        if not isinstance(value, kind):
            return jsonify(error=f"{field} must be a JSON {kind.__name__}", field=field), 422
    chosen = phrasebook.phrase(phrase_id) if phrase_id else None
    if phrase_id and chosen is None:
        return jsonify(error=f"unknown phrase {phrase_id!r}", field="phrase"), 422
    pairs = [(f"texts.{tag}", str(tag), str(text).strip()) for tag, text in texts.items()]
    pairs += [
        (f"langs.{tag}", str(tag), phrasebook.translate(phrase_id, str(tag)) or "")
        for tag in langs
        if tag not in texts
    ]
    try:
        Spec(text="colours", **colours)  # checked before anything is queued
    except (SpecError, ValueError, TypeError) as e:
        return jsonify(error=str(e), field=getattr(e, "field", None)), 422
    tasks, errors = campaigns.plan_tasks(
        pairs, [str(size) for size in sizes], lambda size: size_label(size, english=True)
    )
    if errors:
        field, message = next(iter(errors.items()))
        return jsonify(error=message, field=field, errors=errors), 422
    title = chosen.text if chosen else tasks[0].text
    campaign = campaigns.start(title, tasks, colours, phrase=chosen.id if chosen else "")
    status = campaign_status(campaign)
    body = {key: status[key] for key in ("id", "status_url", "page_url")}
    return jsonify(body), 202, {"Location": body["status_url"]}


@bp.get("/campaigns/<campaign_id>")
def get_campaign(campaign_id: str):
    """A campaign's progress: state (queued, working, done, failed), done, total, the failed
    banners with their reasons, and the ZIP's URL once it is made."""
    campaign = campaigns.get(campaign_id)
    if campaign is None:
        abort(404, f"Campaign {campaign_id} doesn't exist.")
    response = jsonify(campaign_status(campaign))
    response.cache_control.no_store = True
    return response


@bp.post("/images")
@takes_image
def create_image():
    """Clean and store an uploaded image (multipart, its file in the field `image`); answer
    201 with its id, which a banner's `image` key names."""
    if from_another_site():
        abort(403, "images are uploaded from this site's own pages, or without a browser")
    upload = request.files.get("image")
    if upload is None or not upload.filename:
        return jsonify(
            error="send the image as a multipart file field named 'image'", field="image"
        ), 422
    try:
        stored = store_image(upload.stream)
    except PhotoError as e:
        # `message` is for the form's script, which shows it as it is (in the page's language).
        return jsonify(
            error=f"{upload.filename}: {e}",
            field="image",
            code=e.code,
            message=refused(upload.filename, e),
        ), 422
    url = url_for("banners.image", image=stored.id)
    body = {"id": stored.id, "width": stored.width, "height": stored.height, "url": url}
    return jsonify(body), 201, {"Location": url}


def _not_json(name: str):
    raise ValueError(f"{name} is not a JSON number")


@bp.get("/banners")
def list_banners():
    """The gallery as JSON: `?lang=`, `?action=`, `?country=`, `?q=`, `?campaign=`, `?page=`,
    `?per_page=` (one row per banner: a campaign's banners carry its id). `next` is the URL
    of the following page by key (`?after=`), which is as quick at the end as at the start."""
    filters = Filters.from_args(request.args)
    per_page = whole_number(request.args, "per_page", 50, high=100)
    args = {**filters.args(), "per_page": per_page}
    if "after" in request.args:
        items = after(filters, request.args["after"], per_page)
        if items is None:
            abort(400, "after must be a cursor from a `next` URL")
        body = {"banners": [describe(b) for b in items], "per_page": per_page}
    else:
        page = paginate(filters, whole_number(request.args, "page", 1), per_page)
        items = page.items
        body = {
            "banners": [describe(b) for b in items],
            "page": page.page,
            "per_page": per_page,
            "pages": page.pages,
            "total": page.total,
        }
    more = len(items) == per_page
    body["next"] = url_for(".list_banners", after=cursor_of(items[-1]), **args) if more else None
    return jsonify(body)


@bp.get("/actions")
def list_actions():
    """Recorded actions newest first, `per_page` at a time with the URL of the next page by
    key (`next`, `?after=`); each with its newest ACTION_BANNERS kept banners' ids, how many
    it has (`banner_count`) and the URL that pages through them all (`banners_url`)."""
    per_page = whole_number(request.args, "per_page", 50, high=100)
    actions = actions_after(request.args.get("after"), per_page)
    if actions is None:
        abort(400, "after must be a cursor from a `next` URL")
    ids = [a.id for a in actions]
    banners, counts = newest_kept_banners(ids, ACTION_BANNERS), kept_banner_counts(ids)
    photos = action_photos(ids)
    more = len(actions) == per_page
    after_last = action_cursor(actions[-1]) if more else None
    return jsonify(
        actions=[
            describe_action(a, banners.get(a.id, []), counts.get(a.id, 0), photos.get(a.id, []))
            for a in actions
        ],
        per_page=per_page,
        next=url_for(".list_actions", after=after_last, per_page=per_page) if more else None,
    )


@bp.get("/actions/<int:action_id>")
def get_action(action_id: int):
    """An action with the ids of all its kept banners."""
    action = db.session.get(Action, action_id)
    if action is None:
        abort(404, f"Action {action_id} doesn't exist.")
    banners = kept_banner_ids(action.id)
    photos = action_photos([action.id]).get(action.id, [])
    return jsonify(describe_action(action, banners, len(banners), photos))


@bp.get("/banners/<banner_id>")
def get_banner(banner_id: str):
    """A banner of the gallery. One never kept there is not confirmed here, not even that it
    exists: its page URL (which the POST answered with) is the only way to it."""
    banner = banner_store().get(banner_id)
    if banner is None or not banner.published:
        abort(404, f"Banner {banner_id} doesn't exist.")
    return jsonify(describe(banner))


def describe(banner: Banner) -> dict:
    spec = banner.spec.to_dict()
    return {
        "id": banner.id,
        "created": banner.created,
        **spec,
        **banner_urls(banner.id),
        "small_url": url_for("banners.small", banner_id=banner.id),
        "published": banner.published,
        "action": banner.action_id,
        "campaign": banner.campaign_id,
    }


def describe_action(action: Action, banners: list[str], count: int, photos: list) -> dict:
    """The action as JSON, with (some of) its kept banners' ids, how many it has, and its
    photos (rows of file, width, height)."""
    return {
        "id": action.id,
        "title": action.title,
        "date": action.date_text,
        "place": action.place,
        "country": action.country,
        "country_name": country_name(action.country, "en"),
        "description": action.description,
        "created": action.created_at.isoformat(),
        "page_url": url_for("actions.show", action_id=action.id),
        "banners": banners,
        "banner_count": count,
        "banners_url": url_for(".list_banners", action=action.id),
        "photos": [describe_photo(p) for p in photos],
    }


def describe_photo(photo) -> dict:
    """A photo as JSON (a row of file, width, height): the full photo, and its display copies
    for a client to show small ones, as the action's page does."""
    size = (photo.width, photo.height)
    return {
        "url": url_for("actions.photo", name=photo.file.split("/")[-1]),
        "width": photo.width,
        "height": photo.height,
        "display": [
            {"width": width, "height": display_height(size, width), "url": url}
            for url, width in display_copies(photo.file, photo.width)
        ],
    }
