"""gunicorn as shipped (gunicorn.conf.py: preload_app) builds the app once, in its master, and
forks its workers from it. A worker replaced after max_requests answers without importing or
building the app again, no database or Redis connection crosses a fork (the master holds none;
the workers share none), and campaigns go on while workers are replaced under them — on the
app's own threads, and on a `flask worker` with Redis. On PostgreSQL too (make test-postgres:
the servers find DATABASE_URL in the environment)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.parse

import pytest

from tests.process_helpers import (
    AppServer,
    Redis,
    Worker,
    children,
    clients_of,
    cpu_seconds,
    open_handles,
    threads,
    wait_until,
)

MAX_REQUESTS = 8  # each worker is replaced after this many requests (no jitter)
CAMPAIGN = {"texts": {"en": "Free them all", "ru": "Свободу всем"}, "sizes": ["a6", "a5", "a4"]}


def env_for(tmp_path, migrated_db, **extra) -> dict:
    """The servers' settings, on a copy of conftest's migrated data dir (as with PostgreSQL,
    where they find a migrated database of their own): each server built on an empty one
    ran the same migrations again, 0.3-0.5 s of its master's CPU."""
    from db_helpers import seed_data_dir

    return {
        **os.environ,
        "POSTER_DATA_DIR": str(seed_data_dir(tmp_path / "data", migrated_db)),
        "SECRET_KEY": "one key for every worker",
        "RATELIMIT_RENDER": "100000 per minute",
        "CAMPAIGN_WORKERS": "1",
        "CAMPAIGN_LEASE_SECONDS": "3",  # work a replaced worker left is found within seconds
        "WORKER_NICE": "0",  # (the Redis case's `flask worker`) not starved on a busy machine
        **extra,
    }


@pytest.mark.slow
@pytest.mark.parametrize("queue", ["threads", "redis"])
def test_replaced_workers_are_forks_of_the_built_app_with_connections_of_their_own(
    tmp_path, migrated_db, queue
):
    started: list = []
    try:
        extra = {}
        if queue == "redis":
            started.append(redis := Redis(tmp_path / "redis"))
            extra["REDIS_URL"] = redis.url
        env = env_for(tmp_path, migrated_db, **extra)
        replace_often = ("--max-requests", str(MAX_REQUESTS), "--max-requests-jitter", "0")
        server = AppServer(env, tmp_path / "server.log", options=replace_often)
        started.append(server)
        server.ready()
        master = server.process.pid
        first = wait_until(lambda: len(children(master)) == 2 and children(master), "2 workers")
        built = cpu_seconds(master)  # the imports, create_app, the warm-up
        assert threads(master) == 1  # a fork copies one thread: no lock can be held by another

        # Cheap requests until both workers have been replaced.
        def replaced():
            assert server.get("/api/banners")[0] == 200
            workers = children(master)
            return len(workers) == 2 and not workers & first and workers

        workers = wait_until(replaced, "both workers to be replaced", 300)
        # Every request was answered meanwhile. Each new worker used a fraction of the CPU the
        # master spent building the app: it built nothing (without preload_app each worker
        # imports and builds the app: 0.72 s of CPU here, while the master used 0.19).
        for pid in workers:
            assert cpu_seconds(pid) < built / 2, (cpu_seconds(pid), built)
        # The master keeps no connection to hand down (the database's file or socket, Redis);
        # the workers share nothing but the socket they listen on.
        listening = open_handles(master)
        assert not any("poster.db" in handle for handle in listening), listening
        sockets = {h for h in listening if h.startswith("socket:")}

        def the_workers_share_only_those():
            # Read at one moment for both workers: a worker that has served its last request
            # (every MAX_REQUESTS here) closes the listening socket on its way out, and one
            # read then saw it gone (make test-postgres, once in six runs).
            held = [open_handles(pid) for pid in children(master)]
            shared = set.intersection(*held) if len(held) == 2 else set()
            return {h for h in shared if h.startswith("socket:")} == sockets

        wait_until(the_workers_share_only_those, f"both workers to share only {sockets}", 30)

        # A campaign goes on while the workers are replaced under it (every request counts
        # towards max_requests: a worker goes every few polls).
        if queue == "redis":
            started.append(Worker(env, tmp_path / "worker.log"))
        status, body = server.post_json("/api/campaigns", CAMPAIGN)
        assert status == 202, body
        seen: set[int] = set()
        remaining: list[int] = []

        def finished():
            seen.update(children(master))
            query = urllib.parse.urlencode({"text": f"Free them all {len(remaining)}"})
            status, _png, headers = server.get(f"/preview.png?width=200&{query}")
            assert status == 200
            remaining.append(int(headers["X-RateLimit-Remaining"]))
            for _ in range(4):
                assert server.get("/api/banners")[0] == 200
            progress = server.get_json(body["status_url"])
            return progress["state"] not in ("queued", "working") and progress

        # On the app's threads the campaign goes on at the workers' requests (a new worker
        # resumes what a replaced one left), so they come as fast as they are answered; made
        # by the `flask worker`, it needs only workers replaced under it: a poll (6 requests,
        # a worker replaced every ~3) every 0.3 s replaces ~2 a second.
        every = 0.3 if queue == "redis" else 0.1
        final = wait_until(finished, "the campaign to finish", 600, every)
        assert (final["state"], final["done"], final["failed"]) == ("done", 6, [])
        assert server.get(final["zip_url"])[0] == 200
        assert len(seen - workers) >= 2, "no worker was replaced during the campaign"
        if queue == "redis":  # one count in Redis, kept by every worker, old and new
            assert all(a > b for a, b in zip(remaining, remaining[1:], strict=False))
    finally:
        for process in reversed(started):
            process.stop()


