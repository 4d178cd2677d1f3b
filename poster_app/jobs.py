"""Background jobs: on Redis with RQ when REDIS_URL is set, on threads in this process if not.

Either way a job is a dotted function name and its arguments, run in an app context, and the
same functions run (campaigns.run_task, campaigns.run_finish). The queue only delivers jobs:
what a job is doing, and whether anyone still is, lives in the database rows (campaigns.py
keeps leases on them), so a job lost with a dead process is found and queued again.

  ThreadJobs  CAMPAIGN_WORKERS threads of the app process (`make run`, one machine). The
              process holds its queued jobs itself, so it keeps their leases alive.
  RQJobs      an RQ queue; `flask --app poster_app worker` processes on any machine run it
              (RQ forks a child per job). Redis holds the queued jobs.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from werkzeug.utils import import_string

from .connections import redis_connection

QUEUE = "campaigns"
JOB_TIMEOUT = 600  # seconds: RQ stops a job that runs longer (the biggest banner takes ~3 s)

_token: tuple[int, str] | None = None


def token() -> str:
    """This process's name on the leases it holds: host, pid and a random part (a forked
    child gets its own)."""
    global _token
    if _token is None or _token[0] != os.getpid():
        name = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
        _token = (os.getpid(), name)
    return _token[1]


def new_job_id() -> str:
    return "job-" + secrets.token_hex(8)


def queue():
    """The app's job queue (made once per app and process)."""
    app = current_app._get_current_object()
    found = app.extensions.get("jobs")
    if found is None or found.pid != os.getpid():
        connection = redis_connection()
        found = RQJobs(connection) if connection is not None else ThreadJobs(app)
        app.extensions["jobs"] = found
    return found


class ThreadJobs:
    """Jobs on a thread pool of this process."""

    holds_queued = True  # a queued job lives in this process: its lease must be kept alive

    def __init__(self, app: Flask):
        self.app = app
        self.pid = os.getpid()
        self._pool = ThreadPoolExecutor(
            max_workers=app.config["CAMPAIGN_WORKERS"], thread_name_prefix="job"
        )

    def submit(self, func: str, *args, job_id: str) -> None:
        self._pool.submit(self._run, func, args)

    def _run(self, func: str, args: tuple) -> None:
        with self.app.app_context():
            try:
                import_string(func)(*args)
            except Exception:  # the row says what failed; the log says why
                self.app.logger.exception("job %s%r failed", func, args)

    def lost(self, job_ids: list[str], unclaimed_after: float) -> set[str]:
        return set()  # never asked: queued jobs here carry leases

    def shutdown(self, wait: bool = False) -> None:
        """Run no more jobs; the running ones finish (`wait`: before this returns)."""
        self._pool.shutdown(wait=wait, cancel_futures=True)


class RQJobs:
    """Jobs on an RQ queue in Redis, run by `flask worker` processes."""

    holds_queued = False  # Redis holds them; `lost` asks it whether it still does

    def __init__(self, connection):
        from rq import Queue

        self.pid = os.getpid()
        self.connection = connection
        self.rq = Queue(QUEUE, connection=connection)

    def submit(self, func: str, *args, job_id: str) -> None:
        self.rq.enqueue_call(
            func, args=args, job_id=job_id, timeout=JOB_TIMEOUT, result_ttl=0, failure_ttl=86400
        )

    def lost(self, job_ids: list[str], unclaimed_after: float) -> set[str]:
        """Of the jobs of rows nobody has claimed yet, those no worker will run: Redis no
        longer holds them (gone, failed, stopped, finished), or a worker took one more than
        `unclaimed_after` seconds ago and never claimed its row (it died in between: Redis
        would call the job started until its timeout, or, if it died before starting it,
        leave it "queued" in RQ's intermediate list until a worker's maintenance, 10-20
        minutes later)."""
        from rq.intermediate_queue import IntermediateQueue
        from rq.job import Job, JobStatus

        waiting = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
        taken_before = datetime.now(UTC) - timedelta(seconds=unclaimed_after)
        taken = IntermediateQueue(self.rq.key, connection=self.connection)
        taken_ids = set(taken.get_job_ids())

        def never_started(job_id: str) -> bool:
            """Taken from the queue but not started: for longer than `unclaimed_after` since
            anyone first saw it so (RQ's own first-seen mark)."""
            if job_id not in taken_ids:
                return False
            taken.set_first_seen(job_id)
            first_seen = taken.get_first_seen(job_id)
            return first_seen is not None and first_seen < taken_before

        jobs = Job.fetch_many(job_ids, connection=self.connection)
        return {
            job_id
            for job_id, job in zip(job_ids, jobs, strict=True)
            if job is None
            or (status := job.get_status(refresh=False)) not in waiting
            or (status == JobStatus.STARTED and (job.started_at or taken_before) < taken_before)
            or (status == JobStatus.QUEUED and never_started(job_id))
        }

    def shutdown(self, wait: bool = False) -> None:
        pass


