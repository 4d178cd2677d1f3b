"""Export and import: every row as JSON plus the media files the rows point at, in one zip.

The zip holds `archive.json` ({"format": 1, "tables": {name: [row, …]}, "files": {name: sha256}})
and the files under `media/` with their paths in the data dir. Rendered downloads (PNG/PDF) are
caches and are left out: they are made again, identical, on the first download. The archive
includes the editors' password hashes, so it is written readable by its owner only (0600);
keep it as safely as the server itself.

An archive to import may come from anywhere, so it is checked whole before anything is
written: only `archive.json` and media named as this app names them (photos and banners'
images by the SHA-256 of their bytes, thumbnails by their banner's id), every file listed with
its hash and pointed at by a row, every row's values of the column's type; bounded member count
and sizes (what is read never exceeds what the zip declares). Nothing lands outside `photos/`
and `banners/` (a banner's image goes to the database only, as its upload did).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Boolean, DateTime, Integer, String, Table, Text, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from . import blobs as stored
from .extensions import db
from .files import replacing, write_atomic
from .images import IMAGE_ID, banner_images, image_name
from .models import PHOTO_NAME, RECORD_ID, Action, Banner, Campaign, Editor, Photo
from .storage import PhotoStore

FORMAT = 1
TABLES = (Campaign, Editor, Action, Photo, Banner)  # parents before children
# The names media have in the data dir (and, under media/, in the archive).
PHOTO_FILE = re.compile(rf"photos/({PHOTO_NAME.pattern})")
THUMB_FILE = re.compile(rf"banners/({RECORD_ID.pattern})\.thumb\d{{2,4}}\.png")
IMAGE_FILE = re.compile(rf"images/({IMAGE_ID.pattern})")  # a banner's image, in the database


@dataclass(frozen=True)
class Limits:
    """How much an archive may hold: a big instance fits (100,000 banners with two thumbnails
    each), a zip bomb or a flood of members does not."""

    members: int = 250_000
    member_bytes: int = 25_000_000  # a stored photo is at most 2560 px, re-encoded
    total_bytes: int = 20_000_000_000
    json_bytes: int = 200_000_000  # 100,000 banners take about 60 MB


class ArchiveError(ValueError):
    """The archive can't be imported here (or exported); the message says why."""


def rows(model) -> list[dict]:
    """Every row of the model's table as JSON-ready dicts, in primary-key order."""
    table = model.__table__
    out = []
    for row in db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings():
        out.append({k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()})
    return out


def media_files(data_dir: Path) -> list[str]:
    """The files the rows point at: photos, banners' images and thumbnails."""
    names = [p.file for p in db.session.scalars(select(Photo).order_by(Photo.id))]
    names += [image_name(image) for image in banner_images()]
    for banner_id in db.session.scalars(select(Banner.id).order_by(Banner.id)):
        names += sorted(
            f"banners/{p.name}" for p in (data_dir / "banners").glob(f"{banner_id}.thumb*.png")
        )
    return sorted(set(names))


def read_media(data_dir: Path, name: str) -> bytes | None:
    """A media file's bytes, or None when it is missing (a photo's from the database, where
    its bytes are kept, this server's copy made on the way; an image's from the database)."""
    if IMAGE_FILE.fullmatch(name):
        return stored.read(name)
    path = PhotoStore(data_dir).local(name) if name.startswith("photos/") else data_dir / name
    try:
        return path.read_bytes() if path is not None else None
    except FileNotFoundError:
        return None


def write_media(data_dir: Path, name: str, data: bytes) -> None:
    write_atomic(data_dir / name, data)