@pytest.mark.slow
def test_a_worker_takes_no_more_connections_than_its_render_gate_holds(tmp_path, migrated_db):
    """gunicorn.conf.py's worker_connections (RENDER_SLOTS + RENDER_QUEUE = 13): 26 connections
    that send their headers slowly are shared 13 and 13 by the two workers, and a 27th request
    waits in the listen queue — not in a worker's own queue — until one of them goes."""
    gate = 13
    # gunicorn.conf.py's threads (one per connection), not the helper's 4
    shipped = ("--threads", str(gate))
    env = env_for(tmp_path, migrated_db)
    server = AppServer(env, tmp_path / "server.log", options=shipped).ready()
    master = server.process.pid
    workers = wait_until(lambda: len(children(master)) == 2 and children(master), "2 workers")
    slow: list[socket.socket] = []
    stop = threading.Event()

    def trickle():  # a header line a second: each connection keeps its thread reading
        n = 0
        while not stop.wait(1):
            for s in slow:
                with contextlib.suppress(OSError):
                    s.sendall(f"X-Slow-{n}: y\r\n".encode())
            n += 1

    try:
        for _ in range(2 * gate):
            slow.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
            slow[-1].sendall(b"GET /gallery HTTP/1.1\r\nHost: localhost\r\n")
        threading.Thread(target=trickle, daemon=True).start()

        def held():
            return sorted(clients_of(pid, server.port) for pid in workers)

        wait_until(lambda: held() == [gate, gate], f"{gate} connections in each worker", 30)
        answered: list = []
        late = threading.Thread(target=lambda: answered.append(server.get("/api/banners")[0]))
        late.start()
        late.join(2)
        assert not answered, "a worker took a connection past its render gate's size"
        assert held() == [gate, gate]
        slow.pop().close()  # one worker has room again: it takes the waiting request
        late.join(30)
        assert answered == [200]
    finally:
        stop.set()
        for s in slow:
            s.close()
        server.stop()


def test_a_warmed_app_serves_its_first_form_page_from_memory(make_app, tmp_path, monkeypatch):
    """What gunicorn's master does once before forking (when_ready): a worker's first form
    page then reads no template and no Babel locale data (a first page cost 0.32 s of CPU in
    a cold fork, 0.06 s in a warmed one)."""
    import babel.localedata

    from poster_app.app import warm

    app = make_app(tmp_path / "data")
    warm(app)

    def not_again(*args, **kwargs):
        raise AssertionError(f"read after warming: {args}")

    monkeypatch.setattr(app.jinja_env.loader, "get_source", not_again)
    monkeypatch.setattr(babel.localedata, "load", not_again)
    page = app.test_client().get("/")
    assert page.status_code == 200 and b'name="text"' in page.data


def test_the_next_server_reads_its_templates_compiled(migrated_db, tmp_path, monkeypatch):
    """Templates compiled by one start are kept in POSTER_CACHE_DIR/templates: the next
    server's warm-up compiles none (it compiled all of them, 0.24 s of CPU in each gunicorn
    master); an edited template is compiled again."""
    from db_helpers import seed_data_dir

    from poster_app import create_app
    from poster_app.app import ROOT

    templates = tmp_path / "templates"  # a copy, to edit one
    shutil.copytree(ROOT / "templates", templates)

    def started(name: str) -> list[str]:
        """The templates a new app's warm-up compiles."""
        data = seed_data_dir(tmp_path / name, migrated_db)
        config = {"SECRET_KEY": "templates", "POSTER_DATA_DIR": str(data)}
        app = create_app({**config, "POSTER_CACHE_DIR": str(tmp_path / "cache")})
        app.jinja_loader.searchpath = [str(templates)]
        compiled = []
        compile_source = app.jinja_env.compile

        def compile_noted(source, name=None, *args):
            compiled.append(name)
            return compile_source(source, name, *args)

        monkeypatch.setattr(app.jinja_env, "compile", compile_noted)
        for name in app.jinja_env.list_templates(extensions="html"):
            app.jinja_env.get_template(name)
        return compiled

    first = started("first")
    assert len(first) >= 20 and "base.html" in first
    assert started("second") == []
    (templates / "base.html").write_text((templates / "base.html").read_text() + "\n")
    assert started("third") == ["base.html"]


