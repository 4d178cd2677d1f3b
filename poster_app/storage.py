"""Banner records and their files; photos.

A banner's id is a keyed hash (HMAC) of its canonical spec and the engine version, so the same
request always lands on the same row, and several app servers sharing SECRET_KEY agree on it;
but nobody can compute a banner's id from a guessed slogan and ask whether it exists. Its files
(thumbnails, PNG and PDF downloads, print variants) are a cache under `<data dir>/banners/` with
a quota (POSTER_CACHE_MAX_MB, cache.py): any server makes a missing one again, identical, from
the stored spec, so app servers on different machines share nothing but the database. Photos
can't be made again: their bytes are stored in the database (blobs.py) as they are uploaded,
held for a day until the commit of an action's row keeps them, and each server keeps a copy
under `<data dir>/photos/` to serve. Files go to a temporary name first and are renamed into
place; a row is committed after its files exist.

`save_banner` is how the form, the API, campaigns and the demo record a banner, `store_photo`
how an action's form and its resend page take a photo; `banner_store` and `photo_store` are the
app's stores (in an app context).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import blobs
from .cache import DiskCache
from .extensions import db
from .files import exclusive, write_atomic
from .images import keep_image
from .layout import ENGINE_VERSION, Spec, plain
from .models import PHOTO_NAME, Banner, Photo, StoredFile, is_record_id
from .photos import DISPLAY_WIDTHS, PhotoError, clean_photo, display_copy
from .rendering import renderer


def banner_store() -> BannerStore:
    """The app's banner store: its data dir, its two thumbnail widths and its cache quota."""
    config = current_app.config
    return BannerStore(
        config["POSTER_DATA_DIR"],
        (config["THUMB_WIDTH"], config["GALLERY_THUMB_WIDTH"]),
        max_bytes=config["POSTER_CACHE_MAX_MB"] * 1_000_000,
        id_key=banner_id_key(config["SECRET_KEY"]),
    )


def banner_id_key(secret_key: str | bytes) -> bytes:
    """The key banner ids are made with, derived from SECRET_KEY (so every server agrees)."""
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(secret, b"poster_app banner ids", hashlib.sha256).digest()


def banner_id(spec: Spec) -> str:
    """The id a banner of this spec has (or gets) here."""
    return banner_store().banner_id(spec)


def photo_store() -> PhotoStore:
    """The app's photo store: its data dir, and the cache quota its display copies share."""
    config = current_app.config
    return PhotoStore(config["POSTER_DATA_DIR"], config["POSTER_CACHE_MAX_MB"] * 1_000_000)


def store_photo(upload: BinaryIO) -> Photo:
    """Clean an uploaded photo and store it for an action (see PhotoStore.save); the Photo is
    not added to any yet. PhotoError says why it is refused (too_many_bytes: over
    PHOTO_MAX_BYTES, before it is decoded)."""
    config = current_app.config
    data = upload.read(config["PHOTO_MAX_BYTES"] + 1)
    if len(data) > config["PHOTO_MAX_BYTES"]:
        raise PhotoError("too_many_bytes", size=f"{config['PHOTO_MAX_BYTES'] / 1e6:g}")
    clean = clean_photo(io.BytesIO(data), config["PHOTO_MAX_PIXELS"], config["PHOTO_MAX_SIDE"])
    name = photo_store().save(clean.data, clean.ext)
    return Photo(file=name, width=clean.width, height=clean.height)


def save_banner(
    spec: Spec, campaign_id: str | None = None, files: dict[str, bytes] | None = None
) -> Banner:
    """Record the banner (once) with its thumbnails; see BannerStore.save. A campaign's banner
    is background work: its thumbnails take no render slot (the campaign's pool bounds it)."""
    thumbnails = renderer().thumbnail_maker(spec, in_slot=campaign_id is None)
    return banner_store().save(spec, thumbnails, campaign_id, files)


