"""The timeline of a `bench/load.py --campaign` run: which requests make a phase's tail, and why.

Three clocks are joined on the wall clock (one machine): the bench's own (each request's start,
end and status; each carries an `X-Bench` id), gunicorn's logs (the access log names the worker
pid that answered each id and how long it spent on it, the error log when a worker was booted,
told to go and gone), and the `flask worker`'s RQ log (when each campaign job started and
ended). Only the bench turns these logs on: gunicorn through `--log-config-json` and
`--access-logformat`, the worker through a logging handler set before `flask worker` starts.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

ACCESS_FORMAT = "%({x-bench}i)s %(D)s %(s)s"  # id, µs spent in the worker, status
LINE = "%(created).4f %(process)d %(message)s"


def gunicorn_options(folder: Path) -> tuple[str, ...]:
    """gunicorn's flags that write both its logs, stamped to the 0.1 ms, to folder/gunicorn.log."""
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": LINE}},
        "root": {"level": "WARNING", "handlers": ["console"]},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
            "file": {
                "class": "logging.FileHandler",
                "filename": str(folder / "gunicorn.log"),
                "formatter": "line",
            },
        },
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["file"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["file"], "propagate": False},
        },
    }
    (folder / "gunicorn-log.json").write_text(json.dumps(config))
    return (
        "--log-config-json",
        str(folder / "gunicorn-log.json"),
        "--access-logformat",
        ACCESS_FORMAT,
    )


def worker_command(python: str, folder: Path) -> list[str]:
    """`flask --app poster_app worker`, with RQ's log (each job's start and end) in
    folder/worker.log (RQ adds no handler of its own when the logger has one)."""
    code = (
        "import logging, sys\n"
        f"handler = logging.FileHandler({str(folder / 'worker.log')!r})\n"
        f"handler.setFormatter(logging.Formatter({LINE!r}))\n"
        "logger = logging.getLogger('rq.worker')\n"
        "logger.addHandler(handler)\n"
        "logger.setLevel(logging.INFO)\n"
        "sys.argv = ['flask', '--app', 'poster_app', 'worker']\n"
        "from flask.cli import main\n"
        "main()\n"
    )
    return [python, "-c", code]


@dataclass
class Request:
    id: str
    kind: str
    start: float  # wall clock, the bench's side
    end: float
    status: int | str
    pid: int = 0  # the gunicorn worker that answered
    served_ms: float = 0.0  # in that worker, from parsing the request to the response's end
    nth: int = 0  # its how-many-th request in that worker

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000

    @property
    def waited_ms(self) -> float:
        """Before a worker thread took it: the listen queue and the worker's thread pool."""
        return self.ms - self.served_ms


def save(folder: Path, phases: dict[str, list[Request]]) -> None:
    """The bench's side of the timeline, for `python bench/timeline.py DIR` later."""
    rows = {name: [asdict(r) for r in requests] for name, requests in phases.items()}
    (folder / "requests.json").write_text(json.dumps(rows))


def load(folder: Path) -> dict[str, list[Request]]:
    rows = json.loads((folder / "requests.json").read_text())
    return {name: [Request(**row) for row in requests] for name, requests in rows.items()}


@dataclass
class Logs:
    events: list[tuple[float, int, str]] = field(default_factory=list)  # (when, pid, what)
    jobs: list[tuple[float, float]] = field(default_factory=list)  # campaign jobs (start, end)
    served: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # id → pid, end, ms


def read_logs(folder: Path) -> Logs:
    logs = Logs()
    access = re.compile(r"^(\d+\.\d+) (\d+) (\S+) (\d+) (\d+)$")
    for line in (folder / "gunicorn.log").read_text().splitlines():
        found = access.match(line)
        if found:
            when, pid, id_, micros, _status = found.groups()
            if id_ != "-":
                logs.served[id_] = (int(pid), float(when), int(micros) / 1000)
            continue
        when, pid, message = line.split(" ", 2)
        for what, pattern in (
            ("booted", r"Booting worker with pid: (\d+)"),
            ("told to go", r"Autorestarting worker"),
            ("gone", r"Worker exiting \(pid: (\d+)\)"),
        ):
            found = re.search(pattern, message)
            if found:
                who = int(found.group(1)) if found.groups() else int(pid)
                logs.events.append((float(when), who, what))
    started: dict[str, float] = {}
    for line in (folder / "worker.log").read_text().splitlines():
        when, _pid, message = line.split(" ", 2)
        job = re.search(r"\((job-[0-9a-f]+)\)$", message)
        if not job:
            continue
        if "Job OK" in message or "failed" in message.lower():
            if job.group(1) in started:
                logs.jobs.append((started.pop(job.group(1)), float(when)))
        elif "poster_app." in message:  # RQ names the job's function as it starts it
            started[job.group(1)] = float(when)
    logs.jobs += [(start, float("inf")) for start in started.values()]
    return logs


def join(requests: list[Request], logs: Logs) -> None:
    """Each request's worker pid and time in the worker; each its n-th in that worker."""
    for request in requests:
        pid, _end, ms = logs.served.get(request.id, (0, 0.0, 0.0))
        request.pid, request.served_ms = pid, ms
    count: dict[int, int] = defaultdict(int)
    for request in sorted(requests, key=lambda r: r.end):
        count[request.pid] += 1
        request.nth = count[request.pid]


