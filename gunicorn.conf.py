"""gunicorn's settings for poster_app; gunicorn reads this file from the directory it starts in.

    gunicorn -b 127.0.0.1:8000 'poster_app:create_app()'      # behind nginx (deploy/nginx.conf)

Flags on the command line win over these. gunicorn has no timeout for reading a request's
headers, so a few slow clients can hold every thread: run it behind a reverse proxy that
buffers requests (deploy/nginx.conf), never facing the internet alone.
"""

import ctypes
import gc
import os
import sys

from poster_app.config import render_queue, render_slots
from poster_app.logs import keep_typed_text_out

# gunicorn's error log names the request it failed on, query string and all (the live
# preview's holds the slogan), and prints exceptions with their messages: both left out.
keep_typed_text_out("gunicorn.error")

# The app is made once, in the master (its start-up work, the migrations under their lock,
# runs once per server), and every worker is a fork of it: replacing a worker (max_requests,
# a crash) costs the site ~0.15 s instead of 0.5-2.4 s (bench/load.py --replacement). The
# hooks below: the master fills the caches of first pages once for all (when_ready), closes
# its database connections and freezes its objects before each fork (pre_fork); the campaign
# keeper starts in each worker, never in the master (post_worker_init); a worker told to go
# leaves without Python's teardown (worker_exit).
preload_app = True
# gunicorn's control socket (for `gunicornc`, not used here) is a thread in the master: with
# it, every later fork would copy a process with a second thread running.
control_socket_disable = True
workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
# A worker takes a connection only while it holds fewer than its render gate can hold without
# refusing (RENDER_SLOTS rendering + RENDER_QUEUE waiting: 13); the others wait in the listen
# queue, where whichever worker frees first takes them. With gunicorn's default (1000) each
# worker took every connection it could and the two drifted apart: at 20 clients the busier
# one held 14-15 of the 20 requests in flight (bench/load.py --campaign's timeline), its
# previews queued behind one another while the other worker had room (that queue was the
# preview p99), past 13 they were refused (503: 6 % of the previews), and while one worker was
# being replaced the other took all 20 and kept them after the new one was up.
worker_connections = render_slots() + render_queue()
# One thread per connection it may hold: a page that renders nothing never waits for a thread
# in a worker that took it (when every worker holds its 13, it waits in the listen queue).
threads = worker_connections
# No connection is kept open between requests: a kept one would hold one of the 13 doing
# nothing. The proxy opens one per request (on a local socket, a fraction of a millisecond).
keepalive = 0
timeout = 60  # a worker silent this long is killed and replaced
graceful_timeout = 30
# A worker is replaced after this many requests (plus up to the jitter, so they don't all go
# at once), a guard against memory that creeps up. Big renders need no replacement to give
# their memory back: tune_malloc below returns it (bench/memory.py: 247 MB 10 s after the big
# PNGs, 240 before them, with no worker replaced). Kept without replacement, a worker grows
# ~2-3 MB per 1,000 requests (bench/load.py --campaign --max-requests 0: 95 -> 102 MB and
# 163 -> 170 MB over ~3,000 requests each), and what it keeps is mostly its caches — the
# parsed fonts of PDFs (~60 MB once a CJK one is made), the previews and layouts — which a new
# worker fills again. At 500-1,000 each was replaced every 3-7 s at 150 requests/s; each
# replacement gave the other worker every new request for 0.1-0.3 s and made the new one
# start with empty caches (most of the slowest previews near one, bench timeline).
max_requests = 5000
# As large as the count: workers started together and sharing the requests evenly reached
# the count within a second or two of each other, and while both were being replaced the
# site answered nobody for up to 8 s (bench/load.py --campaign).
max_requests_jitter = 5000
# The live preview sends the whole form in its query string: a slogan, two translations and a
# signature, 1,620 characters, make a request line of 15 kB in Sinhala or Tamil (each letter
# 3 bytes, each byte 3 characters as %XX) and up to 20 kB in 4-byte scripts. gunicorn's largest
# bounded value is 8190, so 0: its own ceiling of 1 MB. The proxy bounds it for real:
# large_client_header_buffers 4 32k in deploy/nginx.conf.
limit_request_line = 0
# No accesslog (gunicorn's default): query strings carry what people type.
limit_request_fields = 50


def when_ready(server):
    """Before the first fork: fill the caches every worker would fill on its first requests."""
    from poster_app.app import warm

    if server.cfg.preload_app:
        warm(server.app.wsgi())


def pre_fork(server, worker):
    from poster_app.app import close_database

    if server.cfg.preload_app:
        close_database(server.app.wsgi())
        # The master's objects go to the collector's permanent generation: a worker's
        # collections never write to their pages, which stay shared (Python's gc.freeze docs).
        gc.freeze()


def post_fork(server, worker):
    tune_malloc()


def post_worker_init(worker):
    """Resume unfinished campaigns now rather than at the worker's first request."""
    from poster_app.campaigns import resume_here

    with worker.wsgi.app_context():
        resume_here()


def worker_exit(server, worker):
    """A worker that was told to go (max_requests, a restart) leaves without Python's teardown,
    once the campaign jobs running on its threads have finished. The teardown frees every
    object, and each freed object shared with the master is first copied: 0.6 s (at load 5)
    during which the site had one worker less, as the master starts the next one only when
    this one is gone. A worker that failed or crashed goes the usual way."""
    from poster_app import jobs
    from poster_app.app import close_database

    if not (worker.booted and not worker.alive and server.cfg.preload_app):
        return
    jobs.stop(worker.wsgi, wait=True)
    close_database(worker.wsgi)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def tune_malloc() -> None:
    """Let glibc give big freed blocks back to the system at once.

    A big PNG is drawn in blocks of several MB. glibc raises its mmap threshold after the first
    such block is freed, so later ones come from the heap, which keeps them: an idle worker
    stayed at 1.96 GB after big downloads. A fixed threshold keeps every big block mmapped (and
    returned when freed); two arenas keep threads from holding a heap each.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to tune
        return
    m_mmap_threshold, m_arena_max = -3, -8  # from <malloc.h>
    libc.mallopt(m_mmap_threshold, 1 << 20)
    libc.mallopt(m_arena_max, 2)
