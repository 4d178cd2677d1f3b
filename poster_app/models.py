"""The records: actions with their photos, banners kept in the gallery, and editors.

Media (thumbnails, photos) are files under the data dir named by their content; a row is
committed only after its files are in place, so a row never points at a missing file.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .layout import Spec

if TYPE_CHECKING:  # db.Model is made at run time; type checkers see its declarative base
    from .extensions import Base as Model
else:
    Model = db.Model

# Banner ids (a keyed hash of the spec, storage.banner_id) and campaign ids (random) are 20
# hex digits.
RECORD_ID = re.compile(r"[0-9a-f]{20}")
# Photo files are named by the SHA-256 of their cleaned bytes.
PHOTO_NAME = re.compile(r"[0-9a-f]{64}\.(?:jpg|png)")


# The largest id an integer column holds on every database (PostgreSQL's `integer`).
MAX_ID = 2**31 - 1


def is_record_id(text: str | None) -> bool:
    """Whether `text` could be a banner's or a campaign's id (before asking the database)."""
    return RECORD_ID.fullmatch(text or "") is not None


def utcnow() -> datetime:
    """Now in UTC, naive and to the second: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Action(Model):
    """A dated event at a place: a day, or just a month when the day is not known."""

    __tablename__ = "action"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    month: Mapped[int]
    day: Mapped[int | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="", index=True)  # ISO 3166 alpha-2
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    photos: Mapped[list[Photo]] = relationship(
        back_populates="action", order_by="Photo.id", cascade="all, delete-orphan"
    )
    banners: Mapped[list[Banner]] = relationship(
        back_populates="action", order_by="Banner.created_at.desc()"
    )

    __table_args__ = (Index("ix_action_date", "year", "month", "day"),)

    @property
    def date_value(self) -> date:
        """The day, or the first of the month for a month-only date (for sorting and feeds)."""
        return date(self.year, self.month, self.day or 1)

    @property
    def date_text(self) -> str:
        """'2020-02-15' or '2020-02', as the form and the JSON take it."""
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def set_date(self, text: str) -> None:
        """Set the date from 'YYYY-MM-DD' or 'YYYY-MM' (ValueError if it is neither)."""
        self.year, self.month, self.day = parse_action_date(text)


def parse_action_date(text: str) -> tuple[int, int, int | None]:
    """'2020-02-15' → (2020, 2, 15); '2020-02' → (2020, 2, None); ValueError otherwise."""
    parts = text.strip().split("-")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(f"expected YYYY-MM-DD or YYYY-MM (not {text!r})")
    year, month = int(parts[0]), int(parts[1])
    day = int(parts[2]) if len(parts) == 3 else None
    date(year, month, day or 1)  # raises ValueError for 2020-02-30, month 13, …
    return year, month, day


class Photo(Model):
    """A photo of an action: a re-encoded copy without metadata, stored under its hash."""

    __tablename__ = "photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(String(80))  # photos/<sha256>.jpg, under the data dir
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[Action] = relationship(back_populates="photos")


class Leased:
    """Who is working on a row's job, and until when (campaigns.py keeps these).

    `job_id` names the job that may run it now (older copies of the job find it changed and
    stop); `owner` is the process holding it, which renews `lease_until` while it lives; a
    lease that runs out means its worker died, and the job is queued again (or given up after
    `attempts` tries).
    """

    job_id: Mapped[str] = mapped_column(String(64), default="")
    owner: Mapped[str] = mapped_column(String(80), default="")
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)


class Failure:
    """Why a campaign or one of its banners failed (campaigns.py writes it).

    `error` is the English (the API's `error`, the ZIP's FAILED.txt, and all that rows made
    before reasons had codes hold); `error_data`, for a reason with a code (an engine refusal,
    or one of the job's own), is that code with its values as JSON, `{"code", "field",
    "params"}`, which pages say in the reader's language (campaigns.reason). An unexpected
    error has only its English.
    """

    error: Mapped[str] = mapped_column(Text, default="")
    error_data: Mapped[str] = mapped_column(Text, default="")

    @property
    def error_code(self) -> str:
        return json.loads(self.error_data)["code"] if self.error_data else ""


