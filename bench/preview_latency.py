"""Preview latency through a real server: p50/p95 of GET /preview.png at 1200 px wide.

Starts gunicorn on 127.0.0.1 with a throw-away data dir, then asks for previews the way the
form does while someone types: each request a new slogan (a cache miss), then the same ones
again (cache hits). A benchmark, not a test: it prints figures and asserts nothing.

    .venv/bin/python bench/preview_latency.py [--requests 60] [--width 1200] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOGANS = [  # (text, lang): typing in several scripts
    ("Свободу анархистам", "ru"),
    ("No war but class war", "en"),
    ("الحرية للجميع", "ar"),
    ("人人享有自由", "zh"),
    ("Tierra y libertad", "es"),
    ("Hak asasi manusia", "ms"),
    ("விடுதலை", "ta"),
    ("Ελευθερία", "el"),
]


ALTERNATIVES = "/preview/alternatives.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, data_dir: str) -> subprocess.Popen:
    # No rate limit: one client asks for more previews a minute than a person would.
    env = {
        **os.environ,
        "POSTER_DATA_DIR": data_dir,
        "SECRET_KEY": "bench",
        "RATELIMIT_ENABLED": "0",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            str(workers),
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "poster_app:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def fetch(base: str, text: str, lang: str, width: int, path: str = "/preview.png") -> float:
    query = urllib.parse.urlencode(
        {
            "text": text,
            "lang": lang,
            "size": "a4",
            "style": "fill",
            "family": "sans",
            "colours": "black-on-white",
            "width": width,
        }
    )
    start = time.perf_counter()
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as response:
        body = response.read()
    elapsed = time.perf_counter() - start
    assert response.status == 200 and body[:4] in (b"\x89PNG", b'{"al'), response.status
    return elapsed * 1000


def report(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(
        f"{label:<28} n={len(times):<4} p50={statistics.median(times):7.1f} ms"
        f"  p95={p95:7.1f} ms  max={times[-1]:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=64)
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_server(port, args.workers, data_dir)
        base = f"http://127.0.0.1:{port}"
        try:
            for text, lang in SLOGANS:  # warm up: fonts loaded in every worker
                for _ in range(args.workers):
                    fetch(base, text + " warm", lang, args.width)
            typed = [
                (f"{SLOGANS[i % len(SLOGANS)][0]} {i}", SLOGANS[i % len(SLOGANS)][1])
                for i in range(args.requests)
            ]
            cold = [fetch(base, text, lang, args.width) for text, lang in typed]
            # What the form asks next, once typing pauses: three more layouts, four thumbnails.
            others = [fetch(base, text, lang, 320, ALTERNATIVES) for text, lang in typed]
            warm = [fetch(base, text, lang, args.width) for text, lang in typed]
        finally:
            server.terminate()
            server.wait(10)
    print(
        f"preview latency, {args.width} px wide, gunicorn -w {args.workers} --threads 4, 127.0.0.1"
    )
    report("new slogan (cache miss)", cold)
    report("same slogan (cache hit)", warm)
    report("its other layouts (after)", others)


if __name__ == "__main__":
    main()
