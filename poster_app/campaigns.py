"""Campaigns: one slogan in many languages and sizes, built in the background as one ZIP.

A campaign is a list of items (language × size). A small thread pool renders each item's PNG
and PDF into `<data dir>/campaigns/<id>/`; when the last item is done, a contact sheet (a PDF
of labelled thumbnails) and the ZIP are written. An item that fails is recorded with its
message and the others go on. The state is kept in memory and mirrored to `status.json` after
every item, so any app process that shares the data dir can report progress and serve the ZIP.
Pure Python: no Flask.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .files import write_atomic
from .layout import Spec, plan, render_pdf, render_png

CAMPAIGN_ID = re.compile(r"^[0-9a-f]{20}$")
THUMB_WIDTH = 360  # px, the contact sheet's thumbnails


@dataclass
class Item:
    """One banner of a campaign: a language and a size, and what became of it."""

    lang: str
    size: str
    text: str
    label: str = ""  # 'Russian (ru) · A4', for the contact sheet and the page
    state: str = "waiting"  # waiting | done | failed
    error: str = ""

    @property
    def name(self) -> str:
        """File name stem inside the ZIP: 'ru-a4', 'zh-Hans-square-1080px'."""
        return f"{self.lang}-{self.size}"


@dataclass
class Campaign:
    id: str
    title: str
    items: list[Item]
    options: dict = field(default_factory=dict)  # Spec options shared by every item
    phrase: str = ""  # the phrasebook id it was made from, if any
    created: float = field(default_factory=time.time)
    state: str = "working"  # working | finished | failed (the ZIP could not be made)
    error: str = ""

    def status(self) -> dict:
        """The campaign as the status endpoint reports it."""
        done = sum(item.state == "done" for item in self.items)
        failed = sum(item.state == "failed" for item in self.items)
        state = "working" if self.state == "finishing" else self.state  # the ZIP is not there yet
        return {
            "id": self.id,
            "title": self.title,
            "phrase": self.phrase,
            "state": state,
            "error": self.error,
            "total": len(self.items),
            "done": done,
            "failed": failed,
            "finished": done + failed,
            "created": self.created,
            "items": [{**asdict(item), "name": item.name} for item in self.items],
        }


Render = Callable[[Spec], dict[str, bytes]]
# Called with each item as soon as its files are written (the web app records it as a banner).
OnItem = Callable[["Campaign", Item, Spec, dict[str, bytes]], None]


def render_item(spec: Spec, layout=None) -> dict[str, bytes]:
    """The item's files: the print PNG (page DPI), the vector PDF and a thumbnail."""
    layout = layout or plan(spec)  # MissingGlyphs names the characters no font has
    return {
        "png": render_png(layout),
        "pdf": render_pdf(layout),
        "thumb": render_png(layout, width=THUMB_WIDTH),
    }


