"""Files every app server and worker can read: kept in the database, in chunks.

Photos and campaign ZIPs must outlive any one machine's disk, and the database is the one
thing every server shares already, so they live there (`stored_file` + `stored_chunk`, 1 MiB
a chunk, so neither a write nor a download ever holds a whole ZIP in memory). Rendered banner
files are not here: they are a cache each server rebuilds from the stored spec (cache.py).

`put` adds rows to the session without committing, so a photo's bytes and its row commit
together; the callers commit.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO

from sqlalchemy import delete, insert, select, update

from .extensions import db
from .models import StoredChunk, StoredFile, utcnow

CHUNK = 1 << 20  # bytes
HELD_FOR = timedelta(days=1)  # an upload nothing uses yet (see `hold`) is deleted after this


def put(name: str, data: bytes | IO[bytes], expires_at: datetime | None = None) -> int:
    """Store `data` (bytes or a file read from its start) under `name`, replacing any file of
    that name; return its size. The caller commits."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    remove(name)
    db.session.execute(insert(StoredFile).values(name=name, size=0, expires_at=expires_at))
    seq = size = 0
    while chunk := stream.read(CHUNK):  # one chunk in memory at a time
        db.session.execute(insert(StoredChunk).values(name=name, seq=seq, data=chunk))
        seq, size = seq + 1, size + len(chunk)
    db.session.execute(update(StoredFile).where(StoredFile.name == name).values(size=size))
    return size


def size(name: str) -> int | None:
    """The file's size in bytes, or None when there is no such file."""
    return db.session.scalar(select(StoredFile.size).where(StoredFile.name == name))


def exists(name: str) -> bool:
    return size(name) is not None


def read(name: str) -> bytes | None:
    """The whole file, or None (for small files: photos, contact sheets)."""
    if not exists(name):
        return None
    return b"".join(chunks(name))


def chunks(name: str) -> Iterator[bytes]:
    """The file's bytes chunk by chunk, each read when it is wanted (for downloads)."""
    seq = 0
    while True:
        data = db.session.scalar(
            select(StoredChunk.data).where(StoredChunk.name == name, StoredChunk.seq == seq)
        )
        if data is None:
            return
        yield bytes(data)
        seq += 1


def hold(name: str, data: bytes) -> list[str]:
    """Store an upload that nothing uses yet (a banner's image, an action's photo) for
    HELD_FOR: the form it came with may be sent again later. Whatever comes to use it `keep`s
    it in the same commit; else it is deleted. Files whose time is up go first, so the store
    doesn't grow with uploads nobody used: their names are returned. The caller commits."""
    expired = prune_expired()
    put(name, data, expires_at=utcnow() + HELD_FOR)
    return expired


def keep(name: str) -> None:
    """Keep the file for good: it no longer expires (the caller commits)."""
    db.session.execute(update(StoredFile).where(StoredFile.name == name).values(expires_at=None))


def remove(name: str) -> None:
    """Delete the file if there is one (the caller commits)."""
    db.session.execute(delete(StoredChunk).where(StoredChunk.name == name))
    db.session.execute(delete(StoredFile).where(StoredFile.name == name))


def remove_under(prefix: str) -> None:
    """Delete every file whose name starts with `prefix` (the caller commits)."""
    names = select(StoredFile.name).where(StoredFile.name.startswith(prefix, autoescape=True))
    db.session.execute(delete(StoredChunk).where(StoredChunk.name.in_(names)))
    db.session.execute(
        delete(StoredFile).where(StoredFile.name.startswith(prefix, autoescape=True))
    )


def prune_expired(now: datetime | None = None) -> list[str]:
    """Delete files whose time is up (campaign ZIPs after a day); commit; return their names."""
    now = now or utcnow()
    names = list(db.session.scalars(select(StoredFile.name).where(StoredFile.expires_at < now)))
    for name in names:
        remove(name)
    db.session.commit()
    return names
