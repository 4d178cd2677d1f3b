"""Page weight on a slow link: bytes transferred and load time of the home page and the gallery.

Starts the app as production runs it (gunicorn, a throw-away data dir with the demo actions and
their banners kept in the gallery), then opens each page in Debian's chromium at phone size with
the network throttled through the DevTools protocol (Network.emulateNetworkConditions with
DevTools' "Slow 3G" preset: 2 s latency, 50 KB/s each way). Each page is opened twice in one
browser context: the first visit (empty cache), then again (what a returning visitor's cache
saves). A benchmark, not a test: it prints figures and asserts nothing.

    .venv/bin/python bench/page_weight.py [--runs 3] [--profile slow3g|fast3g]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from preview_latency import free_port, start_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# The whole browser, not the headless shell the browser tests use (tests/e2e/conftest.py): the
# shell asks for no favicon and none of the web fonts the pages declare (Chromium 156, `/`:
# 12 requests and 43.5 KB against 24 and 94.1 KB), so it would weigh a lighter page than
# a browser downloads.
CHROMIUM = "/usr/bin/chromium"
# Chromium DevTools' throttling presets: latency in ms, throughput in bytes per second.
PROFILES = {
    "slow3g": {"latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000},
    "fast3g": {"latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375},
}
PAGES = ("/", "/gallery")


def seed(data_dir: str) -> None:
    """The demo actions and their banners, kept in the gallery (what `make run` starts with)."""
    env = {**os.environ, "POSTER_DATA_DIR": data_dir, "SECRET_KEY": "bench"}
    flask = Path(sys.executable).with_name("flask")
    command = [str(flask), "--app", "poster_app", "seed-demo", "--if-empty"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


class Traffic:
    """What the network delivered for one visit, from the DevTools Network events."""

    def __init__(self, cdp):
        self.sent: dict[str, float] = {}  # request id → when it was sent (s)
        self.done: dict[str, tuple[float, float]] = {}  # request id → (when, bytes)
        self.cached: set[str] = set()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))

    def _sent(self, event: dict) -> None:
        self.sent.setdefault(event["requestId"], event["timestamp"])

    def _finished(self, event: dict) -> None:
        self.done[event["requestId"]] = (event["timestamp"], event["encodedDataLength"])

    def _failed(self, event: dict) -> None:
        self.done[event["requestId"]] = (event["timestamp"], 0)

    def visit(self, page, url: str) -> dict:
        """Open `url` and wait until every request has answered (lazy images too); return the
        bytes received over the network, the requests, and the times to `load` and to done."""
        self.sent.clear()
        self.done.clear()
        self.cached.clear()
        page.goto(url, wait_until="load")
        while set(self.sent) - set(self.done) or not self.done:
            page.wait_for_timeout(250)
        page.wait_for_timeout(1000)  # nothing more starts (images below the fold stay lazy)
        load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        start = min(self.sent.values())
        return {
            "bytes": sum(size for rid, (_, size) in self.done.items() if rid not in self.cached),
            "requests": len(self.sent),
            "load_ms": load_ms,
            "done_ms": (max(when for when, _ in self.done.values()) - start) * 1000,
        }


def measure(base: str, profile: dict, runs: int) -> dict[str, list[tuple[dict, dict]]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[tuple[dict, dict]]] = {path: [] for path in PAGES}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for _ in range(runs):
            for path in PAGES:
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", {"offline": False, **profile})
                traffic = Traffic(cdp)
                first = traffic.visit(page, base + path)
                again = traffic.visit(page, base + path)
                results[path].append((first, again))
                context.close()
        browser.close()
    return results


def report(profile: str, runs: int, results: dict[str, list[tuple[dict, dict]]]) -> None:
    def median(rows: list[dict], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    print(f"{profile}, phone viewport, median of {runs} runs")
    print("| page | first visit | requests | `load` | all done | again | `load` |")
    print("|---|---|---|---|---|---|---|")
    for path, pairs in results.items():
        first, again = [p[0] for p in pairs], [p[1] for p in pairs]
        print(
            f"| `{path}` | {median(first, 'bytes') / 1000:.1f} KB | {median(first, 'requests'):.0f}"
            f" | {median(first, 'load_ms') / 1000:.1f} s | {median(first, 'done_ms') / 1000:.1f} s"
            f" | {median(again, 'bytes') / 1000:.1f} KB"
            f" | {median(again, 'load_ms') / 1000:.1f} s |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=PROFILES, default="slow3g")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        seed(data_dir)
        port = free_port()
        server = start_server(port, 1, data_dir)
        try:
            base = f"http://127.0.0.1:{port}"
            urllib.request.urlopen(base + "/gallery").read()  # warm the server's caches
            results = measure(base, PROFILES[args.profile], args.runs)
        finally:
            server.terminate()
            server.wait(timeout=10)
    report(args.profile, args.runs, results)


if __name__ == "__main__":
    main()
