"""The questions the pages and the API ask of the records: the gallery's cards, filtered and
paginated, and actions in their order. Views and feeds call these; none builds its own query."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Select, case, distinct, func, literal, select, union_all
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import MAX_ID, Action, Banner, Campaign, Photo, is_record_id


def newest_first():
    """Actions newest first; a month-only date (no day) comes after that month's days."""
    # PostgreSQL would put NULL first.
    return (
        Action.year.desc(),
        Action.month.desc(),
        Action.day.desc().nulls_last(),
        Action.id.desc(),
    )


def actions_newest_first(*options, limit: int | None = None) -> list[Action]:
    """Actions newest first (all, or the first `limit`), with the loader options given."""
    stmt = select(Action).order_by(*newest_first()).options(*options).limit(limit)
    return list(db.session.scalars(stmt))


def action_counts() -> tuple[dict, dict[int, int]]:
    """Per action: its kept banners (count `n` and the `first` id) and its number of photos."""
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
        return self.where(select(Banner)).order_by(Banner.created_at.desc(), Banner.id)

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
    per_page = per_page or current_app.config["GALLERY_PER_PAGE"]
    stmt = filters.query().options(selectinload(Banner.action))
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=100, error_out=False)


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
    """A page of entries, with what the pager macro reads."""

    items: list[Entry]
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


GROUP_THUMBS = 4


def entries(filters: Filters, page: int, per_page: int) -> EntryPage:
    """Kept banners as cards, newest first: a campaign's banners make one card (unless the
    gallery is narrowed to that campaign, or only one of them matches)."""
    if filters.campaign:
        found = paginate(filters, page, per_page)
        return EntryPage([Entry(banner=b) for b in found.items], page, per_page, found.total)
    # Banners outside campaigns straight from the rows, campaigns grouped; newest first.
    alone = filters.where(
        select(
            Banner.campaign_id,
            Banner.id.label("first"),
            literal(1).label("n"),
            literal(1).label("langs"),
            literal(1).label("sizes"),
            case((Banner.action_id.is_(None), 0), else_=1).label("linked"),
            Banner.action_id,
            Banner.action_id.label("last_action"),
            Banner.created_at.label("newest"),
        )
    ).where(Banner.campaign_id.is_(None))
    grouped = (
        filters.where(
            select(
                Banner.campaign_id,
                func.min(Banner.id),
                func.count(),
                func.count(distinct(Banner.lang)),
                func.count(distinct(Banner.page)),
                func.count(Banner.action_id),
                func.min(Banner.action_id),
                func.max(Banner.action_id),
                func.max(Banner.created_at),
            )
        )
        .where(Banner.campaign_id.is_not(None))
        .group_by(Banner.campaign_id)
    )
    both = union_all(alone, grouped).subquery()
    total = db.session.scalar(
        filters.where(select(func.count(Banner.id))).where(Banner.campaign_id.is_(None))
    ) + db.session.scalar(filters.where(select(func.count(distinct(Banner.campaign_id)))))
    rows = db.session.execute(
        select(both)
        .order_by(both.c.newest.desc(), both.c.first)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    singles = [row.first for row in rows if row.campaign_id is None or row.n == 1]
    groups = [row.campaign_id for row in rows if row.campaign_id is not None and row.n > 1]
    banners = {
        b.id: b
        for b in db.session.scalars(
            select(Banner).where(Banner.id.in_(singles)).options(selectinload(Banner.action))
        )
    }
    campaigns = {
        c.id: c for c in db.session.scalars(select(Campaign).where(Campaign.id.in_(groups)))
    }
    thumbs: dict[str, list[Banner]] = {cid: [] for cid in groups}
    if groups:
        members = db.session.scalars(
            filters.where(select(Banner))
            .where(Banner.campaign_id.in_(groups))
            .order_by(Banner.page, Banner.lang)
        ).all()
        for cid in groups:  # one thumbnail per language first, of one size where it can
            mine = [b for b in members if b.campaign_id == cid]
            langs: dict[str, Banner] = {}
            for banner in mine:
                langs.setdefault(banner.lang, banner)
            picked = list(langs.values())[:GROUP_THUMBS]
            picked += [b for b in mine if b not in picked][: GROUP_THUMBS - len(picked)]
            thumbs[cid] = picked
    linked = {
        row.action_id
        for row in rows
        if row.campaign_id in thumbs and row.linked == row.n and row.action_id == row.last_action
    }
    actions = {a.id: a for a in db.session.scalars(select(Action).where(Action.id.in_(linked)))}
    items = []
    for row in rows:
        if row.campaign_id is None or row.n == 1:
            items.append(Entry(banner=banners[row.first]))
        else:
            action = (
                actions.get(row.action_id)
                if row.linked == row.n and row.action_id == row.last_action
                else None
            )
            items.append(
                Entry(
                    campaign=campaigns[row.campaign_id],
                    count=row.n,
                    langs=row.langs,
                    sizes=row.sizes,
                    banners=thumbs[row.campaign_id],
                    action=action,
                )
            )
    return EntryPage(items, page, per_page, total)


def count_banners(filters: Filters) -> int:
    """How many kept banners match the filters (campaigns counted banner by banner)."""
    return db.session.scalar(filters.where(select(func.count(Banner.id))))


def gallery_langs() -> list[str]:
    """The language tags of the kept banners."""
    return list(
        db.session.scalars(select(Banner.lang).where(Banner.published.is_(True)).distinct())
    )


def action_countries() -> set[str]:
    """The countries some action took place in."""
    return set(db.session.scalars(select(Action.country).distinct()))
