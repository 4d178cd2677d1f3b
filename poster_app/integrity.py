"""`flask --app poster_app check [--fix]`: do the database rows and the media files agree, and
are they whole?

A write stores its files first and commits the row after, so a crash can leave files that no
row points at (and temporary files of half-written ones), never a row without its files. This
command finds both kinds of disagreement, and files that are there but damaged: a photo whose
bytes no longer match the hash it is named by, an image that does not decode, a PDF cut short
(each would be served `immutable` for a year); on SQLite it runs PRAGMA integrity_check.
Files stored in the database (`stored_file`) that no row uses are found too. `--fix` deletes
stray and unused files and damaged rendered files (thumbnails, downloads) and renders a
banner's missing thumbnails ahead of the next request (rendering is deterministic, so they come
out the same; a banner's files are a cache, so a missing one is not an error); a damaged photo
or database can only come back from a backup, and the command says so. (A photo's bytes are
kept in the database; its file is this server's copy. The stored bytes are read back and
checked too: their length, and the hash a photo or image is named by.)
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select, text

from . import blobs
from .extensions import db
from .images import banner_images
from .models import RECORD_ID, Banner, Campaign, Photo, StoredFile, utcnow
from .storage import ensure_thumbnails, is_photo_file

# banners/<id>.<anything>: thumbnails, rendered downloads, legacy JSON records.
BANNER_FILE = re.compile(rf"^({RECORD_ID.pattern})\.")
# Stored files by kind: photos/<sha256>.<ext> (a Photo row's `file`), images/<sha256>[.ext]
# (a banner spec's `image`), campaigns/<campaign id>/… (its ZIP, contact sheet, task files).
STORED_KIND = re.compile(r"^(photos|images|campaigns)/([^/.]+)")
SHA256 = re.compile(r"[0-9a-f]{64}")
# An upload is stored before its row is written, and a form refused for another field keeps
# it for the person to send again: it becomes unused only after a day.
UPLOAD_GRACE = timedelta(days=1)


@dataclass
class Report:
    stray: list[Path] = field(default_factory=list)  # files no row points at
    unused: list[str] = field(default_factory=list)  # stored files no row uses, or expired
    unknown: list[str] = field(default_factory=list)  # stored files of no kind known here
    missing: list[str] = field(default_factory=list)  # rows whose files are gone
    missing_banners: list[str] = field(default_factory=list)  # lacking a thumbnail (cache)
    damaged: list[Path] = field(default_factory=list)  # files that are there but not whole
    damaged_stored: list[str] = field(default_factory=list)  # stored files not whole
    database: list[str] = field(default_factory=list)  # what the database's own check says

    @property
    def clean(self) -> bool:
        return not (
            self.stray
            or self.unused
            or self.unknown
            or self.missing
            or self.damaged
            or self.damaged_stored
            or self.database
        )


def inspect(
    data_dir: Path, thumb_widths: tuple[int, ...], grace: float = 60, content: bool = True
) -> Report:
    """Compare the banner and photo rows with the files under the data dir; with `content`,
    also read every file and the database to see they are whole.

    Files younger than `grace` seconds are left out of the stray ones: on a running server
    they may be a write whose row is being committed right now.
    """
    report = Report()
    if content:
        report.database = database_problems()
        report.damaged_stored = damaged_stored_files()
    young = time.time() - grace
    banners = set(db.session.scalars(select(Banner.id)))
    for banner_id in sorted(banners):
        gone = [
            w
            for w in thumb_widths
            if not (data_dir / "banners" / f"{banner_id}.thumb{w}.png").exists()
        ]
        if gone:  # a cache miss, not an error: --fix renders them ahead of the next request
            report.missing_banners.append(banner_id)
    for path in sorted((data_dir / "banners").glob("*")):
        match = BANNER_FILE.match(path.name)
        if not path.is_file():
            continue
        if (match is None or match[1] not in banners) and path.stat().st_mtime < young:
            report.stray.append(path)
        elif match is not None and content and not whole(path):
            report.damaged.append(path)
    photos = set(db.session.scalars(select(Photo.file)))
    stored = set(db.session.scalars(select(StoredFile.name).where(StoredFile.name.in_(photos))))
    for name in sorted(photos):
        if name not in stored:
            report.missing.append(f"photo {name} missing")
        elif (
            content
            and (data_dir / name).exists()  # this server's copy, if it made one
            and not (is_photo_file(name) and photo_intact(data_dir / name))
        ):
            report.damaged.append(data_dir / name)
    for path in sorted((data_dir / "photos").glob("*")):
        if (
            path.is_file()
            and path.relative_to(data_dir).as_posix() not in photos
            and path.stat().st_mtime < young
        ):
            report.stray.append(path)
    report.unused, report.unknown = unused_stored_files(photos, grace)
    return report


def unused_stored_files(photos: set[str], grace: float) -> tuple[list[str], list[str]]:
    """Stored files whose time is up, or that no row uses (uploads after `UPLOAD_GRACE`, the
    rest after `grace` seconds); and those of a kind this check does not know (left alone)."""
    now = utcnow()
    used: dict[str, set[str]] = {
        "photos": photos,
        "campaigns": set(db.session.scalars(select(Campaign.id))),
    }
    unused, unknown = [], []
    for name, created, expires in db.session.execute(
        select(StoredFile.name, StoredFile.created_at, StoredFile.expires_at).order_by(
            StoredFile.name
        )
    ):
        kind = STORED_KIND.match(name)
        if kind is None:
            unknown.append(name)
        elif expires is not None:  # kept until then, whatever uses it (prune_expired's rule)
            if expires < now:
                unused.append(name)
        else:
            wait = timedelta(seconds=grace)
            if kind[1] != "campaigns":
                wait = max(wait, UPLOAD_GRACE)
            if kind[1] == "images" and "images" not in used:
                used["images"] = banner_images()
            if (
                created < now - wait
                and (name if kind[1] == "photos" else kind[2]) not in used[kind[1]]
            ):
                unused.append(name)
    return unused, unknown


def damaged_stored_files() -> list[str]:
    """Stored files whose bytes are not whole: not as many as recorded, or (photos and images
    named by the SHA-256 of their bytes, as the app names them) no longer that hash. Read a
    chunk at a time."""
    damaged = []
    for name, size in db.session.execute(
        select(StoredFile.name, StoredFile.size).order_by(StoredFile.name)
    ):
        digest, length = hashlib.sha256(), 0
        for chunk in blobs.chunks(name):
            digest.update(chunk)
            length += len(chunk)
        kind = STORED_KIND.match(name)
        named = kind[2] if kind is not None and kind[1] in ("photos", "images") else ""
        hashed = SHA256.fullmatch(named) is not None
        if length != size or (hashed and named != digest.hexdigest()):
            damaged.append(name)
    return damaged


def whole(path: Path) -> bool:
    """Whether a banner's file (a thumbnail, a PNG or PDF download) is whole."""
    if path.suffix == ".png":
        return decodes(path.read_bytes(), "PNG")
    if path.suffix == ".pdf":
        data = path.read_bytes()
        return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    return True  # legacy JSON records


