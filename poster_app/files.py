"""Writing files so that a crash never leaves half of one: temporary name, then rename.

The one place that does it: storage, campaigns, the integrity check, the archive, the secret
key and the `poster` command all write through here. A full disk is told apart (DiskFull), so
the app can answer "the disk is full" instead of a bare error, with nothing half-written left.
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FULL = (errno.ENOSPC, errno.EDQUOT)


class DiskFull(OSError):
    """No space (or quota) left on the device to write a file."""


@contextmanager
def replacing(path: Path, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place if the block succeeds."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        yield Path(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError) and not isinstance(e, DiskFull) and e.errno in FULL:
            raise DiskFull(e.errno, f"no space left to write {path.name}") from e
        raise


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (made if missing): one holder at a time across
    threads and processes on this machine."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write the file under a temporary name, then rename it into place."""
    with replacing(path, mode) as tmp:
        tmp.write_bytes(data)


def create_once(path: Path, data: bytes, mode: int = 0o644) -> bool:
    """Write the file unless it exists, whole or not at all; True if this call made it.

    The bytes go to a temporary name and are hard-linked into place, which fails if the file
    exists: of processes starting together exactly one wins, and no one reads half a file.
    """
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
    finally:
        os.unlink(tmp)
