"""What a finished campaign hands out: one ZIP of every banner and its contact sheet
(contact_sheet.py), made from the banners' bytes wherever they are kept."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import IO

from .contact_sheet import Entry

Read = Callable[[str, str], bytes]  # (entry name, 'png' | 'pdf' | 'thumb') → the bytes


def write_zip(out: IO[bytes], top: str, entries: list[Entry], read: Read, sheet: bytes) -> None:
    """Every made banner's PNG and PDF, the contact sheet, and FAILED.txt listing the others,
    in the folder `top`."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{top}/contact-sheet.pdf", sheet)
        for entry in entries:
            if entry.error:
                continue
            for ext in ("png", "pdf"):
                # PNG and PDF are compressed already: store them as they are.
                archive.writestr(
                    f"{top}/{entry.name}.{ext}",
                    read(entry.name, ext),
                    compress_type=zipfile.ZIP_STORED,
                )
        failed = [entry for entry in entries if entry.error]
        if failed:
            lines = [f"{entry.name}: {entry.error}" for entry in failed]
            archive.writestr(f"{top}/FAILED.txt", "\n".join(lines) + "\n")
