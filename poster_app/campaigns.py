"""Campaigns: one slogan in many languages and sizes, built in the background as one ZIP.

A campaign job is a list of banner tasks (language × size). A small thread pool renders each
task's PNG and PDF into `<data dir>/campaigns/<id>/`; when the last task is done, a contact
sheet (a PDF of labelled thumbnails) and the ZIP are written. A task that fails is recorded
with its message and the others go on. The state is kept in memory and mirrored to
`status.json` after every task, so any app process that shares the data dir can report
progress and serve the ZIP. `runner()` is the app's runner: it records the campaign's row
(`models.Campaign`) and every banner it makes, as the form does.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import Flask, current_app

from .extensions import db
from .files import write_atomic
from .layout import Spec
from .models import Campaign, is_record_id
from .rendering import Renderer, renderer


@dataclass
class BannerTask:
    """One banner a campaign job makes: a language and a size, and what became of it."""

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
class CampaignJob:
    """The work of making a campaign's banners (its record is `models.Campaign`)."""

    id: str
    title: str
    tasks: list[BannerTask]
    options: dict = field(default_factory=dict)  # Spec options shared by every task
    phrase: str = ""  # the phrasebook id it was made from, if any
    created: float = field(default_factory=time.time)
    state: str = "working"  # working | finished | failed (the ZIP could not be made)
    error: str = ""

    def status(self) -> dict:
        """The campaign as the status endpoint reports it (and status.json keeps it)."""
        done = sum(task.state == "done" for task in self.tasks)
        failed = sum(task.state == "failed" for task in self.tasks)
        state = "working" if self.state == "finishing" else self.state  # the ZIP is not there yet
        return {
            "id": self.id,
            "title": self.title,
            "phrase": self.phrase,
            "state": state,
            "error": self.error,
            "total": len(self.tasks),
            "done": done,
            "failed": failed,
            "finished": done + failed,
            "created": self.created,
            "items": [{**asdict(task), "name": task.name} for task in self.tasks],
        }


Render = Callable[[Spec], dict[str, bytes]]
# Called with each task as soon as its files are written (the app records it as a banner).
OnTask = Callable[[CampaignJob, BannerTask, Spec, dict[str, bytes]], None]


class CampaignRunner:
    """Builds campaigns on a small thread pool; keeps them in memory and in their folders."""

    def __init__(
        self,
        root: str | os.PathLike,
        workers: int = 2,
        render: Render | None = None,  # default: a Renderer's campaign_files
        keep_seconds: float = 24 * 3600,
        on_finish: Callable[[CampaignJob], None] | None = None,
        on_start: Callable[[CampaignJob], None] | None = None,
        on_task: OnTask | None = None,
    ):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.render = render or Renderer().campaign_files
        self.keep_seconds = keep_seconds
        self.on_finish = on_finish
        self.on_start = on_start  # in the caller, before any task is queued
        self.on_task = on_task  # in the worker; its failure is noted, the task stays done
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="campaign")
        self._campaigns: dict[str, CampaignJob] = {}
        self._lock = threading.Lock()

    def start(
        self, title: str, tasks: list[BannerTask], options: dict | None = None, phrase: str = ""
    ) -> CampaignJob:
        """Queue every task and return at once; the work goes on in the pool."""
        self.prune()
        campaign = CampaignJob(
            id=secrets.token_hex(10),
            title=title,
            tasks=tasks,
            options=dict(options or {}),
            phrase=phrase,
        )
        if self.on_start is not None:
            self.on_start(campaign)
        (self.folder(campaign.id) / "files").mkdir(parents=True)
        with self._lock:
            self._campaigns[campaign.id] = campaign
        self._save(campaign)
        for task in tasks:
            self._pool.submit(self._build, campaign, task)
        return campaign

    def status(self, campaign_id: str) -> dict | None:
        """The campaign's status, from memory or from its folder (another process made it)."""
        if not is_record_id(campaign_id):
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
        if not is_record_id(campaign_id):
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
            if is_record_id(folder.name) and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)

    def _build(self, campaign: CampaignJob, task: BannerTask) -> None:
        """Render and record one task; any failure is the task's, never the campaign's.

        The task counts as done only once `on_task` has recorded it: whoever then sees the
        campaign finished (the last task's worker, a page, the gallery) finds every banner's
        row. (Marking it done before recording let the last worker finish the campaign while
        another was still saving its row: "5 banners" of 6.)
        """
        state, error = "done", ""
        try:
            spec = Spec(text=task.text, lang=task.lang, size=task.size, **campaign.options)
            files = self.render(spec)
            folder = self.folder(campaign.id)
            for ext in ("png", "pdf"):
                write_atomic(folder / "files" / f"{task.name}.{ext}", files[ext])
            write_atomic(folder / "thumbs" / f"{task.name}.png", files["thumb"])
        except Exception as e:  # noqa: BLE001 — one bad task must not stop the others
            state, error = "failed", str(e) or type(e).__name__
        if state == "done" and self.on_task is not None:
            try:
                self.on_task(campaign, task, spec, files)
            except Exception as e:  # noqa: BLE001 — its files are in the ZIP all the same
                error = "not recorded: " + (str(e) or type(e).__name__)
        with self._lock:
            task.state, task.error = state, error
            last = all(t.state != "waiting" for t in campaign.tasks) and campaign.state == "working"
            if last:
                campaign.state = "finishing"
        self._save(campaign)
        if last:
            self._finish(campaign)

    def _finish(self, campaign: CampaignJob) -> None:
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

    def _save(self, campaign: CampaignJob) -> None:
        with self._lock:
            status = campaign.status()
        write_atomic(
            self.folder(campaign.id) / "status.json",
            json.dumps(status, ensure_ascii=False).encode(),
        )