def ensure_thumbnails(banner: Banner) -> None:
    """Render the banner's thumbnails again where they are missing (deterministic, so equal)."""
    store = banner_store()
    for width in store.thumb_widths:
        store.thumbnail(banner, width)


def adopt_photo_files() -> None:
    """Store in the database the photos that an older version kept only as files."""
    photo_store().adopt_files()


def adopt_legacy_banners() -> None:
    """Record banners kept as JSON files before the database (issue 3's storage) as rows."""
    store = banner_store()
    if next(store.root.glob("*.json"), None) is not None:
        store.adopt_legacy(renderer().thumbnail_maker)


class BannerStore:
    """Banner rows, and their files in a cache folder (thumbnails made when a banner is saved,
    downloads when first asked for; any of them made again from the spec after pruning)."""

    def __init__(
        self,
        data_dir: str | os.PathLike,
        thumb_widths: tuple[int, ...] = (800, 400),
        max_bytes: int = 2_000_000_000,
        id_key: bytes | None = None,
    ):
        self.root = Path(data_dir) / "banners"
        self.cache = DiskCache.at(self.root, max_bytes)
        self.thumb_widths = thumb_widths
        self.id_key = id_key  # None: plain hashes (only the legacy layout and tests)

    def banner_id(self, spec: Spec) -> str:
        return spec.key(ENGINE_VERSION, secret=self.id_key)

    def find(self, spec: Spec) -> Banner | None:
        """The spec's row: under its keyed id, or under the plain hash that named banners
        before ids were keyed (those rows keep their ids, so their links keep working)."""
        banner = db.session.get(Banner, self.banner_id(spec))
        if banner is None and self.id_key is not None:
            banner = db.session.get(Banner, spec.key(ENGINE_VERSION))
        return banner

    def save(
        self,
        spec: Spec,
        thumbnail: Callable[[int], bytes],
        campaign_id: str | None = None,
        files: dict[str, bytes] | None = None,
        key: str | None = None,
    ) -> Banner:
        """Record the spec once, with its thumbnails (`thumbnail(width)` makes one's PNG).

        `files` are downloads already rendered (suffix → bytes, e.g. {"png": …, "pdf": …}),
        cached with the thumbnails. `campaign_id` groups the banner with its campaign; a banner
        that some campaign made already stays with that one (one row per spec). `key` keeps an
        id given before (legacy records); by default the id is `banner_id(spec)`. When anything
        fails (a full disk, say) the files this call wrote are taken back and no row is written.
        """
        if (banner := self.find(spec)) is not None:
            return self._claim(banner, campaign_id)
        key = key or self.banner_id(spec)
        wanted = {
            f"thumb{width}.png": (lambda w=width: thumbnail(w)) for width in self.thumb_widths
        }
        wanted |= {suffix: (lambda d=data: d) for suffix, data in (files or {}).items()}
        written = []
        try:
            for suffix, make in wanted.items():
                if self.cache.get(f"{key}.{suffix}") is None:
                    written.append(self.cache.put(f"{key}.{suffix}", make()))
            banner = self._insert(key, spec, campaign_id)
        except IntegrityError:  # another request saved the same banner a moment ago
            db.session.rollback()
            banner = self._claim(db.session.get(Banner, key), campaign_id)
        except BaseException:  # a full disk, a database gone: leave nothing behind
            db.session.rollback()
            for path in written:
                path.unlink(missing_ok=True)
            raise
        return banner

    @staticmethod
    def _insert(key: str, spec: Spec, campaign_id: str | None) -> Banner:
        banner = Banner(
            id=key,
            spec_json=json.dumps(spec.to_dict(), ensure_ascii=False, sort_keys=True),
            lang=spec.lang,
            page=spec.size,
            text=spec.text,
            search=plain(spec.text).casefold(),  # the words, without *emphasis* marks
            engine=ENGINE_VERSION,
            campaign_id=campaign_id,
        )
        db.session.add(banner)
        keep_image(spec.image)  # in the same commit: an image a banner uses never expires
        db.session.commit()
        return banner

    @staticmethod
    def _claim(banner: Banner | None, campaign_id: str | None) -> Banner:
        """Put a banner made before (on the site, say) into the campaign that makes it again."""
        assert banner is not None  # the row was there, or its insert clashed with it
        if campaign_id and banner.campaign_id is None:
            banner.campaign_id = campaign_id
            db.session.commit()
        return banner

    def get(self, key: str) -> Banner | None:
        """Return the banner with this id, or None."""
        return db.session.get(Banner, key) if is_record_id(key) else None

    def path(self, key: str, suffix: str) -> Path:
        return self.root / f"{key}.{suffix}"

    def thumb_path(self, key: str, width: int) -> Path:
        return self.path(key, f"thumb{width}.png")

    def cached(self, key: str, suffix: str) -> Path | None:
        """The file `<key>.<suffix>` if this server has it now, else None."""
        return self.cache.get(f"{key}.{suffix}")

    def rendered(self, key: str, suffix: str, render: Callable[[], bytes]) -> Path:
        """Return the file `<key>.<suffix>`, rendering and caching it on a miss.

        Asked for by many at once (the same big PNG eight times), it is rendered once: the
        others wait on a file lock, across threads and processes, then find the file.
        """
        name = f"{key}.{suffix}"
        if (found := self.cache.get(name)) is not None:
            return found
        with exclusive(self._lock_for(name)):
            return self.cache.get_or_make(name, render)

    def thumbnail(self, banner: Banner, width: int) -> Path:
        """The banner's thumbnail file, rendered from its spec on a miss."""
        return self.rendered(
            banner.id, f"thumb{width}.png", lambda: renderer().thumbnail_maker(banner.spec)(width)
        )

    LOCKS = 64  # lock files, shared by file names: few files, and two renders rarely share one

    def _lock_for(self, name: str) -> Path:
        return self.root.parent / "locks" / f"{zlib.crc32(name.encode()) % self.LOCKS}.lock"

    def adopt_legacy(self, thumbnail: Callable[[Spec], Callable[[int], bytes]]) -> int:
        """Record banners kept as `<id>.json` files before the database existed; return how many."""
        adopted = 0
        for path in sorted(self.root.glob("*.json")):
            if not is_record_id(path.stem) or db.session.get(Banner, path.stem) is not None:
                continue
            record = json.loads(path.read_text(encoding="utf-8"))
            spec = Spec.from_stored(record["spec"])  # written by the app: trusted
            if spec.key(ENGINE_VERSION) != path.stem:
                continue  # made by an older engine: its id would not match its spec any more
            self.save(spec, thumbnail(spec), key=path.stem)  # its links keep working
            adopted += 1
        return adopted


