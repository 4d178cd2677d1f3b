"""Log-in throttling slows guessing per account and per address without ever locking the real
editor out; an unknown name is refused after the same work as a known one; passwords are
hashed with OWASP's scrypt settings, and old hashes are upgraded at the next log-in."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from poster_app.extensions import db
from poster_app.models import PASSWORD_METHOD, Editor
from poster_app.throttle import (
    CAP,
    FREE,
    LoginThrottle,
    MemoryCounts,
    StorageCounts,
    counts_for,
    wait_after,
)
from tests.web_helpers import Clock, password_checked_once


def test_waits_grow_after_a_few_attempts_and_stop_at_a_minute():
    assert [wait_after(n) for n in range(1, FREE)] == [0] * (FREE - 1)
    assert [wait_after(n) for n in range(FREE, FREE + 4)] == [2, 4, 8, 16]
    assert wait_after(10_000) == CAP == 60


def test_attempts_are_counted_per_account_and_per_address():
    clock = Clock()
    throttle = LoginThrottle(MemoryCounts(), clock)
    assert [throttle.attempt("anna", "198.51.100.1") for _ in range(FREE)] == [0] * FREE
    assert throttle.attempt("anna", "198.51.100.2") == 2  # the account waits, from anywhere
    assert throttle.attempt("ivan", "198.51.100.1") == 2  # and so does the address, for anyone
    assert throttle.attempt("ivan", "198.51.100.3") == 0
    clock.now += 2
    assert throttle.attempt("ANNA ", "198.51.100.2") == 0  # names as the log-in reads them
    assert throttle.attempt("anna", "198.51.100.2") == 4


def test_a_thousand_guesses_never_lock_the_editor_out():
    clock = Clock()
    throttle = LoginThrottle(MemoryCounts(), clock)
    for n in range(1000):  # from many addresses: the account is what they share
        wait = throttle.attempt("anna", f"10.0.{n // 250}.{n % 250}")
        clock.now += wait or 0.001
        assert wait <= CAP
    waits = [throttle.attempt("anna", "192.0.2.1") for _ in range(2)]
    assert 0 < max(waits) <= CAP
    clock.now += max(waits)
    assert throttle.attempt("anna", "192.0.2.1") == 0  # the editor's turn, a minute at most
    throttle.succeeded("anna", "192.0.2.1")
    assert throttle.attempt("anna", "192.0.2.1") == 0  # and a success clears the count


def test_counts_are_forgotten_a_day_after_the_last_attempt():
    clock = Clock()
    throttle = LoginThrottle(MemoryCounts(), clock)
    for _ in range(FREE + 3):
        clock.now += throttle.attempt("anna", "a") + 0.001
    clock.now += 24 * 3600 + 60
    assert [throttle.attempt("anna", "a") for _ in range(FREE)] == [0] * FREE


def test_the_memory_keeps_a_bounded_number_of_names():
    counts = MemoryCounts(size=100)
    throttle = LoginThrottle(counts, Clock())
    for n in range(1000):
        throttle.attempt(f"name{n}", "a")
    assert len(counts._keys) <= 100


def test_workers_sharing_a_store_count_together():
    """With RATELIMIT_STORAGE_URI naming Redis, every worker and server counts in one store:
    guesses spread over workers (and addresses) wait as if one process had seen them all."""
    from limits.storage import MemoryStorage

    store = MemoryStorage()  # one store, as Redis is for every process
    workers = [LoginThrottle(StorageCounts(store)) for _ in range(2)]
    waits = [workers[n % 2].attempt("anna", f"198.51.100.{n}") for n in range(FREE + 1)]
    assert waits == [0] * FREE + [2]
    time.sleep(2.05)
    assert workers[1].attempt("anna", "198.51.100.99") == 0
    assert workers[0].attempt("anna", "198.51.100.98") == 4
    assert workers[0].attempt("ivan", "198.51.100.97") == 0  # another account
    workers[1].succeeded("anna", "198.51.100.96")
    assert workers[0].attempt("anna", "198.51.100.95") == 0


def test_without_a_shared_store_the_counts_live_in_the_process():
    assert isinstance(counts_for("memory://"), MemoryCounts)


@contextmanager
def each_pair_checked_once():
    """Inside, a (hash, password) pair is checked with scrypt once per process, a known
    name's (web_helpers.password_checked_once) and an unknown name's (logins checks it with
    werkzeug's function against a hash of its own) alike: for the tests of what the throttle
    counts and answers, where each guess repeats the same wrong password (0.3-0.5 s of CPU a
    check). The tests of the check itself (an unknown name costs the same check, the upgrade
    of old hashes) and the burst of parallel guesses check every time."""
    import werkzeug.security

    from poster_app import models

    with password_checked_once(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(werkzeug.security, "check_password_hash", models.check_password_hash)
        yield


def wrong(client, name="anna", addr="203.0.113.5"):
    return client.post(
        "/login", data={"name": name, "password": "wrong guess"}, environ_base={"REMOTE_ADDR": addr}
    )


@each_pair_checked_once()
def test_the_log_in_page_asks_to_wait_and_then_lets_the_editor_in(client, editor, throttle_clock):
    assert [wrong(client).status_code for _ in range(FREE)] == [422] * FREE
    over = wrong(client)
    assert over.status_code == 429 and over.headers["Retry-After"] == "2"
    assert "Wait 2 seconds, then try again" in over.get_data(as_text=True)
    # Even the right password waits its turn (else waiting would tell a guess was right) …
    right = {"name": editor[0], "password": editor[1]}
    assert client.post("/login", data=right).status_code == 429
    throttle_clock.now += 2
    # … then goes through, from any address.
    assert client.post("/login", data=right).status_code == 303
    assert client.get("/actions/new").status_code == 200


@each_pair_checked_once()
def test_an_unknown_name_is_throttled_and_refused_like_a_known_one(client, editor, throttle_clock):
    known = [wrong(client, "anna", "198.51.100.1") for _ in range(FREE + 1)]
    unknown = [wrong(client, "nobody", "198.51.100.2") for _ in range(FREE + 1)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert known[0].get_data() == unknown[0].get_data().replace(b"nobody", b"anna")


def test_an_unknown_name_costs_the_same_password_check(client, editor, monkeypatch):
    import werkzeug.security

    checked = []
    real = werkzeug.security.check_password_hash

    def spy(stored, password):
        checked.append(stored.split("$")[0])
        return real(stored, password)

    monkeypatch.setattr(werkzeug.security, "check_password_hash", spy)
    monkeypatch.setattr("poster_app.models.check_password_hash", spy)
    wrong(client, "anna")
    wrong(client, "nobody")
    assert checked == [PASSWORD_METHOD, PASSWORD_METHOD]


def test_a_burst_of_parallel_guesses_is_counted(app, editor, throttle_clock):
    def guess(_):
        return wrong(app.test_client()).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(guess, range(20)))
    assert statuses.count(422) == FREE and statuses.count(429) == 20 - FREE


def test_passwords_use_owasps_scrypt_settings_and_old_hashes_are_upgraded(app, client):
    from werkzeug.security import generate_password_hash

    with app.app_context():
        old = Editor(name="olga", password_hash=generate_password_hash("a long password", "scrypt"))
        db.session.add(old)
        db.session.commit()
        assert old.password_hash.startswith("scrypt:32768:8:1$") and old.password_outdated
    response = client.post("/login", data={"name": "olga", "password": "a long password"})
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalars(db.select(Editor.password_hash)).one()
    assert stored.startswith("scrypt:16384:8:5$")  # N=2^14, r=8, p=5: 16 MiB a check


def test_two_servers_on_one_redis_count_guesses_together(tmp_path):
    """RATELIMIT_STORAGE_URI (or REDIS_URL) naming Redis: each server's throttle opens its own
    connection, and guesses spread over them wait as if one process had seen them all."""
    from tests.process_helpers import Redis

    redis = Redis(tmp_path / "redis")
    try:
        servers = [LoginThrottle(counts_for(redis.url)) for _ in range(2)]
        assert all(isinstance(s.counts, StorageCounts) for s in servers)
        waits = [servers[n % 2].attempt("anna", f"198.51.100.{n}") for n in range(FREE + 1)]
        assert waits == [0] * FREE + [2]
        servers[0].succeeded("anna", "198.51.100.9")
        assert servers[1].attempt("anna", "198.51.100.8") == 0
    finally:
        redis.stop()