_keepers_lock = threading.Lock()

# A process never forks while its keeper is inside a tend. `flask worker` keeps leases on a
# thread while RQ forks a child per job from the main thread: a fork in the middle of a tend
# left the child a lock the keeper held at that moment (SQLAlchemy's mapper-configuration
# lock, at the first tend), held by a thread the child does not have, and the child's first
# query waited for it forever (seen once in test_replaced_workers[redis]: a job hung).
_tend_or_fork = threading.RLock()
os.register_at_fork(
    before=_tend_or_fork.acquire,
    after_in_parent=_tend_or_fork.release,
    after_in_child=_tend_or_fork.release,
)


def keep(app: Flask, name: str, interval: float, tend: Callable[[], bool]) -> None:
    """Call `tend()` in an app context every `interval` seconds on a daemon thread (one per
    app, name and process; a forked child starts its own) for as long as it returns True
    and `stop(app)` has not been called."""
    key = (name, os.getpid())
    with _keepers_lock:
        keepers = app.extensions.setdefault("job_keepers", {})
        stopped = app.extensions.setdefault("jobs_stopped", threading.Event())
        if key in keepers or stopped.is_set():
            return
        keepers[key] = thread = threading.Thread(
            target=_tending,
            args=(app, key, interval, tend, stopped),
            name=f"keeper-{name}",
            daemon=True,
        )
    thread.start()


def _tending(
    app: Flask, key: tuple, interval: float, tend: Callable[[], bool], stopped: threading.Event
) -> None:
    going = True
    while going and not stopped.wait(interval):
        with _tend_or_fork, app.app_context():
            try:
                going = tend()
            except Exception:  # a database hiccup: try again next time
                app.logger.exception("keeping the job leases failed")
    with _keepers_lock:  # a claim made meanwhile starts a new keeper after this
        app.extensions["job_keepers"].pop(key, None)


def stop(app: Flask, timeout: float = 10, wait: bool = False) -> None:
    """Stop the app's keepers and drop its queued thread jobs (an app being thrown away, as
    in the tests: its keepers would otherwise tend a database that is gone, forever; `wait`:
    a process about to exit lets the running ones finish first). A queued job dropped here is
    queued again elsewhere once its lease runs out."""
    with _keepers_lock:
        app.extensions.setdefault("jobs_stopped", threading.Event()).set()
        threads = list(app.extensions.get("job_keepers", {}).values())
    found = app.extensions.get("jobs")
    if found is not None and found.pid == os.getpid():
        found.shutdown(wait)
    for thread in threads:
        thread.join(timeout)


def work(app: Flask) -> None:
    """Run an RQ worker on the campaign queue until stopped (`flask worker`)."""
    from rq import Worker

    connection = redis_connection()
    engine_dispose = _engine_disposer(app)
    # RQ forks a child per job: the child must not share the parent's database connections.
    os.register_at_fork(after_in_child=engine_dispose)
    Worker([QUEUE], connection=connection).work(with_scheduler=False)


def _engine_disposer(app: Flask) -> Callable[[], None]:
    from .extensions import db

    with app.app_context():
        engine = db.engine
    return lambda: engine.dispose(close=False)
