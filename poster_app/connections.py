"""The shared Redis connection: one client per app process for REDIS_URL, or None without it.

Jobs (RQ, jobs.py) and rate-limit counts use it, so with several app servers and workers
everything that must be shared is in PostgreSQL or in this one Redis.
"""

from __future__ import annotations

from flask import current_app


def redis_connection():
    """The app's Redis client (made once per process), or None when REDIS_URL is not set."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    clients = current_app.extensions.setdefault("redis", {})
    if url not in clients:
        from redis import Redis

        # Timeouts: a Redis that went away answers a request with an error, not a hang.
        clients[url] = Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
    return clients[url]
