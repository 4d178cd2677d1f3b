"""Gallery page server time with 10,000 kept banners (a benchmark, not a test).

Inserts the rows directly (no rendering: the gallery only links to thumbnail files), then times
GET /gallery through the WSGI app for the first page, a deep page, and each filter.

    .venv/bin/python bench/gallery.py [--banners 10000] [--runs 40]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LANGS = ["en", "ru", "es", "ar", "zh", "ta", "ms", "de", "fr", "uk"]
COUNTRIES = ["AU", "MY", "LK", "PG", "RU", "ID", "NZ", "JP", "DE", "FR"]


def fill(app, banners: int, actions: int = 200) -> None:
    """Insert actions and kept banners straight into the tables."""
    from poster_app.extensions import db
    from poster_app.models import Action, Banner

    rng = random.Random(4)
    start = datetime(2020, 1, 1)
    with app.app_context():
        db.session.execute(
            db.insert(Action),
            [
                {
                    "id": i + 1,
                    "title": f"Action {i}",
                    "year": 2020 + i % 5,
                    "month": 1 + i % 12,
                    "day": None if i % 3 else 1 + i % 28,
                    "place": f"Place {i}",
                    "country": COUNTRIES[i % len(COUNTRIES)],
                    "description": "",
                    "created_at": start,
                }
                for i in range(actions)
            ],
        )
        rows = []
        for i in range(banners):
            lang = LANGS[i % len(LANGS)]
            text = f"Slogan number {i} freedom {rng.randrange(10_000)}"
            spec = {"text": text, "lang": lang, "size": "a3"}
            rows.append(
                {
                    "id": f"{i:020x}",
                    "spec_json": json.dumps(spec),
                    "lang": lang,
                    "page": "a3",
                    "text": text,
                    "search": text.casefold(),
                    "engine": "1",
                    "created_at": start + timedelta(minutes=i),
                    "published": i % 10 != 0,
                    "action_id": rng.randrange(1, actions + 1) if i % 2 else None,
                }
            )
        db.session.execute(db.insert(Banner), rows)
        db.session.commit()


def timed(client, url: str, runs: int) -> list[float]:
    client.get(url)  # warm: templates compiled, statements cached
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, url
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--banners", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args()
    from poster_app import create_app

    with tempfile.TemporaryDirectory() as data:
        app = create_app({"SECRET_KEY": "bench", "POSTER_DATA_DIR": data})
        t0 = time.perf_counter()
        fill(app, args.banners)
        print(f"inserted {args.banners} banners in {time.perf_counter() - t0:.1f} s")
        client = app.test_client()
        print(f"{'page':42} {'median ms':>10} {'p95 ms':>8}")
        for url in [
            "/gallery",
            "/gallery?page=200",
            "/gallery?lang=ru",
            "/gallery?country=MY",
            "/gallery?action=17",
            "/gallery?q=freedom+12",
            "/api/banners?lang=ru&page=3",
            "/actions",
        ]:
            times = sorted(timed(client, url, args.runs))
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{url:42} {statistics.median(times):10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
