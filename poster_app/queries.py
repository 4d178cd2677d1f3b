"""The questions the pages and the API ask of the records: the gallery's cards, filtered and
paginated, and actions in their order. Views and feeds call these; none builds its own query.

At 100,000 banners every page reads what it shows and no more: the gallery walks the kept
banners in index order and stops after its page (a campaign's banners fold into one card as
they come), the API pages by key (`after`), counts and the language list are cached for a
short while (COUNTED_FOR seconds; a commit that changes banners in this process forgets them
at once), and lists select the columns they list, not whole objects.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from flask import current_app
from sqlalchemy import Select, distinct, event, func, or_, select, true, tuple_
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from .extensions import db
from .models import MAX_ID, Action, Banner, BannerTask, Campaign, Photo, is_record_id

# Kept banners newest first (ties by id, the same way round: read backwards off the indexes).
NEWEST_FIRST = (Banner.created_at.desc(), Banner.id.desc())
COUNTED_FOR = 30.0  # seconds a count or the language list is reused
_counted: dict[Hashable, tuple[float, Any]] = {}
_counted_lock = threading.Lock()


def counted(key: Hashable, count: Callable[[], Any]) -> Any:
    """`count()`, reused for COUNTED_FOR seconds (per process and database)."""
    key = (str(db.engine.url), key)
    now = time.monotonic()
    with _counted_lock:
        found = _counted.get(key)
    if found is not None and now - found[0] < COUNTED_FOR:
        return found[1]
    value = count()
    with _counted_lock:
        _counted[key] = (now, value)
    return value


def rows_of(stmt):
    """Run a statement of columns as plain rows: no ORM loading for each of thousands."""
    return db.session.connection().execute(stmt)


def forget_counts() -> None:
    with _counted_lock:
        _counted.clear()


@event.listens_for(Session, "after_flush")
def _banners_changed(session, _context) -> None:
    """A flush that adds, changes or deletes banners or actions makes the counts stale."""
    changed = session.new | session.dirty | session.deleted
    if any(isinstance(row, Banner | Action | Campaign) for row in changed):
        session.info["gallery_changed"] = True


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session) -> None:
    if session.info.pop("gallery_changed", False):
        forget_counts()


# Actions newest first: by date, a month-only date (no day: 0 here) after that month's days.
ACTION_ORDER = (Action.year, Action.month, func.coalesce(Action.day, 0), Action.id)


def newest_first():
    """Actions newest first (the same order on every database: no NULL to place)."""
    return tuple(column.desc() for column in ACTION_ORDER)


def actions_newest_first(*options, limit: int | None = None) -> list[Action]:
    """Actions newest first (all, or the first `limit`), with the loader options given."""
    stmt = select(Action).order_by(*newest_first()).options(*options).limit(limit)
    return list(db.session.scalars(stmt))


def actions_after(cursor: str | None, limit: int) -> list[Action] | None:
    """The first `limit` actions newest first after the one `cursor` names (from
    `action_cursor`; None: from the start), by key. None if the cursor is not one."""
    stmt = select(Action).order_by(*newest_first()).limit(limit)
    if cursor is not None:
        parts = cursor.split("_")
        if len(parts) != len(ACTION_ORDER) or not all(p.isdigit() and len(p) < 10 for p in parts):
            return None
        stmt = stmt.where(tuple_(*ACTION_ORDER) < tuple_(*map(int, parts)))
    return list(db.session.scalars(stmt))


def action_cursor(action: Action) -> str:
    return f"{action.year}_{action.month}_{action.day or 0}_{action.id}"


def action_choices() -> list:
    """(id, title, year, month, day) of every action, newest first: the filter's options."""
    stmt = select(Action.id, Action.title, Action.year, Action.month, Action.day)
    return list(rows_of(stmt.order_by(*newest_first())))


def kept_banner_ids(action_id: int) -> list[str]:
    """The ids of an action's kept banners, newest first (off ix_banner_action_gallery)."""
    stmt = select(Banner.id).where(Banner.published.is_(True), Banner.action_id == action_id)
    return list(db.session.scalars(stmt.order_by(*NEWEST_FIRST)))


