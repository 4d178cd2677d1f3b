"""Log-in throttling that slows guessing without ever locking the real editor out.

Every attempt on an account and from an address is counted before the password is checked
(so a burst of parallel guesses counts too). The first FREE attempts go through; after that
each must wait twice as long as the one before — 2 s, 4 s, 8 s … — but never more than CAP.
An attacker gets about a guess a minute per account and per address; the real editor, on a
shared address (Tor, a VPN, a campaign office's Wi-Fi) or with an account under attack,
waits a minute at worst, never a day. A success clears both counts; a count is forgotten a
day after its last attempt.

The counts live in this process (MemoryCounts), or where the rate limits keep theirs when
RATELIMIT_STORAGE_URI names a shared store such as Redis (StorageCounts), so that every worker
and server counts together: with per-process counts, each worker would allow its own guesses.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

FREE = 5  # attempts before any wait
CAP = 60  # seconds: the longest wait
FORGET = 24 * 3600  # seconds after the last attempt


def wait_after(attempts: int) -> float:
    """Seconds before the next attempt, after this many."""
    if attempts < FREE:
        return 0.0
    return float(min(2 ** (attempts - FREE + 1), CAP))


class MemoryCounts:
    """Attempts per key in this process, at most `size` keys (the oldest are forgotten)."""

    def __init__(self, size: int = 10_000):
        self.size = size
        self._keys: OrderedDict[str, tuple[int, float]] = OrderedDict()  # key → (attempts, next)
        self._lock = threading.Lock()

    def attempt(self, key: str, now: float) -> float:
        """Count an attempt and return 0, or return the seconds to wait (nothing counted)."""
        with self._lock:
            attempts, allowed_at = self._keys.get(key, (0, 0.0))
            if attempts and now - allowed_at > FORGET:
                attempts, allowed_at = 0, 0.0
            if now < allowed_at:
                return allowed_at - now
            attempts += 1
            self._keys[key] = (attempts, now + wait_after(attempts))
            self._keys.move_to_end(key)
            while len(self._keys) > self.size:
                self._keys.popitem(last=False)
            return 0.0

    def clear(self, key: str) -> None:
        with self._lock:
            self._keys.pop(key, None)


class StorageCounts:
    """Attempts per key in a `limits` storage (Redis, Memcached…), shared by every process.

    An attempt increments the key's count (kept a day from its first attempt: the store
    expires keys, it cannot push their end back) and, once there is a wait, writes a second key
    that expires when the wait is over. Between two processes the worst race lets one extra
    attempt through, counted.
    """

    PREFIX = "poster_app/login/"

    def __init__(self, storage):
        self.storage = storage

    def attempt(self, key: str, now: float) -> float:
        wait_key = f"{self.PREFIX}{key}/wait"
        if self.storage.get(wait_key) > 0:
            return max(self.storage.get_expiry(wait_key) - time.time(), 0.001)
        attempts = self.storage.incr(self.PREFIX + key, FORGET)
        wait = wait_after(attempts)
        if wait:
            self.storage.incr(wait_key, math.ceil(wait))
        return 0.0

    def clear(self, key: str) -> None:
        self.storage.clear(self.PREFIX + key)
        self.storage.clear(f"{self.PREFIX}{key}/wait")


def counts_for(storage_uri: str) -> MemoryCounts | StorageCounts:
    """Counts where the rate limits keep theirs (RATELIMIT_STORAGE_URI): this process's memory
    for memory://, else that shared store."""
    if storage_uri.startswith("memory://"):
        return MemoryCounts()
    from limits.storage import storage_from_string

    return StorageCounts(storage_from_string(storage_uri))


class LoginThrottle:
    """Counts attempts per account (the name typed, known or not) and per client address."""

    def __init__(self, counts=None, clock=time.time):
        self.counts = counts if counts is not None else MemoryCounts()
        self.clock = clock

    def attempt(self, name: str, address: str) -> int:
        """0: go ahead (the attempt is counted); else the whole seconds to wait."""
        now = self.clock()
        for key in self._keys(name, address):
            wait = self.counts.attempt(key, now)
            if wait > 0:
                return math.ceil(wait)
        return 0

    def succeeded(self, name: str, address: str) -> None:
        for key in self._keys(name, address):
            self.counts.clear(key)

    @staticmethod
    def _keys(name: str, address: str) -> tuple[str, str]:
        return f"account:{name.strip().casefold()}", f"address:{address}"
