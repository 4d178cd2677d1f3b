"""Past one machine, with real processes: PostgreSQL, Redis, two app servers on separate data
dirs and `flask worker`s. A banner made on A downloads from B; a campaign posted to A is made
by the worker and its ZIP downloads from B; a worker killed with SIGKILL mid-campaign is
replaced and the campaign still finishes with every banner. And without Redis: an app
server killed mid-campaign leaves nothing "working" forever — the next one finishes it."""

from __future__ import annotations

import io
import os
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.process_helpers import AppServer, Redis, Worker, threads, wait_until

LANGS = ["en", "ru", "ar", "si"]
SIZES = ["a4", "a3", "square-1080px"]  # 12 banners


def env_for(tmp_path, name: str, **extra) -> dict:
    return {
        **os.environ,
        "POSTER_DATA_DIR": str(tmp_path / name),
        "SECRET_KEY": "shared by every server",
        "RATELIMIT_RENDER": "100000 per minute",
        "CAMPAIGN_LEASE_SECONDS": "3",  # a dead worker's job is found within seconds
        # Workers yield the CPU (nice 10) to pages in production; on a machine shared with
        # other test runs that could starve them past any deadline.
        "WORKER_NICE": "0",
        **extra,
    }


def campaign_body() -> dict:
    texts = {
        "en": "Free them all",
        "ru": "Свободу всем",
        "ar": "الحرية للجميع",
        "si": "සියලු දෙනාට නිදහස",
    }
    return {"texts": {lang: texts[lang] for lang in LANGS}, "sizes": SIZES}


def zip_names(data: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name.split("/", 1)[1] for name in archive.namelist()}


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="several servers share a PostgreSQL server (make test-postgres)",
)
def test_two_app_servers_and_workers_share_only_postgresql_and_redis(tmp_path):
    redis = Redis(tmp_path / "redis")
    started = []
    try:
        shared = {"REDIS_URL": redis.url}
        # Both servers start together on the empty database: one migrates, one waits.
        a = AppServer(env_for(tmp_path, "a", **shared), tmp_path / "a.log")
        b = AppServer(env_for(tmp_path, "b", **shared), tmp_path / "b.log")
        started += [a, b]
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda server: server.ready(), (a, b)))

        # A banner made on A downloads from B (rendered there from the stored spec).
        status, made = a.post_json("/api/banners", {"text": "Свободу всем", "lang": "ru"})
        assert status == 201, made
        png, pdf = b.get(made["png_url"]), b.get(made["pdf_url"])
        assert png[0] == 200 and png[1].startswith(b"\x89PNG")
        assert pdf[0] == 200 and pdf[1].startswith(b"%PDF")
        assert png[1] == a.get(made["png_url"])[1]

        # A campaign posted to A, made by the worker; killed mid-campaign, replaced.
        worker = Worker(env_for(tmp_path, "w1", **shared), tmp_path / "w1.log")
        started.append(worker)
        status, body = a.post_json("/api/campaigns", campaign_body())
        assert status == 202, body
        total = len(LANGS) * len(SIZES)

        def some_done():
            assert worker.alive(), worker.output()
            progress = a.get_json(body["status_url"])
            return 1 <= progress["done"] < total and progress

        before = wait_until(some_done, "the worker to make its first banners")
        worker.kill()
        assert before["state"] == "working"
        progress = b.get_json(body["status_url"])  # nobody is working on it now
        assert progress["state"] == "working" and progress["done"] < total

        second = Worker(env_for(tmp_path, "w2", **shared), tmp_path / "w2.log")
        started.append(second)

        def finished():
            assert second.alive(), second.output()
            progress = b.get_json(body["status_url"])
            return progress["state"] not in ("queued", "working") and progress

        final = wait_until(finished, "the campaign to finish after the SIGKILL", 600)
        assert (final["state"], final["done"], final["failed"]) == ("done", total, [])
        status, data, headers = b.get(final["zip_url"])
        assert status == 200 and headers["Content-Type"] == "application/zip"
        assert zip_names(data) == {"contact-sheet.pdf"} | {
            f"{lang}-{size}.{ext}" for lang in LANGS for size in SIZES for ext in ("png", "pdf")
        }
        assert a.get(final["zip_url"])[1] == data
        # The servers did no campaign work: their data dirs hold no campaign files.
        assert not (tmp_path / "a" / "campaigns").exists()
    finally:
        for process in started:
            process.stop()
        redis.stop()


