"""Memory under big downloads: 40 concurrent big PNGs, then one PNG asked 8 times at once.

Starts gunicorn (the repository's gunicorn.conf.py, `-w 2 --threads 4`) on a throw-away data
dir, makes 40 A0 banners, asks for all their 300-DPI PNGs (9933 × 14043 px) at once, then for
one new banner's PNG 8 times at once, and samples the workers' resident memory every 50 ms:
the peak (sum over workers), the RSS after 10 s idle, and how many PNG files were written.
A benchmark, not a test.

    .venv/bin/python bench/memory.py [--root DIR] [--banners 40] [--dpi 300]

`--root` runs another checkout's code (and its gunicorn.conf.py, if any) for a before/after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import request, wait_until_up  # noqa: E402
from preview_latency import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Sampler:
    """The workers' summed RSS every 50 ms, in a thread."""

    def __init__(self, master: int):
        self.master, self.peak, self._stop = master, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> float:
        return sum(rss_mb(pid) for pid in worker_pids(self.master))

    def _run(self):
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self.now())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def start(root: Path, port: int, data_dir: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "POSTER_DATA_DIR": data_dir,
        "SECRET_KEY": "bench",
        "RATELIMIT_RENDER": "1000000 per minute",
        "POSTER_MAX_PIXELS": "150000000",
        "PYTHONPATH": str(root),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-w", "2", "--threads", "4"]
        + ["-b", f"127.0.0.1:{port}", "--timeout", "300", "poster_app:create_app()"],
        cwd=root,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    return wait_until_up(server, port)


def at_once(port: int, paths: list[str]) -> tuple[dict[int, int], float]:
    start = time.perf_counter()
    with ThreadPoolExecutor(len(paths)) as pool:
        statuses = list(pool.map(lambda path: request(port, "GET", path)[0], paths))
    counts: dict[int, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return counts, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--banners", type=int, default=40)
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = start(args.root.resolve(), port, data_dir)
        try:
            made = []
            for n in range(args.banners + 1):
                status, body = request(
                    port, "POST", "/api/banners", {"text": f"Big banner {n}", "size": "a0"}
                )
                assert status == 201, (status, body)
                made.append(json.loads(body))
            sampler = Sampler(server.pid)
            idle_before = sampler.now()
            with sampler:
                paths = [b["png_url"] + f"?dpi={args.dpi}" for b in made[:-1]]
                many, many_s = at_once(port, paths)
                many_peak = sampler.peak
                sampler.peak = 0.0
                same, same_s = at_once(port, [made[-1]["png_url"] + f"?dpi={args.dpi}"] * 8)
                same_peak = sampler.peak
            time.sleep(10)
            idle_after = sampler.now()
            pngs = len(list(Path(data_dir, "banners").glob(f"*.{args.dpi}dpi.png")))
        finally:
            server.terminate()
            server.wait(30)
    print(f"memory: gunicorn -w 2 --threads 4, code from {args.root}, {os.cpu_count()} CPUs")
    print(f"  idle before:            {idle_before:7.0f} MB (both workers)")
    print(
        f"  {args.banners} big PNGs at once:  peak {many_peak:7.0f} MB, {many_s:5.1f} s, "
        f"answers {many}"
    )
    print(f"  one PNG 8 times at once: peak {same_peak:7.0f} MB, {same_s:5.1f} s, answers {same}")
    print(f"  idle 10 s after:        {idle_after:7.0f} MB;  {pngs} PNG files written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
