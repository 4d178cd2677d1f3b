"""Real processes for the several-server tests: redis-server, gunicorn app servers and
`flask worker`s, each in its own process group (so SIGKILL takes its children too), and
waiting on conditions with generous deadlines (the machine may be busy)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(
    condition: Callable[[], object], what: str, timeout: float = 180, every: float = 0.1
) -> object:
    """Poll `condition` (`every` seconds) until it returns something true; fail naming `what`
    after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = condition()
        except OSError:
            found = None
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)


class Process:
    """A child in its own session; killed (SIGKILL to its group) or stopped (SIGTERM)."""

    def __init__(self, args: list[str], env: dict, log: Path):
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group, as a crashed machine would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


class Redis(Process):
    def __init__(self, folder: Path):
        server = shutil.which("redis-server")
        assert server, "redis-server is not installed (apt-get install redis-server)"
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        folder.mkdir(parents=True, exist_ok=True)
        args = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(folder)]
        super().__init__(args, dict(os.environ), folder / "redis.log")
        wait_until(self._pong, "redis-server to answer", 60)

    def _pong(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")


class AppServer(Process):
    """gunicorn -w 2 --threads 4 serving the app, as the README's production set-up (with
    gunicorn.conf.py; `options` are more of gunicorn's flags)."""

    def __init__(self, env: dict, log: Path, options: tuple[str, ...] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [str(BIN / "gunicorn"), "-w", "2", "--threads", "4", *options]
        args += ["-b", f"127.0.0.1:{self.port}", "poster_app:create_app()"]
        super().__init__(args, env, log)

    def ready(self, timeout: float = 180) -> AppServer:
        def up():
            assert self.alive(), f"the app server died:\n{self.output()}"
            return self.get("/")[0] == 200

        wait_until(up, f"the app server on {self.url}", timeout)
        return self

    def get(self, path: str) -> tuple[int, bytes, dict]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=120) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def post_json(self, path: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def get_json(self, path: str) -> dict:
        status, body, _headers = self.get(path)
        assert status == 200, (path, status, body[:300])
        return json.loads(body)


class Worker(Process):
    def __init__(self, env: dict, log: Path):
        super().__init__([str(BIN / "flask"), "--app", "poster_app", "worker"], env, log)


# What the kernel says of a process (Linux /proc).


def children(pid: int) -> set[int]:
    """The process's children (a gunicorn master's workers)."""
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(each) for each in found}


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_handles(pid: int) -> set[str]:
    """What the process's file descriptors point to: paths, and `socket:[inode]` for sockets
    (one socket held by two processes shows the same inode in both)."""
    handles = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed meanwhile
            handles.add(os.readlink(fd))
    return handles


def clients_of(pid: int, port: int) -> int:
    """How many connections accepted on `port` the process holds (not its database's)."""
    accepted = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            listening = fields[3] == "0A"  # TCP_LISTEN
            if int(fields[1].rsplit(":", 1)[1], 16) == port and not listening:
                accepted.add(f"socket:[{fields[9]}]")
    return len(accepted & open_handles(pid))