class CampaignRunner:
    """Builds campaigns on a small thread pool; keeps them in memory and in their folders."""

    def __init__(
        self,
        root: str | os.PathLike,
        workers: int = 2,
        render: Render = render_item,
        keep_seconds: float = 24 * 3600,
        on_finish: Callable[[Campaign], None] | None = None,
        on_start: Callable[[Campaign], None] | None = None,
        on_item: OnItem | None = None,
    ):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.render = render
        self.keep_seconds = keep_seconds
        self.on_finish = on_finish
        self.on_start = on_start  # in the caller, before any item is queued
        self.on_item = on_item  # in the worker; its failure is noted, the item stays done
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="campaign")
        self._campaigns: dict[str, Campaign] = {}
        self._lock = threading.Lock()

    def start(
        self, title: str, items: list[Item], options: dict | None = None, phrase: str = ""
    ) -> Campaign:
        """Queue every item and return at once; the work goes on in the pool."""
        self.prune()
        campaign = Campaign(
            id=secrets.token_hex(10),
            title=title,
            items=items,
            options=dict(options or {}),
            phrase=phrase,
        )
        if self.on_start is not None:
            self.on_start(campaign)
        (self.folder(campaign.id) / "files").mkdir(parents=True)
        with self._lock:
            self._campaigns[campaign.id] = campaign
        self._save(campaign)
        for item in items:
            self._pool.submit(self._build, campaign, item)
        return campaign

    def status(self, campaign_id: str) -> dict | None:
        """The campaign's status, from memory or from its folder (another process made it)."""
        if not CAMPAIGN_ID.match(campaign_id or ""):
            return None
        with self._lock:
            campaign = self._campaigns.get(campaign_id)
            if campaign is not None:
                return campaign.status()
        path = self.folder(campaign_id) / "status.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def folder(self, campaign_id: str) -> Path:
        return self.root / campaign_id

    def zip_path(self, campaign_id: str) -> Path | None:
        """The finished ZIP, or None while it is being built (or for an unknown id)."""
        if not CAMPAIGN_ID.match(campaign_id or ""):
            return None
        path = self.folder(campaign_id) / "campaign.zip"
        return path if path.exists() else None

    def wait(self, campaign_id: str, timeout: float = 60) -> dict | None:
        """Block until the campaign has finished (for tests and the command line)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            status = self.status(campaign_id)
            if status is None or status["state"] != "working":
                return status
            time.sleep(0.05)
        return self.status(campaign_id)

    def prune(self) -> None:
        """Forget campaigns older than `keep_seconds`, with their files."""
        cutoff = time.time() - self.keep_seconds
        with self._lock:
            for cid in [c.id for c in self._campaigns.values() if c.created < cutoff]:
                del self._campaigns[cid]
        for folder in self.root.iterdir():
            if CAMPAIGN_ID.match(folder.name) and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)

    def _build(self, campaign: Campaign, item: Item) -> None:
        """Render one item; any failure is the item's, never the campaign's."""
        try:
            spec = Spec(text=item.text, lang=item.lang, size=item.size, **campaign.options)
            files = self.render(spec)
            folder = self.folder(campaign.id)
            for ext in ("png", "pdf"):
                write_atomic(folder / "files" / f"{item.name}.{ext}", files[ext])
            write_atomic(folder / "thumbs" / f"{item.name}.png", files["thumb"])
            item.state = "done"
        except Exception as e:  # noqa: BLE001 — one bad item must not stop the others
            item.state, item.error = "failed", str(e) or type(e).__name__
        if item.state == "done" and self.on_item is not None:
            try:
                self.on_item(campaign, item, spec, files)
            except Exception as e:  # noqa: BLE001 — its files are in the ZIP all the same
                item.error = "not recorded: " + (str(e) or type(e).__name__)
        with self._lock:
            last = all(i.state != "waiting" for i in campaign.items) and campaign.state == "working"
            if last:
                campaign.state = "finishing"
        self._save(campaign)
        if last:
            self._finish(campaign)

    def _finish(self, campaign: Campaign) -> None:
        """Write the contact sheet and the ZIP, then mark the campaign finished."""
        try:
            folder = self.folder(campaign.id)
            write_atomic(folder / "contact-sheet.pdf", contact_sheet(campaign, folder / "thumbs"))
            write_atomic(folder / "campaign.zip", build_zip(campaign, folder))
            campaign.state = "finished"
        except Exception as e:  # noqa: BLE001
            campaign.state, campaign.error = "failed", str(e) or type(e).__name__
        if self.on_finish is not None and campaign.state == "finished":
            try:
                self.on_finish(campaign)
            except Exception as e:  # noqa: BLE001 — the ZIP is there; say what else went wrong
                campaign.error = str(e) or type(e).__name__
        self._save(campaign)

    def _save(self, campaign: Campaign) -> None:
        with self._lock:
            status = campaign.status()
        write_atomic(
            self.folder(campaign.id) / "status.json",
            json.dumps(status, ensure_ascii=False).encode(),
        )


def build_zip(campaign: Campaign, folder: Path) -> bytes:
    """Every item's PNG and PDF, the contact sheet, and a list of the items that failed."""
    top = "campaign-" + campaign.id[:8]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(folder / "contact-sheet.pdf", f"{top}/contact-sheet.pdf")
        for item in campaign.items:
            if item.state != "done":
                continue
            for ext in ("png", "pdf"):
                # PNG and PDF are compressed already: store them as they are.
                archive.write(
                    folder / "files" / f"{item.name}.{ext}",
                    f"{top}/{item.name}.{ext}",
                    compress_type=zipfile.ZIP_STORED,
                )
        failed = [item for item in campaign.items if item.state == "failed"]
        if failed:
            lines = [f"{item.name}: {item.error}" for item in failed]
            archive.writestr(f"{top}/FAILED.txt", "\n".join(lines) + "\n")
    return buffer.getvalue()


def contact_sheet(campaign: Campaign, thumbs: Path) -> bytes:
    """An A4 landscape PDF: every item's thumbnail with its language and size underneath."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(_latin(campaign.title))
    columns, cell_w, cell_h, margin, top = 6, 44.5, 58, 10, 22
    rows = 3
    for index, item in enumerate(campaign.items):
        if index % (columns * rows) == 0:
            pdf.add_page()
            pdf.set_font("helvetica", "B", 14)
            pdf.set_xy(margin, 8)
            pages = -(-len(campaign.items) // (columns * rows))
            title = f"{_latin(campaign.title)} - {len(campaign.items)} banners"
            if pages > 1:
                title += f" (page {index // (columns * rows) + 1} of {pages})"
            pdf.cell(0, 8, title)
        slot = index % (columns * rows)
        x = margin + (slot % columns) * cell_w
        y = top + (slot // columns) * cell_h
        box_w, box_h = cell_w - 4, cell_h - 12
        path = thumbs / f"{item.name}.png"
        if item.state == "done" and path.exists():
            _place_thumb(pdf, path, x, y, box_w, box_h)
        else:
            pdf.set_draw_color(180, 30, 30)
            pdf.rect(x, y, box_w, box_h)
            pdf.set_font("helvetica", "", 7)
            pdf.set_xy(x + 1, y + 2)
            pdf.multi_cell(box_w - 2, 3.2, _latin("Failed: " + item.error)[:300])
        pdf.set_font("helvetica", "B", 8)
        pdf.set_xy(x, y + box_h + 1)
        pdf.cell(box_w, 4, _latin(item.label or item.name))
        pdf.set_font("helvetica", "", 7)
        pdf.set_xy(x, y + box_h + 5)
        pdf.cell(box_w, 3.5, f"{item.name}.png / .pdf")
    return bytes(pdf.output())


def _place_thumb(pdf, path: Path, x: float, y: float, box_w: float, box_h: float) -> None:
    """Fit the thumbnail in its box, keeping its shape, with a hairline frame."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
    scale = min(box_w / width, box_h / height)
    w, h = width * scale, height * scale
    left, upper = x + (box_w - w) / 2, y + (box_h - h)
    pdf.image(str(path), left, upper, w, h)
    pdf.set_draw_color(160, 160, 160)
    pdf.set_line_width(0.2)
    pdf.rect(left, upper, w, h)


def _latin(text: str) -> str:
    """The contact sheet's core font has Latin-1 only: labels are in English."""
    return text.encode("latin-1", "replace").decode("latin-1")