def export_zip(file: Path, data_dir: Path) -> tuple[dict[str, int], list[str]]:
    """Write the archive; return the counts and the media files left out, missing or not
    named as this app names them (a photo row without its file is left out with it, so the
    archive always imports; a missing thumbnail is made again)."""
    tables = {model.__tablename__: rows(model) for model in TABLES}
    hashes, left_out = {}, []
    with replacing(file, mode=0o600) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name in media_files(data_dir):
            data = read_media(data_dir, name) if _media_name(name) else None
            if data is None:
                left_out.append(name)
                continue
            hashes[name] = _sha256(data)  # PNG and JPEG are compressed already: stored as is
            z.writestr(f"media/{name}", data, compress_type=zipfile.ZIP_STORED)
        tables["photo"] = [row for row in tables["photo"] if row["file"] in hashes]
        manifest = {"format": FORMAT, "tables": tables, "files": hashes}
        z.writestr("archive.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return {**{name: len(r) for name, r in tables.items()}, "files": len(hashes)}, left_out


def import_zip(file: Path, data_dir: Path, limits: Limits = Limits()) -> dict[str, int]:
    """Check the archive whole, write its files, then insert its rows in one transaction."""
    if any(db.session.scalar(select(func.count()).select_from(m)) for m in TABLES):
        raise ArchiveError("this data dir has records already; import into an empty one")
    try:
        with zipfile.ZipFile(file) as z:
            manifest = _read_manifest(z, limits)
            tables = _check_rows(manifest)
            files = _check_files(z, manifest, tables)
            _store(z, files, tables, data_dir)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as e:
        raise ArchiveError(f"{file} is not a readable zip archive ({e})") from None
    except (RuntimeError, NotImplementedError) as e:  # encrypted, or an unknown compression
        raise ArchiveError(f"{file} can't be read: {e}") from None
    return {**{name: len(records) for name, records in tables.items()}, "files": len(files)}


def _store(z: zipfile.ZipFile, files: dict[str, str], tables: dict, data_dir: Path) -> None:
    """Write the media first (a row never points at a missing file), then every row in one
    transaction; on any failure, remove the files this import made."""
    written: list[Path] = []
    try:
        for name in files:
            if IMAGE_FILE.fullmatch(name):  # kept in the database only, as uploads are
                stored.put(name, z.read(f"media/{name}"))
                continue
            if not (data_dir / name).exists():
                write_media(data_dir, name, z.read(f"media/{name}"))
                written.append(data_dir / name)
            if name.startswith("photos/"):  # kept in the database, committed with the rows
                stored.put(name, z.read(f"media/{name}"))
        for model in TABLES:
            if records := tables[model.__tablename__]:
                db.session.execute(cast(Table, model.__table__).insert(), records)
        _reset_sequences()
        db.session.commit()
    except (OSError, SQLAlchemyError) as e:
        db.session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        reason = getattr(e, "orig", None) or e
        raise ArchiveError(f"the archive can't be stored here: {reason}") from None


def _read_manifest(z: zipfile.ZipFile, limits: Limits) -> dict:
    """archive.json, after checking the members' names, number and sizes."""
    infos = z.infolist()
    if len(infos) > limits.members + 1:
        raise ArchiveError(f"the archive has {len(infos)} members; at most {limits.members}")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise ArchiveError("the archive names a member twice")
    for info in infos:
        if info.filename != "archive.json" and not _media_name(
            info.filename.removeprefix("media/")
        ):
            raise ArchiveError(
                f"unexpected member {info.filename!r}: an archive made by `export` holds "
                "archive.json and media/photos/…, media/images/…, media/banners/… files only"
            )
        if info.filename.startswith("media/") and info.file_size > limits.member_bytes:
            raise ArchiveError(
                f"{info.filename} is {info.file_size} bytes; at most {limits.member_bytes}"
            )
    if sum(info.file_size for info in infos) > limits.total_bytes:
        raise ArchiveError(f"the archive unpacks to more than {limits.total_bytes} bytes")
    if "archive.json" not in names:
        raise ArchiveError("the archive has no archive.json: not made by `export`")
    if z.getinfo("archive.json").file_size > limits.json_bytes:
        raise ArchiveError(f"archive.json is larger than {limits.json_bytes} bytes")
    try:
        manifest = json.loads(z.read("archive.json"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ArchiveError(f"archive.json is not valid JSON ({e})") from None
    if not isinstance(manifest, dict):
        raise ArchiveError("archive.json is not a JSON object")
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"unknown archive format {manifest.get('format')!r}")
    if not isinstance(manifest.get("tables"), dict) or not isinstance(manifest.get("files"), dict):
        raise ArchiveError("archive.json needs its 'tables' and 'files'")
    return manifest


def _media_name(name: str) -> bool:
    return any(kind.fullmatch(name) for kind in (PHOTO_FILE, THUMB_FILE, IMAGE_FILE))


def _check_rows(manifest: dict) -> dict[str, list[dict]]:
    """Every row of every table, its values checked against the columns' types."""
    known = {model.__tablename__ for model in TABLES}
    if unknown := sorted(set(manifest["tables"]) - known):
        raise ArchiveError(f"unknown table {unknown[0]!r} in archive.json")
    tables = {}
    for model in TABLES:
        records = manifest["tables"].get(model.__tablename__, [])
        if not isinstance(records, list):
            raise ArchiveError(f"table {model.__tablename__!r} is not a list of rows")
        tables[model.__tablename__] = [_typed(model.__table__, r) for r in records]
    for row in tables["banner"]:
        _check_id("banner", row.get("id"), RECORD_ID)
        try:
            if not isinstance(json.loads(row.get("spec_json") or ""), dict):
                raise ValueError
        except (ValueError, RecursionError):
            raise ArchiveError(f"banner {row['id']}: its spec is not a JSON object") from None
    for row in tables["campaign"]:
        _check_id("campaign", row.get("id"), RECORD_ID)
    for row in tables["photo"]:
        if PHOTO_FILE.fullmatch(str(row.get("file"))) is None:
            raise ArchiveError(f"photo {row.get('id')}: unsafe file name {row.get('file')!r}")
        if row["file"] not in manifest["files"]:
            raise ArchiveError(
                f"photo {row.get('id')}: its file {row['file']} is not in the archive"
            )
    for row in tables["editor"]:  # a hash Werkzeug can't read would make log-ins fail
        if not re.fullmatch(
            r"(scrypt|pbkdf2):[\w:]+\$[^$]+\$[0-9a-f]+", str(row.get("password_hash"))
        ):
            raise ArchiveError(f"editor {row.get('name')!r}: not a password hash this app makes")
    return tables


def _check_id(table: str, value, pattern: re.Pattern) -> None:
    if not isinstance(value, str) or pattern.fullmatch(value) is None:
        raise ArchiveError(f"{table} id {value!r} is not one this app makes")


def _typed(table, record) -> dict[str, Any]:
    """A row's values as the columns take them; ArchiveError for anything else."""
    if not isinstance(record, dict):
        raise ArchiveError(f"a row of {table.name!r} is not a JSON object")
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key not in table.c:
            raise ArchiveError(f"table {table.name!r} has no column {key!r}")
        column = table.c[key]
        if value is None:
            out[key] = None
        elif isinstance(column.type, DateTime) and isinstance(value, str):
            try:
                out[key] = datetime.fromisoformat(value)
            except ValueError:
                raise ArchiveError(f"{table.name}.{key}: {value!r} is not a date") from None
        elif (
            isinstance(column.type, Boolean)
            and isinstance(value, bool)
            or (
                isinstance(column.type, Integer)
                and isinstance(value, int)
                and not isinstance(value, bool)
                and -(2**31) < value < 2**31
            )
        ):
            out[key] = value
        elif isinstance(column.type, (String, Text)) and isinstance(value, str):
            if "\x00" in value or (column.type.length and len(value) > column.type.length):
                raise ArchiveError(f"{table.name}.{key}: the text is too long or has a NUL")
            out[key] = value
        else:
            raise ArchiveError(f"{table.name}.{key}: {value!r} is not a {column.type}")
    return out


def _check_files(
    z: zipfile.ZipFile, manifest: dict, tables: dict[str, list[dict]]
) -> dict[str, str]:
    """The media to write (name → sha256): listed, present, pointed at by a row, intact."""
    files = manifest["files"]
    banners = {row["id"] for row in tables["banner"]}
    photos = {row["file"] for row in tables["photo"]}
    images = {_spec_image(row) for row in tables["banner"]}
    if unsafe := sorted(name for name in files if not _media_name(name)):
        raise ArchiveError(f"unsafe file name in the archive: {unsafe[0]!r}")
    members = {name.removeprefix("media/") for name in z.namelist() if name != "archive.json"}
    if members != set(files):
        extra = sorted(members ^ set(files))[0]
        raise ArchiveError(f"{extra} is in the archive or in archive.json, not in both")
    for name, digest in files.items():
        if (m := THUMB_FILE.fullmatch(name)) and m[1] not in banners:
            raise ArchiveError(f"{name} is the thumbnail of no banner in the archive")
        if (m := PHOTO_FILE.fullmatch(name)) and (
            name not in photos or not m[1].startswith(digest)
        ):
            raise ArchiveError(f"{name} is no photo row's file, or not named by its content")
        if (m := IMAGE_FILE.fullmatch(name)) and (m[1] not in images or m[1] != digest):
            raise ArchiveError(f"{name} is no banner's image, or not named by its content")
        data = z.read(f"media/{name}")  # at most the size checked above
        if not isinstance(digest, str) or _sha256(data) != digest:
            raise ArchiveError(f"{name} is damaged (its hash differs)")
        kind = "JPEG" if name.endswith(".jpg") else "PNG"
        if IMAGE_FILE.fullmatch(name):  # a PNG (a logo) or a JPEG, as photos.py cleaned it
            kind = "PNG" if data.startswith(b"\x89PNG") else "JPEG"
        if not is_image(data, kind):
            raise ArchiveError(f"{name} is not the image its name says")
    return files


def _spec_image(row: dict) -> str:
    """The image a banner row's spec names ("" for none; its JSON is checked already)."""
    image = json.loads(row["spec_json"]).get("image", "")
    return image if isinstance(image, str) else ""


def is_image(data: bytes, format: str) -> bool:
    """Whether the bytes are a whole image of that format (Pillow checks its structure)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[format]) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


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
