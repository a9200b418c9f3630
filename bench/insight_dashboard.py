"""Bench: the insight dashboards with 1 million credentials and 5 million events, on PostgreSQL.

    .venv/bin/python bench/insight_dashboard.py                     # 1M credentials, 5M events
    .venv/bin/python bench/insight_dashboard.py --credentials 100000 --events 500000
    .venv/bin/python bench/insight_dashboard.py --database-url postgresql://postgres@127.0.0.1:5432/x

Builds the volume on a fresh database (the demo world, 200 extra achievements over a college
with three sub-units, then credential rows written with COPY, unsigned: the dashboards never
read documents), pushes the events through the same rollup upsert the event handlers use
(``insight.counting.add``, in batches as bulk chunks would arrive), then asks the issuer
dashboard, its CSV export and ``GET /api/v1/stats`` ``--requests`` times each through the
WSGI app (one logged-in session, one API token) and ``/statistieken`` cold and cached.
Prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import statistics
import sys
import tempfile
import time
import uuid as uuidlib
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bulk import fresh_postgres

EVENT_MIX = {"claimed": 0.14, "shared": 0.06, "viewed": 0.30, "verified": 0.24, "revoked": 0.01,
             "suspended": 0.004, "expiring": 0.046}  # the rest of 5M besides one "issued" each


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(1000 * statistics.median(ordered), 1),
            "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
            "max_ms": round(1000 * ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--credentials", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/insight_bench")
    parser.add_argument("--measure-only", action="store_true",
                        help="skip building: measure the requests on a database an earlier run built")
    args = parser.parse_args()

    from badges import create_app
    from badges.accounts.passwords import hash_password
    from badges.catalogue.models import Achievement, AchievementKind, AchievementState
    from badges.demo.loader import load_demo
    from badges.insight import counting
    from badges.issuing.models import Credential, CredentialState
    from badges.kernel.bulk_rows import insert_rows, with_defaults
    from badges.kernel.db import db
    from badges.organisations.api_tokens import create_api_token
    from badges.organisations.models import Organisation, OrganisationKind

    rng = random.Random(7)  # noqa: S311 - synthetic data, repeatable
    url = args.database_url if args.measure_only else fresh_postgres(args.database_url)
    tmp = tempfile.mkdtemp(prefix="insight-bench-")
    app = create_app({"INSTANCE_DIR": tmp, "DATABASE_URL": url, "SECRET_KEY": "bench",
                      "BASE_URL": "https://skillspas.example", "RATELIMIT_ENABLED": False,
                      "INSIGHT_REGIONAL_CACHE_SECONDS": 600})
    logging.getLogger("badges").setLevel(logging.ERROR)
    figures: dict = {"database": "postgresql", "credentials": args.credentials}
    now = datetime.now(UTC)
    if args.measure_only:
        with app.test_request_context():
            token = create_api_token(db.session.scalar(db.select(Organisation).filter_by(
                slug="maasvallei-zorg-welzijn")), "bench")
            figures["credentials"] = db.session.scalar(db.text("SELECT count(*) FROM credential"))
            figures["rollup_rows"] = db.session.scalar(db.text("SELECT count(*) FROM daily_count"))
            db.session.commit()
        _measure(app, token, now, args, figures)
        return
    with app.test_request_context():
        db.create_all()
        load_demo()
        college = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
        units = [college]
        for i in range(3):
            unit = Organisation(name=f"Team {i}", slug=f"bench-team-{i}", kind=OrganisationKind.COLLEGE,
                                parent_id=college.id)
            db.session.add(unit)
            units.append(unit)
        db.session.flush()
        kinds = list(AchievementKind)
        achievements = []
        for i in range(200):
            made = Achievement(organisation=units[i % len(units)], kind=kinds[i % len(kinds)],
                               state=AchievementState.PUBLISHED, name=f"Bench {i}", description="b",
                               criteria_md="b", mbo_level=str(1 + i % 4))
            db.session.add(made)
            achievements.append(made)
        db.session.flush()
        pairs = [(a.organisation_id, a.id) for a in achievements]
        from badges.accounts.models import User
        admin = db.session.scalar(db.select(User).filter_by(email="beheer@rocdemaasvallei.example"))
        admin.password_hash = hash_password("bench-password-1")
        token = create_api_token(college, "bench")
        db.session.commit()

        # 1. credential rows (COPY), two years back
        now = datetime.now(UTC)
        table = Credential.__table__
        t0 = time.perf_counter()
        batch: list[dict] = []
        issued_days: list[tuple[int, int, datetime]] = []
        for i in range(args.credentials):
            org_id, ach_id = pairs[rng.randrange(len(pairs))]
            at = now - timedelta(seconds=rng.randrange(730 * 86400))
            row = with_defaults(table, {
                "uuid": str(uuidlib.UUID(int=rng.getrandbits(128))), "organisation_id": org_id,
                "achievement_id": ach_id, "recipient_email": f"b{i}@example.nl", "issued_at": at,
                "valid_from": at, "state": CredentialState.ACTIVE, "document": {"bench": True},
                "created_at": at})
            del row["id"]  # the sequence numbers them
            batch.append(row)
            issued_days.append((org_id, ach_id, at))
            if len(batch) == 50_000:
                insert_rows(db.session, table, batch)
                db.session.commit()
                batch = []
        if batch:
            insert_rows(db.session, table, batch)
            db.session.commit()
        figures["credential_rows_s"] = round(time.perf_counter() - t0, 1)

        # 2. the events: folded into counts, then through the rollup upsert the handlers use
        t0 = time.perf_counter()
        counts: Counter = Counter()
        for org_id, ach_id, at in issued_days:
            counts[(org_id, ach_id, at.date(), "issued")] += 1
        events = len(issued_days)
        metrics_, weights = zip(*EVENT_MIX.items(), strict=True)
        for _ in range(max(0, args.events - events) // 100_000 + 1):
            n = min(100_000, args.events - events)
            if n <= 0:
                break
            for metric, pick in zip(rng.choices(metrics_, weights=weights, k=n),
                                    rng.choices(issued_days, k=n), strict=True):
                org_id, ach_id, at = pick
                day = min((at + timedelta(days=rng.randrange(60))).date(), now.date())
                counts[(org_id, ach_id, day, metric)] += 1
            events += n
        counting.add(counts)
        db.session.commit()
        figures["events"] = events
        figures["events_folded_into_rollups_s"] = round(time.perf_counter() - t0, 1)

        # The live path: events as handlers see them, a bulk chunk (250) at a time.
        t0 = time.perf_counter()
        live = 0
        for _ in range(40):
            chunk: Counter = Counter()
            for org_id, ach_id, _at in rng.choices(issued_days, k=250):
                chunk[(org_id, ach_id, now.date(), "claimed")] += 1
            counting.add(chunk)
            db.session.commit()
            live += 250
        figures["live_events_per_s"] = round(live / (time.perf_counter() - t0))
        figures["rollup_rows"] = db.session.scalar(db.text("SELECT count(*) FROM daily_count"))
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    _measure(app, token, now, args, figures)


def _measure(app, token: str, now: datetime, args: argparse.Namespace, figures: dict) -> None:
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    login = client.post("/login", data={"email": "beheer@rocdemaasvallei.example",
                                        "password": "bench-password-1", "csrf_token": csrf})
    assert login.status_code == 302, login.status_code
    slug = "maasvallei-zorg-welzijn"
    asks = {
        "dashboard_12_months": f"/issuer/{slug}/cijfers",
        "dashboard_2_years_by_week": f"/issuer/{slug}/cijfers?granularity=week&from="
                                     f"{(now - timedelta(days=730)).date()}",
        "dashboard_csv": f"/issuer/{slug}/cijfers?format=csv&table=achievements",
        "api_stats": "/api/v1/stats",
    }
    headers = {"Authorization": f"Bearer {token}"}
    for name, path in asks.items():
        samples = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            answer = client.get(path, headers=headers if path.startswith("/api") else {})
            samples.append(time.perf_counter() - t0)
            assert answer.status_code == 200, (path, answer.status_code)
        figures[name] = percentiles(samples)
    t0 = time.perf_counter()
    assert client.get("/statistieken").status_code == 200
    figures["statistieken_cold_ms"] = round(1000 * (time.perf_counter() - t0), 1)
    figures["statistieken_cached"] = percentiles([_timed(client, "/statistieken") for _ in range(50)])
    print(json.dumps(figures, indent=2))


def _timed(client, path: str) -> float:
    t0 = time.perf_counter()
    assert client.get(path).status_code == 200
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