def kept_banner_counts(action_ids: list[int]) -> dict[int, int]:
    """Per action given, how many kept banners it has (counted off the same index)."""
    stmt = (
        select(Banner.action_id, func.count())
        .where(Banner.published.is_(True), Banner.action_id.in_(action_ids))
        .group_by(Banner.action_id)
    )
    return dict(rows_of(stmt).all())


def newest_kept_banners(action_ids: list[int], limit: int) -> dict[int, list[str]]:
    """Per action given, the ids of its newest `limit` kept banners, newest first: `limit` steps
    down ix_banner_action_gallery per action, however many banners it has."""
    kept = aliased(Banner)
    newest = (
        select(kept.id, kept.created_at)
        .where(kept.published.is_(True), kept.action_id == Action.id)
        .order_by(kept.created_at.desc(), kept.id.desc())
        .limit(limit)
    )
    if db.engine.dialect.name == "sqlite":
        # SQLite has no LATERAL; it runs this correlated IN as the same steps per action (which
        # PostgreSQL would not: it scanned every banner).
        ids = newest.with_only_columns(kept.id)
        stmt = select(Action.id, Banner.id, Banner.created_at).join(Banner, Banner.id.in_(ids))
    else:
        lateral = newest.lateral()
        stmt = select(Action.id, lateral.c.id, lateral.c.created_at).join(lateral, true())
    rows = rows_of(stmt.where(Action.id.in_(action_ids))).all()
    rows.sort(key=itemgetter(0, 2, 1), reverse=True)
    return {action: [row[1] for row in group] for action, group in groupby(rows, itemgetter(0))}


def action_photos(action_ids: list[int]) -> dict[int, list]:
    """Per action given, its photos' (file, width, height), in the order they were added."""
    stmt = select(Photo.action_id, Photo.file, Photo.width, Photo.height).order_by(Photo.id)
    stmt = stmt.where(Photo.action_id.in_(action_ids))
    found: dict[int, list] = {}
    for row in rows_of(stmt):
        found.setdefault(row.action_id, []).append(row)
    return found


def action_counts() -> tuple[dict, dict[int, int]]:
    """Per action: its kept banners (count `n` and the `first` id) and its number of photos."""
    kept = {
        row.action_id: row
        for row in rows_of(
            select(Banner.action_id, func.count().label("n"), func.min(Banner.id).label("first"))
            .where(Banner.published.is_(True), Banner.action_id.is_not(None))
            .group_by(Banner.action_id)
        )
    }
    photos = dict(rows_of(select(Photo.action_id, func.count()).group_by(Photo.action_id)).all())
    return kept, photos


def whole_number(args, name: str, default: int, low: int = 1, high: int = MAX_ID) -> int:
    """A whole-number query argument, held between `low` and `high` (a number no column or
    offset holds would be a database error); anything else is the default."""
    value = args.get(name, default, type=int)
    return max(low, min(value, high))


@dataclass(frozen=True)
class Filters:
    """What the gallery is narrowed to, from the query string."""

    lang: str = ""
    action: int | None = None
    country: str = ""
    q: str = ""
    campaign: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        campaign = args.get("campaign", "").strip().lower()
        return cls(
            lang=args.get("lang", "").strip(),
            action=whole_number(args, "action", 0, low=0) or None,
            country=args.get("country", "").strip().upper()[:2],
            q=args.get("q", "").strip()[:200],
            campaign=campaign if is_record_id(campaign) else "",
        )

    def query(self) -> Select:
        """Kept banners matching the filters, newest first."""
        return self.where(select(Banner)).order_by(*NEWEST_FIRST)

    def where(self, stmt: Select) -> Select:
        """The statement (over banner rows) narrowed to kept banners matching the filters."""
        stmt = stmt.where(Banner.published.is_(True))
        if self.campaign:
            stmt = stmt.where(Banner.campaign_id == self.campaign)
        if self.lang:
            stmt = stmt.where(Banner.lang == self.lang)
        if self.action:
            stmt = stmt.where(Banner.action_id == self.action)
        if self.country:
            stmt = stmt.join(Banner.action).where(Action.country == self.country)
        if self.q:
            stmt = stmt.where(Banner.search.contains(self.q.casefold(), autoescape=True))
        return stmt

    def args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def paginate(filters: Filters, page: int, per_page: int | None = None):
    """Kept banners matching the filters, one page (the count cached)."""
    per_page = per_page or current_app.config["GALLERY_PER_PAGE"]
    stmt = filters.query().options(selectinload(Banner.action))
    total = count_banners(filters)
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return BannerPage(items, page, per_page, total)


