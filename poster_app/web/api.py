"""The JSON API: POST /api/banners makes a banner from a spec; GET reads them back.

JSON in, JSON out. Only application/json is accepted, which a cross-site HTML form cannot
send, so the API needs no CSRF token.
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, jsonify, request

from ..layout import MissingGlyphs, Spec, SpecError
from ..storage import Banner
from . import rendering
from .banners import banner_urls, store

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/banners")
def create_banner():
    """Validate and plan the spec, record the banner, answer 201 with its URLs."""
    if not request.is_json:
        abort(415, "send the spec as JSON with Content-Type: application/json")
    try:
        options = json.loads(request.get_data())
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        abort(400, f"malformed JSON: {e}")
    if not isinstance(options, dict):
        abort(400, "expected a JSON object with the spec's options, like {\"text\": \"…\"}")
    try:
        spec = Spec.from_options(options)
        rendering.layout_for(spec)
    except MissingGlyphs as e:
        return jsonify(error=str(e), field="text", chars=list(e.chars)), 422
    except SpecError as e:
        return jsonify(error=str(e), field=e.field), 422
    except (TypeError, ValueError) as e:    # e.g. a number where text belongs
        return jsonify(error=str(e), field=None), 422
    banner = store().save(spec)
    body = {"id": banner.id, **banner_urls(banner.id)}
    return jsonify(body), 201, {"Location": body["page_url"]}


@bp.get("/banners")
def list_banners():
    """The newest banners, `?limit=` (at most 100) and `?offset=`; `?lang=` filters."""
    limit = max(1, min(request.args.get("limit", 50, type=int), 100))
    offset = max(0, request.args.get("offset", 0, type=int))
    lang = request.args.get("lang")
    banners = store().recent(limit=10_000 if lang else limit, offset=0 if lang else offset)
    if lang:
        banners = [b for b in banners if b.spec.lang == lang][offset:offset + limit]
    return jsonify(banners=[describe(b) for b in banners], limit=limit, offset=offset)


@bp.get("/banners/<banner_id>")
def get_banner(banner_id: str):
    banner = store().get(banner_id)
    if banner is None:
        abort(404, f"Banner {banner_id} doesn't exist.")
    return jsonify(describe(banner))


def describe(banner: Banner) -> dict:
    spec = banner.spec.to_dict()
    return {"id": banner.id, "created": banner.created, **spec, **banner_urls(banner.id)}
