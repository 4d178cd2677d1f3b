"""The app as `make run` starts it: its own data dir, a free port, a real server process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FLASK = ROOT / ".venv" / "bin" / "flask"
STARTED = re.compile(r"Running on (http://127\.0\.0\.1:\d+)")
START_TIMEOUT = 180  # s: `make run` seeds the demo (renders its banners) before serving


@dataclass(frozen=True)
class Instance:
    url: str
    data_dir: Path
    env: dict
    log: Path
    editors: list[str] = field(default_factory=list)  # made on it by the tests, in order

    def flask(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        """Run `flask --app poster_app ARGS` on this instance, as its operator would."""
        return subprocess.run(
            [str(FLASK), "--app", "poster_app", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=self.env,
            timeout=120,
        )


@contextmanager
def make_run(data_dir: Path):
    """Start `make run PORT=0` on `data_dir`; yield the Instance once it serves; stop it."""
    env = {**os.environ, "POSTER_DATA_DIR": str(data_dir)}
    for name in ("SECRET_KEY", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"):
        env.pop(name, None)  # as on a fresh shell: the data dir makes its own secret key
    log = data_dir.parent / f"{data_dir.name}-server.log"
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", "PORT=0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: make, flask and all stop together
    )
    found: dict[str, str] = {}
    ready = threading.Event()

    def read() -> None:  # keep reading, so the server never blocks on a full pipe
        with log.open("w") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()
                if not found and (match := STARTED.search(line)):
                    found["url"] = match[1]
                    ready.set()
        ready.set()  # the process ended

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(START_TIMEOUT) or "url" not in found:
            raise RuntimeError(f"`make run` did not start; its output:\n{log.read_text()[-3000:]}")
        yield Instance(found["url"], data_dir, env, log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        reader.join(timeout=10)
        process.stdout.close()
