"""Campaigns: one slogan in many languages and sizes, made in the background as one ZIP.

The database rows are the one truth: a `Campaign` and its `BannerTask`s (one per language and
size), each queued → working → done or failed (with its reason); the campaign goes queued →
working → zipping (shown as working) → done (or failed when nothing could be made). Jobs run on
the app's queue (jobs.py: RQ workers with REDIS_URL, threads of the app process without):

  run_task     claims one task (if it is still its job's to run), renders it, records it as
               a banner like the form does, keeps its PNG, PDF and thumbnail where every
               server can read them (blobs.py), and writes its progress;
  the last task to finish builds the contact sheet and the ZIP (`finish`), stored for
               CAMPAIGN_KEEP_HOURS; the campaign is done when its ZIP is stored.

Leases: whoever holds a row (the worker running it; for a queued task held in an app process,
that process) renews `lease_until` while it lives. A row whose lease ran out, or whose job
Redis no longer holds, was abandoned by a dead process: `recover` queues it again (a task is
given up as failed after CAMPAIGN_ATTEMPTS tries). It runs whenever anyone reads a campaign,
and on a timer in every process that runs jobs, so a campaign never stays "working" with
nobody working on it. Progress is written in one place, `_progress`. A job has no reader
whose language it could know: a failed row keeps its reason in English and, when the reason
has a code (the engine's refusals, JOB_REASONS), the code and its values, which `reason`
says in the language of whoever reads the page (models.Failure).
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select, update
from sqlalchemy.engine import CursorResult

from . import blobs, jobs
from .campaign_zip import write_zip
from .contact_sheet import Entry, contact_sheet
from .engine_messages import cannot_use, message
from .extensions import db
from .layout import EngineError, Spec, language, page_names
from .models import BannerTask, Campaign, is_record_id, utcnow
from .rendering import renderer
from .storage import save_banner

ACTIVE = ("queued", "working", "zipping")  # a row in one of these has a job to run
RECOVER_EVERY = 3.0  # seconds: a campaign read often (its page polls) is checked this often

# The reasons a job gives itself, in English (stored: the API, FAILED.txt) and for the pages.
JOB_REASONS = {
    "worker_stopped": "Its worker stopped {attempts} times before it was done; it was given up.",
    "nothing_made": "No banner could be made.",
}
JOB_MESSAGES = {
    "worker_stopped": _l(
        "Its worker stopped %(attempts)s times before it was done; it was given up."
    ),
    "nothing_made": _l("No banner could be made."),
}


def render_files(spec: Spec) -> dict[str, bytes]:
    """A banner's print PNG, PDF and thumbnail (tests put a slow or failing one here)."""
    return renderer().campaign_files(spec)


def plan_tasks(
    pairs: list[tuple[str, str, str]], sizes: list[str], size_label: Callable[[str], str]
) -> tuple[list[BannerTask], dict[str, str]]:
    """The banners to make from (field, language tag, slogan) and the sizes, and errors by
    field for what can't be made (the form and the API check campaigns alike)."""
    errors: dict[str, str] = {}
    if not pairs:
        errors["langs"] = _("Choose at least one language.")
    if not sizes:
        errors["sizes"] = _("Choose at least one size.")
    unknown = [size for size in sizes if size not in page_names()]
    if unknown:
        errors["sizes"] = _("Unknown size: %(size)s.", size=unknown[0])
        sizes = []
    tasks = []
    for field, tag, text in pairs:
        if not text:
            errors[field] = _("Type the slogan in this language, or leave the language out.")
            continue
        try:
            tag = language(tag).tag
            Spec(text=text, lang=tag)  # the words themselves; the engine plans them later
        except EngineError as e:  # an unknown language, a slogan the engine refuses
            errors[field] = cannot_use(e)
            continue
        english = language(tag).english_name
        tasks += [
            BannerTask(
                lang=tag, size=size, text=text, label=f"{english} ({tag}) - {size_label(size)}"
            )
            for size in sizes
        ]
    limit = current_app.config["CAMPAIGN_MAX_BANNERS"]
    if len(tasks) > limit:
        errors["sizes"] = _(
            "At most %(max)d banners at once: choose fewer languages or sizes.", max=limit
        )
    return tasks, errors


def start(title: str, tasks: list[BannerTask], options: dict, phrase: str = "") -> Campaign:
    """Record the campaign and its tasks, queue a job for each, and return at once."""
    blobs.prune_expired()  # ZIPs past their time
    queue = jobs.queue()
    campaign = Campaign(
        id=secrets.token_hex(10),
        title=title,
        phrase=phrase,
        options_json=json.dumps(options, sort_keys=True),
        state="queued",
    )
    for task in tasks:
        task.job_id = jobs.new_job_id()
        for key, value in _holder(queue).items():
            setattr(task, key, value)
    campaign.tasks = tasks
    db.session.add(campaign)
    db.session.commit()
    for task in tasks:
        queue.submit("poster_app.campaigns.run_task", task.id, task.job_id, job_id=task.job_id)
    return campaign