class PhotoStore:
    """Photos named by the hash of their (already cleaned) bytes: kept in the database, each
    server's copy under `<data dir>/photos/` made on first use. Their display copies (scaled
    for a page) are rendered files like a banner's thumbnails: made on first use and kept in
    the same cache folder, under the same quota, since any server can make them again."""

    def __init__(self, data_dir: str | os.PathLike, cache_max_bytes: int = 2_000_000_000):
        self.data_dir = Path(data_dir)
        self.cache_max_bytes = cache_max_bytes

    def save(self, data: bytes, ext: str) -> str:
        """Store the bytes once, in the database (committed now, before any row can point at
        them: a form sent again keeps the photos it stored; deleted after a day unless an
        action `keep`s them) and as this server's copy; return the name."""
        name = f"photos/{hashlib.sha256(data).hexdigest()}.{ext}"
        if not self.path(name).exists():
            write_atomic(self.path(name), data)
        if not blobs.exists(name):
            expired = blobs.hold(name, data)  # a day, unless an action keeps it
            db.session.commit()
            for gone in filter(is_photo_file, expired):  # held, never kept: not even a copy
                self._remove_copies(gone)
        return name

    def keep(self, name: str) -> None:
        """An action shows the photo: keep it for good (the caller commits, with the row)."""
        blobs.keep(name)

    def exists(self, name: str) -> bool:
        """Whether the photo is stored (on any server)."""
        return blobs.exists(name)

    def path(self, name: str) -> Path:
        """Where this server keeps its copy of the photo `photos/<sha256>.<ext>` (it may not be
        made yet); ValueError for any other name (a row must never lead outside photos/,
        whatever an imported archive said)."""
        if not is_photo_file(name):
            raise ValueError(f"not a photo's file name: {name!r}")
        return self.data_dir / name

    def local(self, name: str) -> Path | None:
        """This server's copy of the photo, copied from the database on first use; None if
        the database has no such photo."""
        path = self.path(name)
        if path.exists():
            return path
        data = blobs.read(name)
        if data is None:
            return None
        write_atomic(path, data)
        return path

    def current(self, name: str) -> Path | None:
        """This server's copy of a photo the database still holds; None once it is deleted,
        perhaps on another server (which leaves this server's copy behind)."""
        return self.local(name) if self.exists(name) else None

    def display(self, name: str, width: int) -> Path | None:
        """This server's copy of the stored photo `width` px wide (one of DISPLAY_WIDTHS),
        made on first use; None if the database has no such photo (deleted, perhaps on
        another server: a copy left here is not served)."""
        original = self.current(name) if width in DISPLAY_WIDTHS else None
        if original is None:
            return None
        return self._cache().get_or_make(
            _display_name(name, width), lambda: display_copy(original.read_bytes(), width)
        )

    def _cache(self) -> DiskCache:
        return DiskCache.at(self.data_dir / "banners", self.cache_max_bytes)

    def size(self, name: str) -> tuple[int, int]:
        """The stored photo's width and height (read from its header)."""
        from PIL import Image

        path = self.local(name)
        if path is None:
            raise FileNotFoundError(name)
        with Image.open(path) as image:
            return image.size

    def forget(self, name: str) -> None:
        """Delete the photo unless another photo row still uses it (call after the commit)."""
        if is_photo_file(name) and db.session.query(Photo.id).filter_by(file=name).first() is None:
            blobs.remove(name)
            db.session.commit()
            self._remove_copies(name)

    def _remove_copies(self, name: str) -> None:
        """Delete this server's copy of a photo the database no longer holds, and its
        display copies (other servers' copies go with `flask check --fix`)."""
        self.path(name).unlink(missing_ok=True)
        for width in DISPLAY_WIDTHS:
            self._cache().path(_display_name(name, width)).unlink(missing_ok=True)

    def adopt_files(self) -> int:
        """Store photos kept only as files (before the database kept them); return how many.

        Only a file under photos/ can be adopted: with none there (a new server, or one whose
        photos are all in the database and not yet copied back), start-up asks nothing."""
        folder = self.data_dir / "photos"
        if not folder.is_dir() or next(folder.iterdir(), None) is None:
            return 0
        names = db.session.scalars(
            select(Photo.file).where(Photo.file.not_in(select(StoredFile.name))).distinct()
        ).all()
        adopted = 0
        for name in names:
            if self.path(name).exists():
                blobs.put(name, self.path(name).read_bytes())
                adopted += 1
        db.session.commit()
        return adopted


def _display_name(name: str, width: int) -> str:
    """A display copy's name in the cache folder: photos/<sha256>.jpg → photo-<sha256>.640.jpg"""
    stem, ext = name.removeprefix("photos/").split(".")
    return f"photo-{stem}.{width}.{ext}"


def is_photo_file(name: str) -> bool:
    """Whether `name` is a photo's file name under the data dir: photos/<sha256>.jpg|png."""
    folder, _, file = name.partition("/")
    return folder == "photos" and PHOTO_NAME.fullmatch(file) is not None