def test_a_warmed_master_keeps_no_font_open_and_its_forks_render_the_same_bytes(make_app, tmp_path):
    """The engine is warmed in the master too (app.warm_engine: a preview per script of the
    phrasebook): FreeType maps the font files it opened, so no descriptor is left for the
    forks to share (a shared descriptor shares its offset), and two forks rendering at once
    from the same mapped faces make the very bytes the master makes."""
    import hashlib

    from poster_app.app import warm
    from poster_app.layout import Spec, language
    from poster_app.layout.fontcache import fonts_dir
    from poster_app.phrasebook import phrases, translations
    from poster_app.rendering import renderer

    app = make_app(tmp_path / "data")
    before = set(open_files())  # (a PDF made by an earlier test in this process keeps its own)
    warm(app)
    fonts = str(fonts_dir())
    assert not [path for path in set(open_files()) - before if path.startswith(fonts)]
    texts = translations(phrases()[0].id)
    specs = [  # new slogans (not in the preview cache) in every warmed script
        Spec.from_options({"text": texts[lang] + " 2", "lang": lang})
        for lang in {language(lang).script: lang for lang in texts}.values()
    ]
    assert len(specs) >= 5

    def digests() -> list[str]:
        with app.test_request_context():
            return [hashlib.sha256(renderer().preview_png(s, 600)).hexdigest() for s in specs]

    forks = []
    for _ in range(2):  # both at once: the same mapped faces read in two processes
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.write(write, " ".join(digests()).encode())
            finally:
                os._exit(0)
        os.close(write)
        forks.append((pid, read))
    made = []
    for pid, read in forks:
        with os.fdopen(read) as pipe:
            made.append(pipe.read().split())
        assert os.waitpid(pid, 0)[1] == 0
    assert made == [digests(), digests()]


FIRST_FILES = """
import sys
from poster_app import rendering
from poster_app.contact_sheet import Entry, contact_sheet
from poster_app.layout import PrintOptions, RenderOptions, Spec

rendering.import_file_makers()  # as app.warm does, and `flask worker`
spec = Spec.from_options({"text": "Free them all", "lang": "en", "size": "a6"})
rendering.render_png(rendering.plan(spec), width=200)  # as app.warm_engine does: a preview
warmed = set(sys.modules)
layout = rendering.plan(spec.replace(text="Free them all 2"))
thumb = rendering.render_png(layout, width=rendering.CONTACT_THUMB_WIDTH)
rendering.render_file(layout, RenderOptions(format="png"))  # a campaign's print PNG
pdf = RenderOptions(format="pdf")
rendering.render_file(layout, pdf)
rendering.render_file(layout, pdf, PrintOptions(bleed_mm=3, crop_marks=True))
rendering.render_file(rendering.plan(spec.replace(size="a3")), pdf, PrintOptions(tile="a4"))
contact_sheet("Campaign", [Entry("en-a6", "English - A6")], lambda entry: thumb)
print(" ".join(sorted(set(sys.modules) - warmed)))
"""
# What fontTools imports as it reads a font's tables (small modules, one a table or codec)
READ_AS_NEEDED = ("encodings.", "fontTools.ttLib.tables.")


def test_a_warmed_master_has_imported_what_its_forks_make_files_with():
    """The modules that make PDFs, print PNGs and contact sheets (fpdf, fontTools' subsetter,
    Pillow's plugins) are imported in the warm-up (rendering.import_file_makers, from
    app.warm), without making a file: gunicorn's forks (and `flask worker`'s, one per RQ job)
    then have them. A new worker imported them again before its first PDF: 0.4-0.5 s of CPU,
    most of a replaced worker's campaign work in py-spy. In a process of its own (this one
    imported everything long ago), on the engine alone: warm() adds to it only the app."""
    made = subprocess.run(
        [sys.executable, "-c", FIRST_FILES], capture_output=True, text=True, timeout=120
    )
    assert made.returncode == 0, made.stderr[-2000:]
    imported = made.stdout.split()
    assert [name for name in imported if not name.startswith(READ_AS_NEEDED)] == []


def open_files() -> list[str]:
    """What this process's file descriptors point to."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the one listdir itself used is gone
            found.append(os.readlink(f"/proc/self/fd/{fd}"))
    return found