def get(campaign_id: str) -> Campaign | None:
    """The campaign, its abandoned jobs queued again first (see `recover`)."""
    campaign = db.session.get(Campaign, campaign_id) if is_record_id(campaign_id) else None
    if campaign is not None and campaign.state in ACTIVE:
        recover(campaign)
    return campaign


# --- Jobs


def run_task(task_id: int, job_id: str) -> None:
    """Make one banner of a campaign (the job `start` queued); the last one to finish queues
    the ZIP's job."""
    task = _claim(BannerTask, task_id, job_id, "queued")
    if task is None or not _progress(task, job_id, "working"):
        return  # done already, or another job holds it
    task = db.session.get(BannerTask, task_id)
    assert task is not None  # claimed a moment ago
    campaign = task.campaign
    try:
        spec = _spec(task, campaign)
        files = render_files(spec)
        banner = save_banner(
            spec, campaign_id=campaign.id, files={k: files[k] for k in ("png", "pdf")}
        )
        expires = _expiry()
        for kind in ("png", "pdf", "thumb"):
            blobs.put(_task_file(task, kind), files[kind], expires_at=expires)
        _progress(task, job_id, "done", banner_id=banner.id)
    except Exception as e:  # noqa: BLE001 — one bad banner must not stop the others
        db.session.rollback()
        _progress(task, job_id, "failed", **failure(e))
    _queue_finish(campaign, jobs.queue())


def run_finish(campaign_id: str, job_id: str) -> None:
    """Build the contact sheet and the ZIP (the job queued when the last task finished)."""
    campaign = _claim(Campaign, campaign_id, job_id, "zipping")
    if campaign is None:
        return
    try:
        tasks = list(campaign.tasks)
        entries = [
            Entry(task.name, task.label, task.error if task.state == "failed" else "")
            for task in tasks
        ]
        by_name = {task.name: task for task in tasks}
        remade: dict[str, dict[str, bytes]] = {}

        def read(name: str, kind: str) -> bytes:
            """The task's file as its job kept it, or made again from its spec (gone when
            the campaign sat unzipped past its keeping time)."""
            data = blobs.read(_task_file(by_name[name], kind))
            if data is None:
                if name not in remade:
                    remade[name] = render_files(_spec(by_name[name], campaign))
                data = remade[name][kind]
            return data

        sheet = contact_sheet(campaign.title, entries, lambda entry: read(entry.name, "thumb"))
        with tempfile.SpooledTemporaryFile(max_size=16 << 20) as out:
            write_zip(out, "campaign-" + campaign.id[:8], entries, read, sheet)
            out.seek(0)
            blobs.put(zip_name(campaign.id), out, expires_at=_expiry())
        blobs.put(sheet_name(campaign.id), sheet, expires_at=_expiry())
        blobs.remove_under(f"campaigns/{campaign.id}/tasks/")
        made = any(task.state == "done" for task in tasks)
        _progress(
            campaign,
            job_id,
            "done" if made else "failed",
            **({} if made else failure("nothing_made")),
            finished_at=utcnow(),
        )
    except Exception as e:  # noqa: BLE001 — say so on the campaign's page
        db.session.rollback()
        current_app.logger.exception("campaign %s: the ZIP could not be made", campaign_id)
        _progress(campaign, job_id, "failed", **failure(e), finished_at=utcnow())


# --- Progress, claims and leases


def _progress(row: BannerTask | Campaign, job: str, state: str, *conditions, **values) -> bool:
    """Write a task's or a campaign's new state (and `values`) and commit: the one place
    progress is written. Only while the row is still the job `job`'s, still active, and
    `conditions` hold; returns whether it was (a row whose lease ran out may be someone
    else's by now). A task starting work marks its campaign working."""
    model = type(row)
    if state in ("done", "failed"):
        values |= {"owner": "", "lease_until": None}
    result = db.session.execute(
        update(model)
        .where(model.id == row.id, model.job_id == job, model.state.in_(ACTIVE), *conditions)
        .values(state=state, **values)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, result).rowcount == 0:
        db.session.rollback()
        return False
    if isinstance(row, BannerTask) and state == "working":
        db.session.execute(
            update(Campaign)
            .where(Campaign.id == row.campaign_id, Campaign.state == "queued")
            .values(state="working")
        )
    db.session.commit()
    return True