def replacements(requests: list[Request], logs: Logs) -> int:
    """How many workers were started while `requests` ran (each replaces one)."""
    begin, finish = min(r.start for r in requests), max(r.end for r in requests)
    booted = [when for when, _pid, what in logs.events if what == "booted"]
    return sum(1 for when in booted if begin <= when <= finish)


def tail_size(n: int) -> int:
    """How many of n values are at or above their p99 (load.percentile's rank)."""
    return n - max(1, round(0.99 * n)) + 1


def tail(previews: list[Request]) -> list[Request]:
    """The slowest previews, at or above p99."""
    return sorted(previews, key=lambda r: r.ms)[-tail_size(len(previews)) :]


def describe(title: str, requests: list[Request], logs: Logs, out=sys.stdout) -> None:
    """Print a phase's timeline around its preview tail."""
    if not requests:
        return
    begin, finish = min(r.start for r in requests), max(r.end for r in requests)
    previews = [r for r in requests if r.kind == "preview"]
    slow = tail(previews)
    events = [e for e in logs.events if begin - 1 <= e[0] <= finish]
    booted = {pid: when for when, pid, what in logs.events if what == "booted"}
    first_boot = min(booted.values(), default=0.0)
    replaced = {pid for pid, when in booted.items() if when > first_boot + 1}  # not the first
    print(f"  timeline, {title} ({finish - begin:.1f} s, t=0 at its first request):", file=out)
    for when, pid, what in events:
        print(f"    t={when - begin:6.2f}  worker {pid} {what}", file=out)
    jobs = [(a, b) for a, b in logs.jobs if a < finish and b > begin]
    if jobs:
        spans = ", ".join(f"{a - begin:.1f}–{min(b, finish) - begin:.1f}" for a, b in jobs)
        print(f"    campaign jobs running: {len(jobs)} ({spans} s)", file=out)
    else:
        print("    campaign jobs running: none", file=out)
    # A worker's first previews against its later ones: does a fork start cold?
    first, later = [], []
    rank: dict[int, int] = defaultdict(int)
    for r in sorted(previews, key=lambda r: r.end):
        rank[r.pid] += 1
        (first if r.pid in replaced and rank[r.pid] <= 5 else later).append(r.served_ms)
    if first:
        print(
            "    in the worker: the first 5 previews of a new worker "
            f"{statistics.median(first):.0f} ms median (n={len(first)}), "
            f"the others {statistics.median(later):.0f} ms",
            file=out,
        )
    print(
        f"    the {len(slow)} slowest previews (p99 rests on them; {len(previews)} previews):",
        file=out,
    )
    counts = {"near a replacement": 0, "in a new worker's first 20": 0, "waited > served": 0}
    for r in sorted(slow, key=lambda r: r.start):
        near = [e for e in events if r.start - 0.5 <= e[0] <= r.end]
        young = r.pid in replaced and r.nth <= 20
        running = sum(1 for a, b in jobs if a < r.end and b > r.start)
        here, there = in_flight(requests, r.start, r.pid)
        counts["near a replacement"] += bool(near)
        counts["in a new worker's first 20"] += young
        counts["waited > served"] += r.waited_ms > r.served_ms
        print(
            f"    t={r.start - begin:6.2f}  {r.ms:5.0f} ms = waited {r.waited_ms:5.0f} + served "
            f"{r.served_ms:5.0f}  pid {r.pid} #{r.nth}, in flight there {here}, elsewhere {there}"
            + (f" (booted {r.start - booted[r.pid]:.1f} s before)" if r.pid in booted else "")
            + (f"  jobs {running}" if running else "")
            + ("  " + "; ".join(f"{w} {p} at {t - begin:.2f}" for t, p, w in near) if near else ""),
            file=out,
        )
    print("    of them: " + ", ".join(f"{n} {what}" for what, n in counts.items()), file=out)
    busier, total = [], []
    for i in range(200):  # moments through the phase
        when = begin + (finish - begin) * i / 200
        by_pid = Counter(r.pid for r in requests if r.start <= when < r.end)
        busier.append(max(by_pid.values(), default=0))
        total.append(sum(by_pid.values()))
    print(
        f"    balance: the busier worker held {statistics.median(busier):.0f} of the "
        f"{statistics.median(total):.0f} requests in flight (median of 200 moments)",
        file=out,
    )


def in_flight(requests: list[Request], when: float, pid: int) -> tuple[int, int]:
    """How many requests were in flight at `when`: answered by `pid`, and by others."""
    here = there = 0
    for r in requests:
        if r.start <= when < r.end:
            if r.pid == pid:
                here += 1
            else:
                there += 1
    return here, there


if __name__ == "__main__":  # the timeline of a run kept with `load.py --campaign --timeline DIR`
    folder = Path(sys.argv[1])
    phases, logs = load(folder), read_logs(folder)
    join([r for requests in phases.values() for r in requests], logs)
    for name, requests in phases.items():
        describe(name, requests, logs)
