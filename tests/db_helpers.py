"""Test databases: each test app starts from a copy of a data dir the migrations ran into once
(and one with the demo loaded), made by conftest's `migrated_db` and `demo_db`."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Template:
    """A data dir to copy (its SQLite database inside), and with PostgreSQL the name of the
    database that each test's own is created from (`CREATE DATABASE … TEMPLATE`)."""

    data_dir: Path
    database: str | None = None


def seed_data_dir(data_dir: Path, template: Template) -> Path:
    """Make `data_dir` a copy of the template's (database file, thumbnails, photos)."""
    shutil.copytree(template.data_dir, data_dir, dirs_exist_ok=True)
    return data_dir