def after(filters: Filters, cursor: str, per_page: int):
    """The page of kept banners after `cursor` (from `cursor_of` a banner), by key: as fast
    on the last page as on the first."""
    created, _, banner_id = cursor.partition("_")
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        return None
    stmt = filters.query().where(older_than(moment, banner_id))
    return list(db.session.scalars(stmt.limit(per_page)))  # the API lists action ids only


def older_than(moment: datetime, banner_id: str):
    """Banners after this one in NEWEST_FIRST order: one row-value comparison, which both
    databases answer with a range of the index (an OR of two comparisons would scan)."""
    return tuple_(Banner.created_at, Banner.id) < tuple_(moment, banner_id)


def cursor_of(banner: Banner) -> str:
    return f"{banner.created_at.isoformat()}_{banner.id}"


@dataclass
class Entry:
    """One card of the gallery: a banner, or a campaign's banners together."""

    banner: Banner | None = None
    campaign: Campaign | None = None
    count: int = 1  # banners of the campaign that match the filters
    langs: int = 1
    sizes: int = 1
    banners: list[Banner] = field(default_factory=list)  # a few, for thumbnails
    action: Action | None = None  # when every matching banner is linked to this one


@dataclass
class EntryPage:
    """A page of entries (or of banners), with what the pager macro reads."""

    items: list
    page: int
    per_page: int
    total: int  # entries (cards), not banners

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


BannerPage = EntryPage
GROUP_THUMBS = 4
SCAN_BATCH = 500  # banner keys read at a time while filling a page of cards


def entries(filters: Filters, page: int, per_page: int) -> EntryPage:
    """Kept banners as cards, newest first: a campaign's banners make one card, where its
    newest matching banner stands (unless the gallery is narrowed to that campaign, or only
    one of them matches)."""
    if filters.campaign:
        found = paginate(filters, page, per_page)
        return EntryPage([Entry(banner=b) for b in found.items], page, per_page, found.total)
    cards = _card_keys(filters, page * per_page)[(page - 1) * per_page :]
    groups = {cid: row for cid, row in _campaign_counts(filters, cards).items() if row.n > 1}
    singles = [bid for cid, bid in cards if cid not in groups]
    banners = {
        b.id: b
        for b in db.session.scalars(
            select(Banner).where(Banner.id.in_(singles)).options(joinedload(Banner.action))
        )
    }
    campaigns = _by_id(Campaign, list(groups))
    thumbs = _group_thumbs(filters, list(groups))
    shared = {cid: row.action for cid, row in groups.items() if row.linked == row.n}
    shared = {cid: aid for cid, aid in shared.items() if aid == groups[cid].last_action}
    actions = _by_id(Action, list(shared.values()))
    items = []
    for cid, bid in cards:
        if cid is None or cid not in groups:
            items.append(Entry(banner=banners[bid]))
            continue
        row, aid = groups[cid], shared.get(cid)
        items.append(
            Entry(
                campaign=campaigns[cid],
                count=row.n,
                langs=row.langs,
                sizes=row.sizes,
                banners=thumbs[cid],
                action=actions.get(aid) if aid is not None else None,
            )
        )
    return EntryPage(items, page, per_page, count_entries(filters))