def photo_intact(path: Path) -> bool:
    """A photo is named by the SHA-256 of its bytes: they must still match, and decode."""
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest() == path.stem and decodes(
        data, "PNG" if path.suffix == ".png" else "JPEG"
    )


def decodes(data: bytes, format: str) -> bool:
    """Whether the bytes are an image of that format that decodes to its last pixel."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[format]) as image:
            image.load()  # a truncated file raises here
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def database_problems() -> list[str]:
    """SQLite's own check of its file (PostgreSQL keeps its pages checked itself)."""
    if db.session.get_bind().dialect.name != "sqlite":
        return []
    found = [row[0] for row in db.session.execute(text("PRAGMA integrity_check"))]
    return [] if found == ["ok"] else found


def fix(report: Report) -> None:
    """Delete stray and unused files and damaged rendered files and photo copies; re-render
    the thumbnails of banners that lost them. Damaged databases are left to a backup."""
    for path in report.stray:
        path.unlink(missing_ok=True)
    for name in report.unused:
        blobs.remove(name)
    db.session.commit()
    redo = set(report.missing_banners)
    for path in report.damaged:
        if path.parent.name == "banners" and (match := BANNER_FILE.match(path.name)):
            path.unlink(missing_ok=True)  # rendered: made again, the same
            redo.add(match[1])
        elif path.parent.name == "photos" and blobs.exists(f"photos/{path.name}"):
            path.unlink(missing_ok=True)  # this server's copy: made again from the database
    for banner_id in sorted(redo):
        if (banner := db.session.get(Banner, banner_id)) is not None:
            ensure_thumbnails(banner)


@click.command("check")
@with_appcontext
@click.option(
    "--fix",
    "repair",
    is_flag=True,
    help="Delete stray, unused and damaged rendered files; re-render missing thumbnails.",
)
@click.option(
    "--grace",
    default=60.0,
    show_default=True,
    help="Seconds: younger files may be writes in progress and are left alone.",
)
@click.option("--quick", is_flag=True, help="Only see that files exist; don't read them.")
def check_command(repair: bool, grace: float, quick: bool) -> None:
    """Check that every row has its files, every file its row, and that both are whole."""
    config = current_app.config
    data_dir = Path(config["POSTER_DATA_DIR"])
    widths = (config["THUMB_WIDTH"], config["GALLERY_THUMB_WIDTH"])
    report = inspect(data_dir, widths, grace, content=not quick)
    for path in report.stray:
        click.echo(f"stray file (no row points at it): {path.relative_to(data_dir)}")
    for name in report.unused:
        click.echo(f"stored file no row uses (or expired): {name}")
    for name in report.unknown:
        click.echo(f"stored file of an unknown kind (--fix leaves it): {name}")
    for line in report.missing:
        click.echo(f"row without its file: {line}")
    for path in report.damaged:
        click.echo(f"damaged file: {path.relative_to(data_dir)}")
    for name in report.damaged_stored:
        click.echo(f"damaged stored file (in the database): {name}")
    for line in report.database:
        click.echo(f"database damaged: {line}")
    if repair and (not report.clean or report.missing_banners):
        fix(report)
        report = inspect(data_dir, widths, grace, content=not quick)
        if report.clean:
            click.echo("fixed: everything is consistent now")
        else:
            click.echo(
                f"not fixed: {len(report.missing)} row(s) lack files, "
                f"{len(report.unknown)} stored file(s) of an unknown kind, "
                f"{len(report.damaged) + len(report.damaged_stored)} file(s) and "
                f"{'the database' if report.database else 'no database'} damaged "
                "— restore those from a backup (flask --app poster_app import)"
            )
    elif report.clean:
        click.echo("ok: every row has its files, every file its row, and all are whole")
    if not report.clean:
        raise SystemExit(1)