def runner() -> CampaignRunner:
    """The app's campaign runner (one thread pool per app process)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if "campaigns" not in app.extensions:
        app.extensions["campaigns"] = CampaignRunner(
            Path(app.config["POSTER_DATA_DIR"]) / "campaigns",
            workers=app.config["CAMPAIGN_WORKERS"],
            render=renderer().campaign_files,
            on_start=_record_campaign,
            on_task=_banner_recorder(app),
        )
    return app.extensions["campaigns"]


def _record_campaign(campaign: CampaignJob) -> None:
    """The campaign's row, committed in the request before any task is built (its banners
    point at it)."""
    db.session.add(Campaign(id=campaign.id, title=campaign.title, phrase=campaign.phrase))
    db.session.commit()


def _banner_recorder(app: Flask) -> OnTask:
    """Record each built task as a banner, as the form does: files first, then the row."""

    def record(campaign: CampaignJob, task: BannerTask, spec: Spec, files: dict[str, bytes]):
        from .storage import save_banner

        with app.app_context():
            save_banner(spec, campaign_id=campaign.id, files={k: files[k] for k in ("png", "pdf")})

    return record


def build_zip(campaign: CampaignJob, folder: Path) -> bytes:
    """Every task's PNG and PDF, the contact sheet, and a list of the tasks that failed."""
    top = "campaign-" + campaign.id[:8]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(folder / "contact-sheet.pdf", f"{top}/contact-sheet.pdf")
        for task in campaign.tasks:
            if task.state != "done":
                continue
            for ext in ("png", "pdf"):
                # PNG and PDF are compressed already: store them as they are.
                archive.write(
                    folder / "files" / f"{task.name}.{ext}",
                    f"{top}/{task.name}.{ext}",
                    compress_type=zipfile.ZIP_STORED,
                )
        failed = [task for task in campaign.tasks if task.state == "failed"]
        if failed:
            lines = [f"{task.name}: {task.error}" for task in failed]
            archive.writestr(f"{top}/FAILED.txt", "\n".join(lines) + "\n")
    return buffer.getvalue()


def contact_sheet(campaign: CampaignJob, thumbs: Path) -> bytes:
    """The campaign's contact sheet (contact_sheet.py) from its tasks' thumbnails."""
    from . import contact_sheet as sheet

    def entry(task: BannerTask) -> sheet.Entry:
        made = task.state == "done" and (thumbs / f"{task.name}.png").exists()
        return sheet.Entry(task.name, task.label, "" if made else task.error or "not made")

    entries = [entry(task) for task in campaign.tasks]
    return sheet.contact_sheet(
        campaign.title, entries, lambda e: (thumbs / f"{e.name}.png").read_bytes()
    )
