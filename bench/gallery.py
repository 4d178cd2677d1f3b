"""Gallery and list server times at 100,000 banners, on SQLite or PostgreSQL (a benchmark, not a
test).

Inserts the rows directly (no rendering: the gallery only links to thumbnail files): actions,
banners (nine in ten kept, half linked to an action) and campaigns of 12 banners (one banner
in twenty belongs to one), then times each page through the WSGI app and checks the issue's
targets. With DATABASE_URL naming PostgreSQL it runs there (`.ci/with-postgres` makes one).
`--explain` prints the query plans of the gallery's first page.

    .venv/bin/python bench/gallery.py [--banners 100000] [--runs 40] [--explain]
    .ci/with-postgres .venv/bin/python bench/gallery.py
"""

from __future__ import annotations

import argparse
import json
import os
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
CAMPAIGN_SIZE = 12
TARGETS_MS = {  # median, from the issue
    "/gallery": 30,
    "/gallery?lang=ru": 30,
    "API last page": 20,
    "/api/actions": 50,
    "/actions.atom": 30,
}


def fill(app, banners: int, actions: int = 200) -> str:
    """Insert actions, campaigns and banners straight into the tables; return a campaign id."""
    from poster_app.extensions import db
    from poster_app.models import Action, Banner, Campaign

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
        campaigns = [f"{c:020x}"[::-1] for c in range(banners // 20 // CAMPAIGN_SIZE + 1)]
        db.session.execute(
            db.insert(Campaign),
            [
                {"id": cid, "title": f"Campaign {n}", "phrase": "", "state": "done"}
                for n, cid in enumerate(campaigns)
            ],
        )
        rows = []
        for i in range(banners):
            lang = LANGS[i % len(LANGS)]
            text = f"Slogan number {i} freedom {rng.randrange(10_000)}"
            spec = {"text": text, "lang": lang, "size": "a3"}
            in_campaign = i % 20 == 0
            rows.append(
                {
                    "id": f"{i:020x}",
                    "spec_json": json.dumps(spec),
                    "lang": lang,
                    "page": "a3",
                    "text": text,
                    "search": text.casefold(),
                    "engine": "1",
                    # A campaign's banners are made within a minute of each other.
                    "created_at": start + timedelta(minutes=i),
                    "published": i % 10 != 5,  # campaigns (i % 20 == 0) kept too
                    "action_id": rng.randrange(1, actions + 1) if i % 2 else None,
                    "campaign_id": campaigns[i // 20 // CAMPAIGN_SIZE] if in_campaign else None,
                }
            )
        for chunk in range(0, len(rows), 10_000):
            db.session.execute(db.insert(Banner), rows[chunk : chunk + 10_000])
        db.session.commit()
        return campaigns[len(campaigns) // 2]


def timed(client, url: str, runs: int) -> list[float]:
    client.get(url)  # warm: templates compiled, statements cached
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, url
    return times


def vacuum(app) -> None:
    """What autovacuum does on a live PostgreSQL server soon after a bulk load (PostgreSQL 13 and
    later vacuum after inserts too): the planner's statistics (without them it guesses, and may
    pick a worse index) and the visibility map (without it an index-only scan visits the table
    for every row, and the first reads of each row write its hint bits)."""
    from poster_app.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(db.text("VACUUM ANALYZE"))


def explain(app) -> None:
    """The plans of the gallery's queries, as the database will run them."""
    from poster_app.extensions import db
    from poster_app.queries import Filters

    with app.app_context():
        dialect = db.engine.dialect.name
        prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN ANALYZE "
        for name, filters in (("gallery", Filters()), ("lang=ru", Filters(lang="ru"))):
            stmt = filters.where(db.select(db.text("banner.campaign_id, banner.id"))).order_by(
                db.text("banner.created_at DESC, banner.id DESC")  # as queries.NEWEST_FIRST
            )
            sql = str(stmt.limit(500).compile(db.engine, compile_kwargs={"literal_binds": True}))
            print(f"-- {name}: {sql}")
            for row in db.session.execute(db.text(prefix + sql)):
                print("   ", " | ".join(str(part) for part in row))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--banners", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--explain", action="store_true")
    args = ap.parse_args()
    from poster_app import create_app

    with tempfile.TemporaryDirectory() as data:
        app = create_app({"SECRET_KEY": "bench", "POSTER_DATA_DIR": data})
        database = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
        t0 = time.perf_counter()
        campaign = fill(app, args.banners)
        print(f"{database}: inserted {args.banners} banners in {time.perf_counter() - t0:.1f} s")
        if database.startswith("postgresql"):
            vacuum(app)
        if args.explain:
            explain(app)
        client = app.test_client()
        last = client.get("/api/banners?per_page=50").get_json()["pages"]
        cursor = client.get(f"/api/banners?per_page=50&page={last - 1}").get_json()["next"]
        urls = {
            "/gallery": "/gallery",
            "/gallery?page=200": "/gallery?page=200",
            "/gallery?lang=ru": "/gallery?lang=ru",
            "/gallery?country=MY": "/gallery?country=MY",
            "/gallery?action=17": "/gallery?action=17",
            "/gallery?q=freedom+12": "/gallery?q=freedom+12",
            "/api/banners?lang=ru&page=3": "/api/banners?lang=ru&page=3",
            "API last page": cursor,
            f"API last page (?page={last})": f"/api/banners?per_page=50&page={last}",
            "/api/actions": "/api/actions",
            "/actions.atom": "/actions.atom",
            "/actions": "/actions",
            "/campaigns/<id>": f"/campaigns/{campaign}",
        }
        print(f"{'page':42} {'median ms':>10} {'p95 ms':>8}  target")
        met = True
        for name, url in urls.items():
            times = sorted(timed(client, url, args.runs))
            p95 = times[int(len(times) * 0.95) - 1]
            median = statistics.median(times)
            target = TARGETS_MS.get(name)
            verdict = (
                ""
                if target is None
                else f"<= {target}: " + ("met" if median <= target else "NOT met")
            )
            met = met and (target is None or median <= target)
            print(f"{name:42} {median:10.1f} {p95:8.1f}  {verdict}")
        print(f"targets {'met' if met else 'NOT met'} on {database} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