def _by_id(model, ids: list) -> dict:
    """The rows of `model` with these ids, by id (no query for none: a page without campaigns
    is the usual case, and on a database server each query is a round trip)."""
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _card_keys(filters: Filters, wanted: int) -> list[tuple[str | None, str]]:
    """(campaign id or None, banner id) of the first `wanted` cards: the kept banners read in
    index order, a batch at a time, each campaign where its first (newest) banner comes."""
    keys = filters.where(select(Banner.campaign_id, Banner.id, Banner.created_at))
    keys = keys.order_by(*NEWEST_FIRST)
    cards: list[tuple[str | None, str]] = []
    seen: set[str] = set()
    last = None
    while len(cards) < wanted:
        batch = keys
        if last is not None:
            moment, banner_id = last
            batch = keys.where(older_than(moment, banner_id))
        rows = rows_of(batch.limit(SCAN_BATCH)).all()
        for campaign_id, banner_id, _created in rows:
            if campaign_id is None or campaign_id not in seen:
                cards.append((campaign_id, banner_id))
                if campaign_id is not None:
                    seen.add(campaign_id)
        if len(rows) < SCAN_BATCH:
            break
        last = (rows[-1].created_at, rows[-1].id)
    return cards[:wanted]


def _campaign_counts(filters: Filters, cards) -> dict:
    """Per campaign among the cards: its matching banners (n), languages, sizes, and the
    actions they are linked to (how many, the lowest and the highest)."""
    ids = [cid for cid, _bid in cards if cid is not None]
    if not ids:
        return {}
    rows = rows_of(
        filters.where(
            select(
                Banner.campaign_id,
                func.count().label("n"),
                func.count(distinct(Banner.lang)).label("langs"),
                func.count(distinct(Banner.page)).label("sizes"),
                func.count(Banner.action_id).label("linked"),
                func.min(Banner.action_id).label("action"),
                func.max(Banner.action_id).label("last_action"),
            )
        )
        .where(Banner.campaign_id.in_(ids))
        .group_by(Banner.campaign_id)
    )
    return {row.campaign_id: row for row in rows}


def _group_thumbs(filters: Filters, ids: list[str]) -> dict[str, list[Banner]]:
    """A few banners of each campaign for its card: one per language first, of one size
    where it can."""
    thumbs: dict[str, list[Banner]] = {cid: [] for cid in ids}
    if not ids:
        return thumbs
    members = db.session.scalars(
        filters.where(select(Banner))
        .where(Banner.campaign_id.in_(ids))
        .order_by(Banner.page, Banner.lang)
    ).all()
    for cid in ids:
        mine = [b for b in members if b.campaign_id == cid]
        langs: dict[str, Banner] = {}
        for banner in mine:
            langs.setdefault(banner.lang, banner)
        picked = list(langs.values())[:GROUP_THUMBS]
        picked += [b for b in mine if b not in picked][: GROUP_THUMBS - len(picked)]
        thumbs[cid] = picked
    return thumbs


def count_entries(filters: Filters) -> int:
    """How many cards the gallery has for the filters (cached): banners outside campaigns,
    and campaigns with a matching banner."""

    def count() -> int:
        alone = filters.where(select(func.count(Banner.id))).where(Banner.campaign_id.is_(None))
        groups = filters.where(select(func.count(distinct(Banner.campaign_id))))
        return db.session.scalar(alone) + db.session.scalar(groups)

    return counted(("entries", filters), count)


def count_banners(filters: Filters) -> int:
    """How many kept banners match the filters (campaigns counted banner by banner; cached)."""
    return counted(
        ("banners", filters),
        lambda: db.session.scalar(filters.where(select(func.count(Banner.id)))),
    )


def gallery_langs() -> list[str]:
    """The language tags of the kept banners (cached)."""
    return counted(
        "langs",
        lambda: list(
            db.session.scalars(select(Banner.lang).where(Banner.published.is_(True)).distinct())
        ),
    )


def campaign_banners(campaign_id: str) -> list[Banner]:
    """A campaign's banners by language and size, with their actions (one query for all):
    those it made, and those it asked for that an earlier campaign or the form had made (a
    banner is one row per spec, grouped with the first campaign that made it)."""
    asked = select(BannerTask.banner_id).where(BannerTask.campaign_id == campaign_id)
    return list(
        db.session.scalars(
            select(Banner)
            .where(or_(Banner.campaign_id == campaign_id, Banner.id.in_(asked)))
            .order_by(Banner.lang, Banner.page)
            .options(selectinload(Banner.action))
        )
    )


def action_countries() -> set[str]:
    """The countries some action took place in."""
    return set(db.session.scalars(select(Action.country).distinct()))
