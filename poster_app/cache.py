"""Rendered files are a cache with a quota: made on a miss, least recently used pruned.

Every file under a cache folder can be made again, identical, from what the database keeps
(a banner's spec): so a server with an empty data dir serves the same files as one that has
them, and the folder never needs to grow past `max_bytes`. A hit refreshes the file's time
(at most every few minutes), a write that takes the folder past the quota prunes the oldest
files down to `LOW_WATER` of it, and files younger than `grace` seconds are never pruned (one
may be on its way to a client). When the disk itself is full, the cache frees what it can and
tries once more before giving up with DiskFull.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .files import DiskFull, write_atomic

LOW_WATER = 0.8  # prune down to this share of the quota
TOUCH_EVERY = 300  # seconds: a hit refreshes the file's time at most this often
RESCAN_EVERY = 300  # seconds: other processes write too, so count again now and then


class DiskCache:
    """One cache folder with its quota; one object per folder and process (see `at`)."""

    _all: dict[tuple[str, int], DiskCache] = {}
    _all_lock = threading.Lock()

    @classmethod
    def at(cls, root: str | os.PathLike, max_bytes: int, grace: float = 60) -> DiskCache:
        """The process's cache object for `root` (it keeps a running count of its size)."""
        key = (str(root), max_bytes)
        with cls._all_lock:
            if key not in cls._all:
                cls._all[key] = cls(root, max_bytes, grace)
            return cls._all[key]

    def __init__(self, root: str | os.PathLike, max_bytes: int, grace: float = 60):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.grace = grace
        self._size: int | None = None  # bytes, as of the last count plus what we wrote since
        self._counted = 0.0
        self._lock = threading.Lock()
        self._pruning = threading.Lock()

    def path(self, name: str) -> Path:
        return self.root / name

    def get(self, name: str) -> Path | None:
        """The cached file (its time refreshed), or None."""
        path = self.root / name
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return None
        if time.time() - mtime > TOUCH_EVERY:
            try:
                os.utime(path)
            except FileNotFoundError:  # pruned this instant: a miss after all
                return None
        return path

    def get_or_make(self, name: str, make: Callable[[], bytes]) -> Path:
        """The cached file, made and stored first on a miss."""
        return self.get(name) or self.put(name, make())

    def put(self, name: str, data: bytes) -> Path:
        """Store the file (atomically); prune if the folder is now over its quota."""
        path = self.root / name
        try:
            write_atomic(path, data)
        except DiskFull:
            self.prune(target=0)  # the disk is full: give back everything that can go
            write_atomic(path, data)  # DiskFull again: there is nothing more to free
        with self._lock:
            if self._size is not None:
                self._size += len(data)
            over = self._size is None or self._size > self.max_bytes
            stale = time.monotonic() - self._counted > RESCAN_EVERY
        if over or stale:
            self.prune()
        return path

    def size(self) -> int:
        """Bytes in the folder now (counted)."""
        return sum(size for _path, size, _mtime in self._files())

    def prune(self, target: float | None = None) -> int:
        """Delete the least recently used files until the folder holds at most `target`
        bytes (default: LOW_WATER of the quota, and only when it is over the quota); return
        the bytes freed. One thread prunes at a time; the others go on."""
        if not self._pruning.acquire(blocking=False):
            return 0
        try:
            files = sorted(self._files(), key=lambda f: f[2])  # oldest first
            total = sum(size for _path, size, _mtime in files)
            limit = LOW_WATER * self.max_bytes if target is None else target
            freed = 0
            if target is not None or total > self.max_bytes:
                young = time.time() - self.grace
                for path, size, mtime in files:
                    if total - freed <= limit:
                        break
                    if mtime < young:
                        path.unlink(missing_ok=True)
                        freed += size
            with self._lock:
                self._size, self._counted = total - freed, time.monotonic()
            return freed
        finally:
            self._pruning.release()

    def _files(self) -> list[tuple[Path, int, float]]:
        out = []
        with os.scandir(self.root) as entries:
            for entry in entries:
                try:
                    if entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        out.append((Path(entry.path), st.st_size, st.st_mtime))
                except FileNotFoundError:  # another process pruned it meanwhile
                    continue
        return out