class Campaign(Leased, Failure, Model):
    """A campaign: one slogan in many languages and sizes, made in the background as one ZIP.

    The row is the one truth about its progress (see campaigns.py): `state` is queued, working,
    zipping (reported as working), done or failed. Its banners are grouped in the gallery; the
    row stays after its ZIP expires, so the group and its page outlive the ZIP.
    """

    __tablename__ = "campaign"
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    title: Mapped[str] = mapped_column(Text)  # the slogan
    phrase: Mapped[str] = mapped_column(String(80), default="")  # phrasebook id, if any
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    options_json: Mapped[str] = mapped_column(Text, default="{}")  # Spec options of every task
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    finished_at: Mapped[datetime | None]

    banners: Mapped[list[Banner]] = relationship(
        back_populates="campaign", order_by="(Banner.lang, Banner.page)"
    )
    tasks: Mapped[list[BannerTask]] = relationship(
        back_populates="campaign", order_by="BannerTask.id", cascade="all, delete-orphan"
    )


class BannerTask(Leased, Failure, Model):
    """One banner a campaign makes: a language and a size, and what became of it."""

    __tablename__ = "banner_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    lang: Mapped[str] = mapped_column(String(35))
    size: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text, default="")  # 'Russian (ru) - A4', for the sheet
    state: Mapped[str] = mapped_column(String(10), default="queued")  # queued|working|done|failed
    banner_id: Mapped[str | None] = mapped_column(
        ForeignKey("banner.id", ondelete="SET NULL"), index=True
    )

    campaign: Mapped[Campaign] = relationship(back_populates="tasks")

    @property
    def name(self) -> str:
        """File name stem inside the ZIP: 'ru-a4', 'zh-Hans-square-1080px'."""
        return f"{self.lang}-{self.size}"


class StoredFile(Model):
    """A file every app server and worker can read (photos, campaign ZIPs), kept in the
    database in chunks of at most `CHUNK` bytes (see blobs.py)."""

    __tablename__ = "stored_file"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # 'photos/<sha256>.jpg'
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)


class StoredChunk(Model):
    __tablename__ = "stored_chunk"
    name: Mapped[str] = mapped_column(
        ForeignKey("stored_file.name", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Banner(Model):
    """A banner made with the form, the API or a campaign; `published` ones are in the gallery."""

    __tablename__ = "banner"
    id: Mapped[str] = mapped_column(String(20), primary_key=True)  # storage.banner_id(spec)
    spec_json: Mapped[str] = mapped_column(Text)  # the canonical spec
    lang: Mapped[str] = mapped_column(String(35))
    page: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text, default="")  # text.casefold(), for any script
    engine: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published: Mapped[bool] = mapped_column(default=False)
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("action.id", ondelete="SET NULL"), index=True
    )

    # The campaign that first made it (a banner is one row per spec, so it has one campaign).
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))

    action: Mapped[Action | None] = relationship(back_populates="banners")
    campaign: Mapped[Campaign | None] = relationship(back_populates="banners")

    # The gallery reads kept banners newest first, whole or by language, action or campaign:
    # one index for each, in that order, so a page is read off an index and never sorted.
    __table_args__ = (
        Index("ix_banner_gallery", "published", "created_at", "id"),
        Index("ix_banner_lang_gallery", "lang", "published", "created_at", "id"),
        Index("ix_banner_action_gallery", "published", "action_id", "created_at", "id"),
        Index("ix_banner_campaign_gallery", "campaign_id", "published", "created_at", "id"),
    )

    @property
    def spec(self) -> Spec:
        """The spec as stored, trusted: rows made under older rules still read (10.5)."""
        return Spec.from_stored(json.loads(self.spec_json))

    @property
    def created(self) -> str:
        return self.created_at.isoformat()


# scrypt with OWASP's settings (N=2^14, r=8, p=5: as strong as N=2^17, p=1) in 16 MiB of
# memory a check instead of 128 MiB: many log-ins at once must not exhaust the server.
PASSWORD_METHOD = "scrypt:16384:8:5"


class Editor(Model):
    """Someone who may keep banners in the gallery and record actions."""

    __tablename__ = "editor"
    MIN_PASSWORD = 10  # characters
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    logins: Mapped[list[Login]] = relationship(
        back_populates="editor", cascade="all, delete-orphan", passive_deletes=True
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def password_outdated(self) -> bool:
        """Hashed with older, weaker settings (rehashed at the next log-in)."""
        return not self.password_hash.startswith(PASSWORD_METHOD + "$")


class Login(Model):
    """An editor logged in on one browser. The session cookie carries a random token; the row
    is keyed by its hash. Deleting the row ends the session wherever the cookie was copied."""

    __tablename__ = "login"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the token
    editor_id: Mapped[int] = mapped_column(ForeignKey("editor.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)  # the last request, to the minute

    editor: Mapped[Editor] = relationship(back_populates="logins")
