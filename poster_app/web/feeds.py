"""Atom feeds of recorded actions and of kept banners, for feed readers and other sites."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

from flask import Blueprint, current_app, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Banner
from ..queries import actions_newest_first, newest_kept_banners
from .formatting import action_date, country_name, plain

bp = Blueprint("feeds", __name__)
ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50


@bp.get("/actions.atom")
def actions():
    rows = actions_newest_first(limit=ENTRIES)
    images = newest_kept_banners([action.id for action in rows], 1)
    entries = []
    for action in rows:
        place = ", ".join(p for p in (action.place, country_name(action.country)) if p)
        summary = f"{action_date(action)} · {place}\n\n{action.description}".strip()
        image = images.get(action.id, [None])[0]
        entries.append(
            _entry(
                f"action-{action.id}",
                action.title,
                url_for("actions.show", action_id=action.id, _external=True),
                action.created_at,
                summary,
                image,
            )
        )
    return _feed(_("Recorded actions"), url_for("actions.index", _external=True), entries)


@bp.get("/gallery.atom")
def banners():
    rows = db.session.scalars(
        select(Banner)
        .where(Banner.published.is_(True))
        .order_by(Banner.created_at.desc())
        .limit(ENTRIES)
        .options(selectinload(Banner.action))
    ).all()
    entries = [
        _entry(
            f"banner-{b.id}",
            plain(b.text).splitlines()[0][:120],
            url_for("banners.show", banner_id=b.id, _external=True),
            b.created_at,
            plain(b.text) + (f"\n\n{b.action.title}" if b.action else ""),
            b.id,
            lang=b.lang,
        )
        for b in rows
    ]
    return _feed(_("Banners in the gallery"), url_for("gallery.index", _external=True), entries)


def _entry(
    key: str,
    title: str,
    link: str,
    updated: datetime,
    summary: str,
    image: str | None,
    lang: str | None = None,
) -> ET.Element:
    entry = ET.Element("entry")
    ET.SubElement(entry, "id").text = f"tag:{request.host.split(':')[0]},2020:{key}"
    ET.SubElement(entry, "title").text = title
    ET.SubElement(entry, "link", href=link, rel="alternate", type="text/html")
    ET.SubElement(entry, "updated").text = _stamp(updated)
    content = ET.SubElement(entry, "summary")
    content.text = summary
    if lang:
        content.set("xml:lang", lang)
    if image is not None:
        ET.SubElement(
            entry,
            "link",
            rel="enclosure",
            type="image/png",
            href=url_for("banners.thumb", banner_id=image, _external=True),
        )
    return entry


def _feed(title: str, page: str, entries: list[ET.Element]):
    feed = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(feed, "id").text = page
    ET.SubElement(feed, "title").text = f"{title} · poster_app"
    ET.SubElement(feed, "link", href=request.url, rel="self", type="application/atom+xml")
    ET.SubElement(feed, "link", href=page, rel="alternate", type="text/html")
    newest = max((e.findtext("updated", "") for e in entries), default=_stamp(datetime(2020, 1, 1)))
    ET.SubElement(feed, "updated").text = newest
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = "poster_app"
    feed.extend(entries)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return current_app.response_class(body, mimetype="application/atom+xml")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
