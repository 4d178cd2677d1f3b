"""Export and import: every row as JSON plus the media files the rows point at, in one zip.

The zip holds `archive.json` ({"format": 1, "tables": {name: [row, …]}}) and the files under
`media/` with their paths in the data dir. Rendered downloads (PNG/PDF) are caches and are left
out: they are made again, identical, on the first download. The archive includes the editors'
password hashes, so keep it as safely as the server itself.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy import DateTime, Table, func, select, text

from . import blobs as stored
from .extensions import db
from .files import replacing, write_atomic
from .models import Action, Banner, Campaign, Editor, Photo
from .storage import PhotoStore

FORMAT = 1
TABLES = (Campaign, Editor, Action, Photo, Banner)  # parents before children


class ArchiveError(ValueError):
    """The archive can't be imported here; the message says why."""


def rows(model) -> list[dict]:
    """Every row of the model's table as JSON-ready dicts, in primary-key order."""
    table = model.__table__
    out = []
    for row in db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings():
        out.append({k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()})
    return out


def media_files(data_dir: Path) -> list[str]:
    """The files the rows point at: photos, and each banner's thumbnails."""
    names = [p.file for p in db.session.scalars(select(Photo).order_by(Photo.id))]
    for banner_id in db.session.scalars(select(Banner.id).order_by(Banner.id)):
        names += sorted(
            f"banners/{p.name}" for p in (data_dir / "banners").glob(f"{banner_id}.thumb*.png")
        )
    return sorted(set(names))


def export_zip(file: Path, data_dir: Path) -> dict[str, int]:
    tables = {model.__tablename__: rows(model) for model in TABLES}
    photos = PhotoStore(data_dir)
    for photo in db.session.scalars(select(Photo.file)):
        photos.local(photo)  # photos live in the database: this server's copy to read
    files = media_files(data_dir)
    manifest = {
        "format": FORMAT,
        "tables": tables,
        "files": {name: _sha256((data_dir / name).read_bytes()) for name in files},
    }
    with replacing(file) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        for name in files:  # PNG and JPEG are compressed already
            z.write(data_dir / name, f"media/{name}", compress_type=zipfile.ZIP_STORED)
    return {**{name: len(r) for name, r in tables.items()}, "files": len(files)}


def import_zip(file: Path, data_dir: Path) -> dict[str, int]:
    """Check the archive whole, write its files, then insert its rows in one transaction."""
    if any(db.session.scalar(select(func.count()).select_from(m)) for m in TABLES):
        raise ArchiveError("this data dir has records already; import into an empty one")
    with zipfile.ZipFile(file) as z:
        try:
            manifest = json.loads(z.read("archive.json"))
        except KeyError:
            raise ArchiveError(f"{file} has no archive.json: not made by `export`") from None
        if manifest.get("format") != FORMAT:
            raise ArchiveError(f"unknown archive format {manifest.get('format')!r}")
        blobs = {}
        for name, digest in manifest["files"].items():
            if ".." in Path(name).parts or Path(name).is_absolute():
                raise ArchiveError(f"unsafe file name in the archive: {name!r}")
            data = z.read(f"media/{name}")
            if _sha256(data) != digest:
                raise ArchiveError(f"{name} is damaged (its hash differs)")
            blobs[name] = data
    for name, data in blobs.items():  # files first: a row never points at a missing file
        write_atomic(data_dir / name, data)
        if name.startswith("photos/"):  # kept in the database, committed with the rows
            stored.put(name, data)
    for model in TABLES:
        table = cast(Table, model.__table__)
        records = [_typed(table, r) for r in manifest["tables"].get(model.__tablename__, [])]
        if records:
            db.session.execute(table.insert(), records)
    _reset_sequences()
    db.session.commit()
    return {
        **{m.__tablename__: len(manifest["tables"].get(m.__tablename__, [])) for m in TABLES},
        "files": len(blobs),
    }


def _typed(table, record: dict) -> dict:
    out = {}
    for key, value in record.items():
        column = table.c[key]
        out[key] = (
            datetime.fromisoformat(value)
            if isinstance(column.type, DateTime) and value is not None
            else value
        )
    return out


def _reset_sequences() -> None:
    """PostgreSQL keeps counters apart from the rows: move them past the imported ids."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in (Editor, Action, Photo):
        name = model.__tablename__
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 1))"
            )
        )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
