"""One anonymous request can't take the site down any more: while six clients keep sending the
costliest specs (500 Chinese characters with two 500-character translations) to gunicorn as
shipped, the gallery answers within 2 s at p95 (it took 151 s before). The engine's own test
(tests/engine/test_plan_cost.py) holds planning to its budget; here the render slots keep the
rest of the site free."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from load import costly_spec, percentile, request  # noqa: E402
from preview_latency import free_port  # noqa: E402

from tests.process_helpers import children, clients_of, wait_until  # noqa: E402

BIN = Path(sys.executable).parent


@pytest.mark.slow
def test_the_gallery_stays_up_while_six_clients_send_costly_specs(tmp_path, migrated_db):
    from db_helpers import seed_data_dir

    port = free_port()
    env = {
        **os.environ,
        "POSTER_DATA_DIR": str(seed_data_dir(tmp_path / "data", migrated_db)),  # migrated
        "SECRET_KEY": "costly",
        "TRUSTED_PROXIES": "1",  # each client its own address, as behind the shipped nginx
    }
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-b", f"127.0.0.1:{port}", "poster_app:create_app()"],
        cwd=ROOT,  # gunicorn.conf.py as shipped
        env=env,
        start_new_session=True,
        stderr=subprocess.DEVNULL,
    )
    stop = threading.Event()
    answers: list[int] = []
    attackers: list[threading.Thread] = []

    def attack(i: int):
        k = 0
        while not stop.is_set():
            try:
                spec = costly_spec(i * 1000 + k)
                status = request(port, "POST", "/api/banners", spec, f"203.0.113.{i}")[0]
            except OSError:
                status = 0
            if not stop.is_set():  # (the server is stopped under the last ones)
                answers.append(status)
            k += 1

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if request(port, "GET", "/gallery")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        attackers += [threading.Thread(target=attack, args=(i,)) for i in range(1, 7)]
        for thread in attackers:
            thread.start()

        # The slots are full once the workers hold the six costly requests: each renders one
        # and queues the others (a costly spec holds its slot for seconds). A fixed 3 s wait
        # here was 3 s more of the attack's CPU (both cores) before the first probe.
        def holding_all() -> bool:
            workers = children(server.pid)
            return sum(clients_of(pid, port) for pid in workers) == len(attackers)

        wait_until(holding_all, "the workers to hold the six costly requests", 30)
        times = []
        for _ in range(25):
            start = time.perf_counter()
            assert request(port, "GET", "/gallery", client="198.51.100.1")[0] == 200
            times.append(time.perf_counter() - start)
            time.sleep(0.3)
        wait_until(lambda: answers, "an answer to the attackers", 120)  # (a busy machine)
    finally:
        # Measured: stop the server at once (SIGKILL to its group), not after the costly
        # specs in the slots and the queue (SIGTERM waits for all of them, gunicorn's quick
        # SIGQUIT for those being rendered: up to 1 s of CPU each).
        stop.set()
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(30)
        for thread in attackers:
            thread.join(60)
    assert percentile(times, 95) < 2.0, (statistics.median(times), sorted(times)[-3:])
    assert answers and set(answers) <= {201, 503}, set(answers)  # busy, never broken
