"""`flask --app poster_app check [--fix]`: do the database rows and the media files agree?

A write stores its files first and commits the row after, so a crash can leave files that no
row points at (and temporary files of half-written ones), never a row without its files. This
command finds both kinds of disagreement: stray files in the data dir, and photo rows whose
bytes the database lacks. `--fix` deletes the stray files and re-renders a banner's missing
thumbnails. (A banner's files are a cache made again from its spec on the next request, so a
missing one is not an error; a photo's bytes are kept in the database, its file is a copy.)
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .extensions import db
from .models import RECORD_ID, Banner, Photo, StoredFile
from .storage import ensure_thumbnails

# banners/<id>.<anything>: thumbnails, rendered downloads, legacy JSON records.
BANNER_FILE = re.compile(rf"^({RECORD_ID.pattern})\.")


@dataclass
class Report:
    stray: list[Path] = field(default_factory=list)  # files no row points at
    missing: list[str] = field(default_factory=list)  # rows whose files are gone
    missing_banners: list[str] = field(default_factory=list)  # lacking a thumbnail (cache)

    @property
    def clean(self) -> bool:
        return not self.stray and not self.missing


def inspect(data_dir: Path, thumb_widths: tuple[int, ...], grace: float = 60) -> Report:
    """Compare the banner and photo rows with the files under the data dir.

    Files younger than `grace` seconds are left out of the stray ones: on a running server
    they may be a write whose row is being committed right now.
    """
    report = Report()
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
        if (
            path.is_file()
            and (match is None or match[1] not in banners)
            and path.stat().st_mtime < young
        ):
            report.stray.append(path)
    photos = set(db.session.scalars(select(Photo.file)))
    stored = set(db.session.scalars(select(StoredFile.name).where(StoredFile.name.in_(photos))))
    for name in sorted(photos - stored):
        report.missing.append(f"photo {name} missing")
    for path in sorted((data_dir / "photos").glob("*")):
        if (
            path.is_file()
            and path.relative_to(data_dir).as_posix() not in photos
            and path.stat().st_mtime < young
        ):
            report.stray.append(path)
    return report


def fix(report: Report) -> None:
    """Delete stray files; re-render the thumbnails of banners that lost them."""
    for path in report.stray:
        path.unlink(missing_ok=True)
    for banner_id in report.missing_banners:
        if (banner := db.session.get(Banner, banner_id)) is not None:
            ensure_thumbnails(banner)


@click.command("check")
@with_appcontext
@click.option(
    "--fix",
    "repair",
    is_flag=True,
    help="Delete files no row points at; re-render missing thumbnails.",
)
@click.option(
    "--grace",
    default=60.0,
    show_default=True,
    help="Seconds: younger files may be writes in progress and are left alone.",
)
def check_command(repair: bool, grace: float) -> None:
    """Check that every row has its files and every media file has its row."""
    config = current_app.config
    data_dir = Path(config["POSTER_DATA_DIR"])
    widths = (config["THUMB_WIDTH"], config["GALLERY_THUMB_WIDTH"])
    report = inspect(data_dir, widths, grace)
    for path in report.stray:
        click.echo(f"stray file (no row points at it): {path.relative_to(data_dir)}")
    for line in report.missing:
        click.echo(f"row without its file: {line}")
    if repair and (not report.clean or report.missing_banners):
        fix(report)
        report = inspect(data_dir, widths, grace)
        click.echo(
            "fixed: "
            + (
                "everything is consistent now"
                if report.clean
                else f"{len(report.missing)} row(s) still lack files"
            )
        )
    elif report.clean:
        click.echo("ok: every row has its files and every file has its row")
    if not report.clean:
        raise SystemExit(1)