@pytest.mark.slow
def test_an_app_server_killed_mid_campaign_leaves_it_to_the_next_one(tmp_path, migrated_db):
    """Without Redis the campaign runs on the app server's threads: SIGKILL it; the server
    started after it finds the dead leases when the campaign is read and finishes it."""
    from db_helpers import seed_data_dir

    seed_data_dir(tmp_path / "data", migrated_db)  # migrated (as on PostgreSQL): not again
    env = env_for(tmp_path, "data", CAMPAIGN_WORKERS="1")
    server = AppServer(env, tmp_path / "first.log").ready()
    try:
        status, body = server.post_json("/api/campaigns", campaign_body())
        assert status == 202, body
        total = len(LANGS) * len(SIZES)
        wait_until(
            lambda: 1 <= server.get_json(body["status_url"])["done"] < total,
            "the first banners",
        )
        server.kill()
    finally:
        server.stop()
    again = AppServer(env, tmp_path / "second.log").ready()
    try:
        # The campaign is resumed in the new server's workers: the master, which built the app
        # with the campaign unfinished, started no keeper thread (it would stay there).
        assert threads(again.process.pid) == 1

        def finished():
            progress = again.get_json(body["status_url"])
            return progress["state"] not in ("queued", "working") and progress

        # (every 0.5 s: each poll is a request the server answers while it renders)
        final = wait_until(finished, "the campaign to finish on the next server", 600, 0.5)
        assert (final["state"], final["done"], final["failed"]) == ("done", total, [])
        status, data, _headers = again.get(final["zip_url"])
        assert status == 200 and len(zip_names(data)) == 2 * total + 1
    finally:
        again.stop()


def test_a_job_a_dead_worker_took_but_never_claimed_is_lost(tmp_path):
    """A worker killed between taking a job from Redis and claiming its row leaves the job
    "started" in Redis until its timeout: once that is older than a lease, it is lost."""
    from datetime import UTC, datetime, timedelta

    from redis import Redis as Client
    from rq.job import Job, JobStatus

    from poster_app.jobs import RQJobs

    redis = Redis(tmp_path / "redis")
    try:
        connection = Client.from_url(redis.url)
        queue = RQJobs(connection)
        for name in ("old", "new", "queued", "gone"):
            queue.submit("poster_app.campaigns.run_task", 1, name, job_id=name)
        for name, ago in (("old", 60), ("new", 1)):  # taken by a worker that long ago
            job = Job.fetch(name, connection=connection)
            job.set_status(JobStatus.STARTED)
            job.started_at = datetime.now(UTC) - timedelta(seconds=ago)
            job.save()
        Job.fetch("gone", connection=connection).delete()  # as after a flushed Redis
        lost = queue.lost(["old", "new", "queued", "gone"], unclaimed_after=30)
        assert lost == {"old", "gone"}
    finally:
        redis.stop()


def test_a_job_a_dead_worker_took_but_never_started_is_lost(tmp_path):
    """A worker killed between taking a job (RQ moves it to its intermediate list) and starting
    it leaves the job "queued" but in no queue: once it has been so for longer than a lease,
    it is lost (seen in make test-postgres: the campaign waited for RQ's 10-minute maintenance)."""
    from redis import Redis as Client
    from rq.intermediate_queue import IntermediateQueue

    from poster_app.jobs import RQJobs

    redis = Redis(tmp_path / "redis")
    try:
        connection = Client.from_url(redis.url)
        queue = RQJobs(connection)
        for name in ("taken", "waiting"):
            queue.submit("poster_app.campaigns.run_task", 1, name, job_id=name)
        # What a worker's dequeue does (BLMOVE) before it marks the job started; then it died.
        intermediate = IntermediateQueue.get_intermediate_queue_key(queue.rq.key)
        assert connection.lmove(queue.rq.key, intermediate, "LEFT", "RIGHT") == b"taken"
        assert queue.lost(["taken", "waiting"], unclaimed_after=1) == set()  # first seen now
        time.sleep(1.2)
        assert queue.lost(["taken", "waiting"], unclaimed_after=1) == {"taken"}
        assert queue.lost(["taken", "waiting"], unclaimed_after=30) == set()
    finally:
        redis.stop()