def failure(error: Exception | str, **params: object) -> dict[str, str]:
    """A failed row's reason, as its columns (models.Failure): an engine refusal, or a code of
    JOB_REASONS with its values; any other error has only its English."""
    if isinstance(error, str):
        code, field, english = error, None, JOB_REASONS[error].format(**params)
    elif isinstance(error, EngineError):
        code, field, params, english = error.code, error.field, error.params, str(error)
    else:
        return {"error": str(error) or type(error).__name__, "error_data": ""}
    data = {"code": code, "field": field, "params": params}
    return {"error": english, "error_data": json.dumps(data, default=str)}


def _claim(model, row_id, job_id: str, state: str):
    """Take the row for this job: still in `state`, still this job's, and held by nobody else
    (queued in Redis, queued in this process, or abandoned). The claim starts the lease,
    counts an attempt and starts this process's keeper; returns the row, or None."""
    now = utcnow()
    result = db.session.execute(
        update(model)
        .where(
            model.id == row_id,
            model.job_id == job_id,
            model.state == state,
            or_(model.owner == "", model.owner == jobs.token(), model.lease_until < now),
        )
        .values(owner=jobs.token(), lease_until=now + _lease(), attempts=model.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, result).rowcount == 0:
        db.session.rollback()
        return None
    db.session.commit()
    keep_leases()
    row = db.session.get(model, row_id)
    db.session.refresh(row)
    return row


def _queue_finish(campaign: Campaign, queue) -> None:
    """Queue the ZIP's job once no task of the campaign is queued or working any more (the
    job of the last task to finish does it; so does `recover`, should that job have died)."""
    unfinished = exists().where(
        BannerTask.campaign_id == Campaign.id, BannerTask.state.in_(("queued", "working"))
    )
    job_id = jobs.new_job_id()
    if _progress(
        campaign,
        campaign.job_id,
        "zipping",
        Campaign.state.in_(("queued", "working")),
        ~unfinished,
        job_id=job_id,
        attempts=0,
        **_holder(queue),
    ):
        queue.submit("poster_app.campaigns.run_finish", campaign.id, job_id, job_id=job_id)


def _holder(queue) -> dict:
    """Who holds a queued row: this process (thread jobs: it keeps the lease alive, so its
    keeper must run) or Redis (no lease; `lost` asks Redis)."""
    if not queue.holds_queued:
        return {"owner": "", "lease_until": None}
    keep_leases()
    return {"owner": jobs.token(), "lease_until": utcnow() + _lease()}


def keep_leases(forever: bool = False) -> None:
    """Start (once per process) the thread that renews this process's leases and queues again
    what dead processes abandoned: while any campaign is unfinished, or `forever` (workers)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    interval = app.config["CAMPAIGN_LEASE_SECONDS"] / 3
    jobs.keep(app, "campaigns", interval, (lambda: tend() or True) if forever else tend)


def resume_here() -> None:
    """Once in each process that serves (its first request; gunicorn's workers as soon as they
    are made), with jobs on this process's threads: look after the campaigns left unfinished
    (once their dead leases run out they are queued again here). Not where the app is only
    built: a gunicorn master builds it once for its workers to fork from, and a keeper thread
    started there would stay there; `flask` commands need none."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.extensions.get("resumed_in") == os.getpid():
        return
    app.extensions["resumed_in"] = os.getpid()
    if jobs.queue().holds_queued and db.session.scalar(
        select(exists().where(Campaign.state.in_(ACTIVE)))
    ):
        keep_leases()


def tend() -> bool:
    """Renew the leases this process holds; queue again what dead processes abandoned.
    Returns whether any campaign is still unfinished."""
    until = utcnow() + _lease()
    for model in (BannerTask, Campaign):
        db.session.execute(
            update(model)
            .where(model.owner == jobs.token(), model.state.in_(ACTIVE))
            .values(lease_until=until)
        )
    db.session.commit()
    unfinished = db.session.scalars(
        select(Campaign).where(Campaign.state.in_(ACTIVE)).order_by(Campaign.created_at)
    ).all()
    for campaign in unfinished:
        recover(campaign, force=True)
    return bool(unfinished)


_checked: dict[str, float] = {}


def recover(campaign: Campaign, force: bool = False) -> None:
    """Queue again the campaign's jobs that nobody is running any more: their lease ran out
    (the process died), or Redis no longer holds their queued job. A task that used up its
    attempts fails with the reason; a campaign whose tasks all finished but was never zipped
    gets its ZIP job."""
    now = time.monotonic()
    if not force and now - _checked.get(campaign.id, 0) < RECOVER_EVERY:
        return
    _checked[campaign.id] = now
    queue = jobs.queue()
    rows: list[BannerTask | Campaign] = [
        t for t in campaign.tasks if t.state in ("queued", "working")
    ]
    if campaign.state == "zipping":
        rows.append(campaign)
    for row, job_id in _abandoned(rows, queue):
        _retry(row, job_id, queue)
    if campaign.state in ("queued", "working"):
        _queue_finish(campaign, queue)  # the last task's job died before it queued the ZIP


def _abandoned(rows: list, queue) -> list[tuple]:
    """(row, its job id) for the rows whose lease ran out, and for those queued in Redis whose
    job Redis lost (the job ids read now: a row retried meanwhile is someone else's)."""
    now = utcnow()
    found = [(row, row.job_id) for row in rows if row.lease_until and row.lease_until < now]
    in_redis = [row for row in rows if row.lease_until is None]
    if in_redis:
        lost = queue.lost(
            [row.job_id for row in in_redis], current_app.config["CAMPAIGN_LEASE_SECONDS"]
        )
        found += [(row, row.job_id) for row in in_redis if row.job_id in lost]
    return found


def _retry(row: BannerTask | Campaign, job_id: str, queue) -> None:
    """Queue the abandoned row's job again under a new job id (so the old job, should it
    wake up, finds it is no longer its own), or give up after CAMPAIGN_ATTEMPTS."""
    task = _is_task(row)
    if row.attempts >= current_app.config["CAMPAIGN_ATTEMPTS"]:
        given_up = failure("worker_stopped", attempts=row.attempts)
        _progress(row, job_id, "failed", **given_up, **({} if task else {"finished_at": utcnow()}))
        return
    new_job, row_id = jobs.new_job_id(), row.id
    if _progress(row, job_id, "queued" if task else "zipping", job_id=new_job, **_holder(queue)):
        func = "poster_app.campaigns." + ("run_task" if task else "run_finish")
        queue.submit(func, row_id, new_job, job_id=new_job)


def _is_task(row) -> bool:
    return isinstance(row, BannerTask)


# --- What the pages and the API read


def reason(row: BannerTask | Campaign) -> str:
    """Why the row failed, in the reader's language when its reason has a code; else (rows made
    before codes, unexpected errors, a code or its values no longer known) the English stored."""
    if not row.error_data:
        return row.error
    data = json.loads(row.error_data)
    try:
        if data["code"] in JOB_MESSAGES:
            return str(JOB_MESSAGES[data["code"]]) % data["params"]
        return message(data["code"], data["params"], data["field"])
    except (KeyError, TypeError, ValueError):
        return row.error


def describe(campaign: Campaign) -> dict:
    """The campaign as its status endpoints report it: each failure's `error` in English, its
    `code` (when it has one) and its `message` in the reader's language."""
    tasks = list(campaign.tasks)
    failed = [t for t in tasks if t.state == "failed"]
    done = sum(t.state == "done" for t in tasks)
    return {
        "id": campaign.id,
        "title": campaign.title,
        "phrase": campaign.phrase,
        "state": "working" if campaign.state == "zipping" else campaign.state,
        **_failed(campaign),
        "total": len(tasks),
        "done": done,
        "failed": [{"name": t.name, "lang": t.lang, "size": t.size, **_failed(t)} for t in failed],
        "finished": done + len(failed),
        "created": campaign.created_at.isoformat(),
        "items": [
            {
                "name": t.name,
                "lang": t.lang,
                "size": t.size,
                "label": t.label,
                "state": t.state,
                **_failed(t),
                "banner": t.banner_id,
            }
            for t in tasks
        ],
    }


def _failed(row: BannerTask | Campaign) -> dict[str, str]:
    return {"error": row.error, "code": row.error_code, "message": reason(row)}


def zip_name(campaign_id: str) -> str:
    return f"campaigns/{campaign_id}/campaign.zip"


def has_zip(campaign: Campaign) -> bool:
    """Whether the finished campaign's ZIP is still kept."""
    return campaign.state == "done" and blobs.exists(zip_name(campaign.id))


def sheet_name(campaign_id: str) -> str:
    return f"campaigns/{campaign_id}/contact-sheet.pdf"


def _spec(task: BannerTask, campaign: Campaign) -> Spec:
    options = json.loads(campaign.options_json)
    return Spec(text=task.text, lang=task.lang, size=task.size, **options)


def _task_file(task: BannerTask, kind: str) -> str:
    ext = "thumb.png" if kind == "thumb" else kind
    return f"campaigns/{task.campaign_id}/tasks/{task.name}.{ext}"


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config["CAMPAIGN_LEASE_SECONDS"])


def _expiry() -> datetime:
    return utcnow() + timedelta(hours=current_app.config["CAMPAIGN_KEEP_HOURS"])
