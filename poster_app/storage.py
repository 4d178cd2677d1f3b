"""Banners on disk, content-addressed: POSTER_DATA_DIR/banners/<key>.json and rendered files.

A banner's id is the hash of its canonical spec and the engine version, so the same request
always lands on the same files and several app servers can share one folder. Every write goes
to a temporary name first and is renamed into place: a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .layout import ENGINE_VERSION, Spec

BANNER_ID = re.compile(r"^[0-9a-f]{20}$")


@dataclass(frozen=True)
class Banner:
    """A stored banner: its id (content address), its spec and when it was first made."""

    id: str
    spec: Spec
    created: str


class BannerStore:
    """The banners folder under the data dir."""

    def __init__(self, data_dir: str | os.PathLike):
        self.root = Path(data_dir) / "banners"
        self.root.mkdir(parents=True, exist_ok=True)

    def save(self, spec: Spec) -> Banner:
        """Record the spec (once); return the banner. Rendered files are made on first download."""
        key = spec.key(ENGINE_VERSION)
        path = self.path(key, "json")
        if not path.exists():
            record = {"id": key, "engine": ENGINE_VERSION, "spec": spec.to_dict(),
                      "created": datetime.now(UTC).isoformat(timespec="seconds")}
            self._write(path, json.dumps(record, ensure_ascii=False, indent=1).encode())
        return self.get(key)

    def get(self, key: str) -> Banner | None:
        """Return the banner with this id, or None."""
        if not BANNER_ID.match(key):
            return None
        try:
            record = json.loads(self.path(key, "json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Banner(id=key, spec=Spec.from_options(record["spec"]), created=record["created"])

    def recent(self, limit: int = 50, offset: int = 0) -> list[Banner]:
        """The newest banners first."""
        paths = sorted(self.root.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        banners = (self.get(p.stem) for p in paths[offset:offset + limit])
        return [b for b in banners if b is not None]

    def path(self, key: str, suffix: str) -> Path:
        return self.root / f"{key}.{suffix}"

    def rendered(self, key: str, suffix: str, render: Callable[[], bytes]) -> Path:
        """Return the file `<key>.<suffix>`, rendering and storing it the first time."""
        path = self.path(key, suffix)
        if not path.exists():
            self._write(path, render())
        return path

    def _write(self, path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
