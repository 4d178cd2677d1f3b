"""The JSON API: POST /api/banners makes a banner from a spec; GET reads them back.

JSON in, JSON out. Only application/json is accepted, which a cross-site HTML form cannot
send, so the API needs no CSRF token.
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..layout import MissingGlyphs, Spec, SpecError
from ..models import Action, Banner
from ..queries import Filters, actions_newest_first, paginate, whole_number
from ..rendering import renderer
from ..storage import banner_store, save_banner
from .formatting import country_name
from .responses import banner_urls

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/banners")
def create_banner():
    """Validate and plan the spec, record the banner, answer 201 with its URLs."""
    if not request.is_json:
        abort(415, "send the spec as JSON with Content-Type: application/json")
    try:
        options = json.loads(request.get_data(), parse_constant=_not_json)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        abort(400, f"malformed JSON: {e}")
    except ValueError as e:  # NaN, Infinity: Python reads them, JSON has no such numbers
        abort(400, f"malformed JSON: {e}")
    except RecursionError:
        abort(400, "malformed JSON: nested too deeply")
    if not isinstance(options, dict):
        abort(400, 'expected a JSON object with the spec\'s options, like {"text": "…"}')
    try:
        spec = Spec.from_options(options)
        renderer().check_png_size(spec)
        renderer().layout(spec)
    except MissingGlyphs as e:
        return jsonify(error=str(e), field="text", chars=list(e.chars)), 422
    except SpecError as e:
        return jsonify(error=str(e), field=e.field), 422
    except (TypeError, ValueError) as e:  # e.g. a number where text belongs
        return jsonify(error=str(e), field=None), 422
    banner = save_banner(spec)
    body = {"id": banner.id, **banner_urls(banner.id)}
    return jsonify(body), 201, {"Location": body["page_url"]}


def _not_json(name: str):
    raise ValueError(f"{name} is not a JSON number")


@bp.get("/banners")
def list_banners():
    """The gallery as JSON: `?lang=`, `?action=`, `?country=`, `?q=`, `?campaign=`, `?page=`,
    `?per_page=` (one row per banner: a campaign's banners carry its id)."""
    filters = Filters.from_args(request.args)
    per_page = whole_number(request.args, "per_page", 50, high=100)
    page = paginate(filters, whole_number(request.args, "page", 1), per_page)
    return jsonify(
        banners=[describe(b) for b in page.items],
        page=page.page,
        per_page=per_page,
        pages=page.pages,
        total=page.total,
    )


@bp.get("/actions")
def list_actions():
    """Every recorded action, newest first, with its kept banners and photos."""
    actions = actions_newest_first(selectinload(Action.banners), selectinload(Action.photos))
    return jsonify(actions=[describe_action(a) for a in actions])


@bp.get("/actions/<int:action_id>")
def get_action(action_id: int):
    action = db.session.get(Action, action_id)
    if action is None:
        abort(404, f"Action {action_id} doesn't exist.")
    return jsonify(describe_action(action))


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


def describe_action(action: Action) -> dict:
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
        "banners": [b.id for b in action.banners if b.published],
        "photos": [
            {
                "url": url_for("actions.photo", name=p.file.split("/")[-1]),
                "width": p.width,
                "height": p.height,
            }
            for p in action.photos
        ],
    }
