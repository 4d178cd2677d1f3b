"""Load: a fixed number of requests from 20 concurrent clients against gunicorn (2 workers).

Starts gunicorn on 127.0.0.1 with a throw-away data dir holding the demo gallery, then sends a
mix the way people use the site: live previews while typing (most of them new slogans, so the
engine works), downloads of existing banners (PDF and PNG, each rendered once then served
from disk), and pages (form, gallery, banner pages, actions). Reports p50/p99 per kind and
every error. Rate limits stay on (the limiter's cost is part of the figures) but are raised:
every client here is 127.0.0.1. A benchmark, not a test: the target is 0 errors and
p99 preview <= 500 ms at 20 clients.

    .venv/bin/python bench/load.py [--requests 1000] [--clients 20] [--workers 2]

`--abuse` runs the abuse scenario instead: gunicorn as shipped (gunicorn.conf.py, -w 2, behind
a trusted proxy so each client has its own address and the default rate limits), six visitors
browsing (pages and live previews), first alone, then while six other clients send costly
specs (500 Chinese characters with two 500-character translations, new words every time);
then how long after the abuse stops the gallery answers as before. Reports the visitors' p50 /
p99 per kind, their errors, and what the abusers got (201 / 503 / 429).

    .venv/bin/python bench/load.py --abuse [--seconds 60]

`--campaign` measures what a campaign on a `flask worker` (Redis) costs the app servers
(gunicorn as shipped: gunicorn.conf.py's threads and connections per worker): the mix
(3,000 requests, ~1,800 previews: p99 rests on the 19 slowest) idle, during the campaign,
idle again (A/B/A: p99 during is compared with the mean of both idle phases, and the drift
between those is printed). Every request is put on a timeline (bench/timeline.py) with the
worker pid that answered it, the worker replacements and the campaign jobs; the slowest
previews of each phase are listed with what they waited for. `--timeline DIR` keeps the logs
(`python bench/timeline.py DIR` prints the timeline again).

    .venv/bin/python bench/load.py --campaign [--max-requests 0] [--threads N] [--timeline DIR]

`--replacement` measures what replacing a worker costs: gunicorn as shipped with one worker
(so nobody is answered meanwhile) replaced every 30 requests, previews one after another; the
time of the requests that met a replacement.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import timeline
from preview_latency import SLOGANS, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MIX = [("preview", 0.6), ("download", 0.15), ("page", 0.25)]
TARGET_P99_PREVIEW_MS = 500


def start_server(
    port: int,
    workers: int,
    data_dir: str,
    threads: int | None = 4,
    options: tuple[str, ...] = (),
    **settings: str,
) -> subprocess.Popen:
    env = {
        **os.environ,
        "POSTER_DATA_DIR": data_dir,
        "SECRET_KEY": "bench",
        "RATELIMIT_RENDER": "1000000 per minute",
        "RATELIMIT_RENDER_ADDRESS": "1000000 per minute",
        **settings,
    }
    subprocess.run(
        [str(BIN / "flask"), "--app", "poster_app", "seed-demo"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            str(workers),
            *(["--threads", str(threads)] if threads else []),
            *options,
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "poster_app:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    return wait_until_up(server, port)


def wait_until_up(server: subprocess.Popen, port: int) -> subprocess.Popen:
    """The started server once it answers its home page (killed if it does not within 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def request(
    port: int,
    method: str,
    path: str,
    body: dict | None = None,
    client: str | None = None,
    headers: dict | None = None,
) -> tuple[int, bytes]:
    """One request (as the client at address `client`, through a trusted proxy)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = dict(headers or {})
        if body is not None:
            headers["Content-Type"] = "application/json"
        if client:
            headers["X-Forwarded-For"] = client
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def plan_requests(n: int, banners: list[dict], seed: int = 6) -> list[tuple[str, str]]:
    """The same (kind, path) list on every run: a fixed mix, a fixed order."""
    rng = random.Random(seed)
    kinds = rng.choices([k for k, _ in MIX], [w for _, w in MIX], k=n)
    out = []
    for i, kind in enumerate(kinds):
        if kind == "preview":
            text, lang = SLOGANS[i % len(SLOGANS)]
            if rng.random() < 0.8:  # typing: a slogan the server has not seen
                text = f"{text} {i}"
            query = urllib.parse.urlencode(
                {"text": text, "lang": lang, "width": rng.choice([600, 600, 800, 1200])}
            )
            out.append((kind, f"/preview.png?{query}"))
        elif kind == "download":
            banner = rng.choice(banners)
            out.append(
                (
                    kind,
                    rng.choice(
                        [
                            banner["pdf_url"],
                            banner["png_url"] + "?dpi=72",
                            banner["png_url"] + "?dpi=150",
                        ]
                    ),
                )
            )
        else:
            banner = rng.choice(banners)
            out.append(
                (
                    kind,
                    rng.choice(
                        [
                            "/",
                            "/gallery",
                            "/gallery?lang=ru",
                            "/actions",
                            banner["page_url"],
                            "/api/banners",
                        ]
                    ),
                )
            )
    return out


def run(port: int, plan: list[tuple[str, str]], clients: int, seen: list | None = None):
    """Send `plan` from `clients` threads: times per kind, errors, wall time. With `seen`,
    each request carries an X-Bench id and is added to it (timeline.Request)."""
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    phase = f"{time.time():.0f}-"

    def one(numbered):
        n, (kind, path) = numbered
        id_ = phase + str(n)
        start, wall = time.perf_counter(), time.time()
        try:
            status, _body = request(port, "GET", path, headers={"X-Bench": id_})
        except OSError as e:
            status = f"{type(e).__name__}: {e}"
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            times[kind].append(elapsed)
            if seen is not None:
                seen.append(timeline.Request(id_, kind, wall, wall + elapsed / 1000, status))
            if status != 200:
                errors.append(f"{kind} {path[:60]} → {status}")

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, enumerate(plan)))
    return times, errors, time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


HANZI = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自之着去"
KANA = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
)


def costly_spec(n: int) -> dict:
    """A spec that costs the most to plan: the longest slogan in a script broken between any
    two characters, with two translations as long; new words each time (no cache helps)."""
    rng = random.Random(n)
    return {
        "text": "".join(rng.choice(HANZI) for _ in range(500)),
        "lang": "zh",
        "also": [
            ["ja", "".join(rng.choice(KANA) for _ in range(500))],
            ["zh-Hant", "".join(rng.choice(HANZI) for _ in range(500))],
        ],
    }


def visit(port: int, banners: list[dict], client: str, rng: random.Random):
    """One visitor request: (kind, status, ms)."""
    if rng.random() < 0.3:
        text, lang = rng.choice(SLOGANS)
        kind = "preview"
        path = "/preview.png?" + urllib.parse.urlencode({"text": f"{text} {rng.random()}"})
    else:
        kind = "page"
        path = rng.choice(["/gallery", "/gallery?lang=ru", "/", "/actions"])
        path = rng.choice([path, rng.choice(banners)["page_url"]])
    start = time.perf_counter()
    try:
        status = request(port, "GET", path, client=client)[0]
    except OSError as e:
        status = type(e).__name__
    return kind, status, (time.perf_counter() - start) * 1000


def visitors(port, banners, seconds: float, n: int = 6) -> dict:
    """`n` visitors browsing for `seconds`: latencies per kind and statuses."""
    out: dict = {"page": [], "preview": [], "statuses": defaultdict(int)}
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def browse(i: int):
        rng = random.Random(i)
        while time.monotonic() < end:
            kind, status, ms = visit(port, banners, f"198.51.100.{i + 1}", rng)
            with lock:
                out[kind].append(ms)
                out["statuses"][status] += 1
            time.sleep(0.3)  # reading the page

    with ThreadPoolExecutor(n) as pool:
        list(pool.map(browse, range(n)))
    return out


def abuse(port: int, stop: threading.Event, n: int = 6) -> dict:
    """`n` clients sending costly specs, one after another each, until `stop`."""
    statuses: dict = defaultdict(int)
    lock = threading.Lock()

    def attack(i: int):
        k = 0
        while not stop.is_set():
            try:
                status = request(
                    port, "POST", "/api/banners", costly_spec(i * 10_000 + k), f"203.0.113.{i + 1}"
                )[0]
            except OSError as e:
                status = type(e).__name__
            with lock:
                statuses[status] += 1
            k += 1

    threads = [threading.Thread(target=attack, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    return {"threads": threads, "statuses": statuses}


def report_visitors(label: str, seen: dict) -> None:
    parts = []
    for kind in ("page", "preview"):
        values = seen[kind]
        if values:
            p50, p99 = statistics.median(values), percentile(values, 99)
            parts.append(f"{kind} p50 {p50:6.0f} ms  p99 {p99:6.0f} ms (n={len(values)})")
    statuses = dict(sorted(seen["statuses"].items(), key=str))
    print(f"  {label:<24} " + "   ".join(parts) + f"   statuses {statuses}")


def main_abuse(seconds: float) -> int:
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(
            port, 2, data_dir, threads=None, TRUSTED_PROXIES="1", RATELIMIT_RENDER="120 per minute"
        )
        try:
            banners = [
                json.loads(request(port, "POST", "/api/banners", {"text": t, "lang": lang})[1])
                for t, lang in SLOGANS
            ]
            start = time.perf_counter()
            status = request(port, "POST", "/api/banners", costly_spec(-1), "192.0.2.99")[0]
            worst = time.perf_counter() - start
            visitors(port, banners, 10)  # warm up
            alone = visitors(port, banners, seconds / 2)
            stop = threading.Event()
            attack = abuse(port, stop)
            during = visitors(port, banners, seconds)
            stop.set()
            stopped = time.monotonic()
            for thread in attack["threads"]:
                thread.join()
            after = visitors(port, banners, 10)
            # How long until the gallery answers as fast as before the abuse.
            usual = statistics.median(alone["page"]) * 2
            while time.monotonic() - stopped < 600:
                t0 = time.perf_counter()
                request(port, "GET", "/gallery", client="198.51.100.200")
                if (time.perf_counter() - t0) * 1000 <= usual:
                    break
                time.sleep(0.2)
            recovered = time.monotonic() - stopped
        finally:
            server.terminate()
            server.wait(30)
    print(
        f"abuse: gunicorn as shipped (-w 2, gunicorn.conf.py), {os.cpu_count()} CPUs; six "
        f"visitors for {seconds / 2:.0f} s alone, then {seconds:.0f} s beside six clients "
        "sending costly specs"
    )
    print(f"  the costliest spec alone: {worst:.1f} s (answered {status})")
    report_visitors("visitors alone", alone)
    report_visitors("visitors during abuse", during)
    report_visitors("visitors after it", after)
    print(f"  abusers got: {dict(sorted(attack['statuses'].items(), key=str))}")
    print(f"  gallery as fast as before the abuse {recovered:.1f} s after it stopped")
    errors = sum(n for s, n in during["statuses"].items() if s not in (200, 503))
    return 0 if not errors else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, help="per run (per phase with --campaign): 1000 (3000)"
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, help="per worker: 4, or with --campaign gunicorn.conf.py's"
    )
    parser.add_argument("--abuse", action="store_true", help="the abuse scenario instead")
    parser.add_argument("--seconds", type=float, default=60, help="of abuse (--abuse)")
    parser.add_argument(
        "--campaign",
        action="store_true",
        help="with Redis and a `flask worker`: the mix idle, then while a 30-banner campaign runs",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        help="(--campaign) gunicorn's, instead of gunicorn.conf.py's; 0: never replace a worker",
    )
    parser.add_argument(
        "--replacement", action="store_true", help="how long a replaced worker takes to answer"
    )
    parser.add_argument(
        "--timeline", metavar="DIR", help="(--campaign) keep gunicorn's and the worker's logs here"
    )
    args = parser.parse_args()
    args.requests = args.requests or (3000 if args.campaign else 1000)
    args.threads = args.threads or (None if args.campaign else 4)
    if args.replacement:
        return replacement_case()
    if args.abuse:
        return main_abuse(args.seconds)
    if args.campaign:
        return campaign_case(args)
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(port, args.workers, data_dir, threads=args.threads)
        try:
            banners = warm_up(port, args.workers)
            plan = plan_requests(args.requests, banners)
            times, errors, wall = run(port, plan, args.clients)
        finally:
            server.terminate()
            server.wait(10)
    report(args, times, errors, wall)
    p99 = percentile(times["preview"], 99)
    verdict = "met" if not errors and p99 <= TARGET_P99_PREVIEW_MS else "NOT met"
    print(f"  target (0 errors, p99 preview <= {TARGET_P99_PREVIEW_MS} ms): {verdict}")
    return 0 if not errors else 1


def warm_up(port: int, workers: int) -> list[dict]:
    """Make the banners the downloads ask for; load the fonts in every worker."""
    banners = []
    for text, lang in SLOGANS:
        status, body = request(port, "POST", "/api/banners", {"text": text, "lang": lang})
        assert status == 201, (status, body)
        banners.append(json.loads(body))
    for text, lang in SLOGANS:
        for _ in range(workers * 2):
            query = urllib.parse.urlencode({"text": text + " warm", "lang": lang})
            request(port, "GET", "/preview.png?" + query)
    return banners


def report(args, times, errors, wall) -> None:
    print(
        f"load: {args.requests} requests, {args.clients} concurrent clients, gunicorn "
        f"-w {args.workers} --threads {args.threads or 'as gunicorn.conf.py'} on 127.0.0.1, "
        f"{os.cpu_count()} CPUs, "
        f"{wall:.1f} s ({args.requests / wall:.0f} req/s)"
    )
    for kind, _ in MIX:
        values = times[kind]
        print(
            f"  {kind:<9} n={len(values):<5} p50={statistics.median(values):7.1f} ms  "
            f"p99={percentile(values, 99):7.1f} ms  max={max(values):7.1f} ms"
        )
    print(f"  errors: {len(errors)}")
    for line in errors[:20]:
        print(f"    {line}")


CAMPAIGN = {  # 10 languages × 3 sizes = 30 banners
    "phrase": "political-prisoners",
    "langs": ["en", "ru", "es", "fr", "de", "ar", "zh-Hans", "ta", "ms", "tpi"],
    "sizes": ["a4", "a3", "square-1080px"],
}


def campaign_case(args) -> int:
    """Preview latency through the app server idle, then while a `flask worker` (on the same
    machine and data dir, as on a small deployment) makes a 30-banner campaign, then idle
    again: A/B/A, as the machine is shared and its load drifts. The target is p99 during
    within 1.5× of idle, idle being the mean of the p99 before and after. Each request is on a
    timeline (bench/timeline.py): the slowest previews of each phase are listed with the
    worker that answered them, how long they waited before it took them, and the worker
    replacements and campaign jobs around them."""
    redis_server = shutil.which("redis-server")
    if not redis_server:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    port, redis_port = free_port(), free_port()
    compile_as_installed()
    phases: dict[str, list[timeline.Request]] = {"idle": [], "during": [], "again": []}
    with tempfile.TemporaryDirectory() as data_dir:
        logs = Path(args.timeline or data_dir)
        logs.mkdir(parents=True, exist_ok=True)
        redis = subprocess.Popen(
            [redis_server, "--port", str(redis_port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        extra = {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
        replaced = () if args.max_requests is None else ("--max-requests", str(args.max_requests))
        options = replaced + timeline.gunicorn_options(logs)
        started = [redis]
        try:
            server = start_server(
                port, args.workers, data_dir, threads=args.threads, options=options, **extra
            )
            started.append(server)
            worker = subprocess.Popen(
                timeline.worker_command(sys.executable, logs),
                cwd=ROOT,
                env={**os.environ, "POSTER_DATA_DIR": data_dir, "SECRET_KEY": "bench", **extra},
                stdout=subprocess.DEVNULL,
            )
            started.append(worker)
            banners = warm_up(port, args.workers)
            for banner in banners:  # rendered once now, not in the first phase's first second
                for url in (
                    banner["pdf_url"],
                    banner["png_url"] + "?dpi=72",
                    banner["png_url"] + "?dpi=150",
                ):
                    assert request(port, "GET", url)[0] == 200, url
            n, clients = args.requests, args.clients
            idle = loaded(
                server, run, port, plan_requests(n, banners, seed=6), clients, phases["idle"]
            )
            status, body = request(port, "POST", "/api/campaigns", CAMPAIGN)
            assert status == 202, (status, body)
            status_url = json.loads(body)["status_url"]
            busy = loaded(
                server, run, port, plan_requests(n, banners, seed=7), clients, phases["during"]
            )
            during = json.loads(request(port, "GET", status_url)[1])
            made_meanwhile = during["done"]  # the campaign ran all through the busy run if < 30
            while during["state"] in ("queued", "working"):
                time.sleep(0.5)
                during = json.loads(request(port, "GET", status_url)[1])
            again = loaded(
                server, run, port, plan_requests(n, banners, seed=8), clients, phases["again"]
            )
        finally:
            for process in reversed(started):
                process.terminate()
                process.wait(20)
        seen = timeline.read_logs(logs)
        if args.timeline:
            timeline.save(logs, phases)
    for title, (times, errors, wall, load), requests in zip(
        (
            "idle",
            "while the worker makes a 30-banner campaign",
            "idle again, after the campaign",
        ),
        (idle, busy, again),
        phases.values(),
        strict=True,
    ):
        print(
            f"{title} (load average {load[0]:.1f} before, {load[1]:.1f} after; "
            f"{timeline.replacements(requests, seen)} gunicorn workers replaced meanwhile; "
            "their private memory after: "
            f"{' + '.join(f'{mb:.0f}' for mb in load[2])} MB):"
        )
        report(args, times, errors, wall)
    results = {"idle": idle, "during": busy, "again": again}
    p99 = {name: percentile(result[0]["preview"], 99) for name, result in results.items()}
    timeline.join([r for requests in phases.values() for r in requests], seen)
    for name, requests in phases.items():
        timeline.describe(name, requests, seen)
    print(
        f"  campaign: {made_meanwhile} of {during['total']} made during the run; "
        f"then {during['state']}, {during['done']} made"
    )
    previews = [len(result[0]["preview"]) for result in results.values()]
    print(
        f"  p99 rests on the {timeline.tail_size(min(previews))} slowest of "
        f"{min(previews)}-{max(previews)} previews in each phase"
    )
    idle_p99 = (p99["idle"] + p99["again"]) / 2
    ratio = p99["during"] / idle_p99
    print(
        f"  preview p99 during / idle before: {p99['during'] / p99['idle']:.2f}; "
        f"/ idle after: {p99['during'] / p99['again']:.2f}"
    )
    verdict = "met" if ratio <= 1.5 else "NOT met"
    print(f"  preview p99 during / mean of both idle: {ratio:.2f} (target <= 1.5: {verdict})")
    print(f"  preview p99 idle after / idle before: {p99['again'] / p99['idle']:.2f} (drift)")
    failed = idle[1] or busy[1] or again[1]
    return 0 if not failed and during["state"] == "done" else 1


def compile_as_installed() -> None:
    """As installed, pip compiles the bytecode, so a worker gunicorn starts does not compile
    the app's modules again, as it would from a checkout under PYTHONDONTWRITEBYTECODE (set on
    the team's machines)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "poster_app")], check=True)


def replacement_case(requests: int = 240, every: int = 30) -> int:
    """One worker replaced every `every` requests (max_requests, no jitter), previews sent one
    after another: the requests that met a replacement waited for the old worker to go and
    the new one to answer — they are the slowest, one per replacement."""
    compile_as_installed()
    port = free_port()
    options = ("--max-requests", str(every), "--max-requests-jitter", "0")
    times = []
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(port, 1, data_dir, options=options)
        try:
            for i in range(requests):
                query = urllib.parse.urlencode({"text": f"Free them all {i}", "lang": "en"})
                start = time.perf_counter()
                assert request(port, "GET", "/preview.png?" + query)[0] == 200
                times.append(time.perf_counter() - start)
        finally:
            server.terminate()
            server.wait(20)
    times.sort()
    met = times[-(requests // every - 1) :]  # the first worker's start is not timed
    print(
        f"worker replaced every {every} requests (gunicorn.conf.py, -w 1, {os.cpu_count()} "
        f"CPUs, load {os.getloadavg()[0]:.1f}): the {len(met)} requests that met a "
        f"replacement took {statistics.median(met):.2f} s (median), {max(met):.2f} s (max); "
        f"the others {statistics.median(times[: -len(met)]) * 1000:.0f} ms (median)"
    )
    return 0


def loaded(server: subprocess.Popen, run_plan, *args):
    """`run_plan(*args)`'s results, the one-minute load average before and after it, and each
    of the server's workers' private memory after it (MB: what a replacement would give back)."""
    before = os.getloadavg()[0]
    result = run_plan(*args)
    memory = [private_mb(pid) for pid in worker_pids(server)]
    return (*result, (before, os.getloadavg()[0], memory))


def private_mb(pid: str) -> float:
    """The memory only this process holds (not shared with the master or another fork)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    kb = sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Private_"))
    return kb / 1024


def worker_pids(server: subprocess.Popen) -> list[str]:
    found = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
    return found.stdout.split()


if __name__ == "__main__":
    sys.exit(main())
