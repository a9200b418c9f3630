"""Passport page server time for a learner with 300 credentials.

Run: ``.venv/bin/python bench/passport.py [-n 300] [--credentials 300]``. Uses a fresh
SQLite database in a temporary folder and the Flask test client (server time only,
no network); prints p50/p95/max in ms and the number of SQL queries per request.
Target: p95 < 60 ms. Wall-clock figures suffer on a shared, busy machine, so the
CPU time of the serving thread is printed too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=300, help="requests per page")
    parser.add_argument("--credentials", type=int, default=300)
    args = parser.parse_args()

    from sqlalchemy import event

    from badges import create_app
    from badges.accounts.models import User
    from badges.catalogue.models import Achievement
    from badges.demo.loader import load_demo
    from badges.issuing import services as issuing
    from badges.kernel.db import db
    from badges.organisations.models import Organisation

    tmp = tempfile.mkdtemp(prefix="passport-bench-")
    app = create_app({"INSTANCE_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                      "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "BASE_URL": "http://localhost"})
    with app.app_context():
        db.create_all()
        load_demo()
        user = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        achievements = db.session.scalars(db.select(Achievement)).all()
        by_org: dict[int, list[issuing.IssueRequest]] = {}
        have = 4  # the demo's
        for i in range(args.credentials - have):
            a = achievements[i % len(achievements)]
            by_org.setdefault(a.organisation_id, []).append(issuing.IssueRequest(
                achievement=a, recipient_email=user.email, dedup_key=f"bench-{i}"))
        for org_id, requests in by_org.items():
            issuing.issue_many(db.session.get(Organisation, org_id), requests)
        session_id = user.get_id()  # id and session version, as Flask-Login stores it

    queries = 0

    def count(*_args: object) -> None:
        nonlocal queries
        queries += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    results = {}
    for page in ("/passport", "/passport?type=module", "/passport/skills", "/passport/pathways"):
        assert client.get(page).status_code == 200, page
        timings, cpu = [], []
        queries = 0
        for _ in range(args.n):
            start, start_cpu = time.perf_counter(), time.thread_time()
            response = client.get(page)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            assert response.status_code == 200
        timings.sort()
        cpu.sort()
        results[page] = {
            # CPU time of this thread: what the page costs, even on a busy machine
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "cpu_p95_ms": round(cpu[int(len(cpu) * 0.95) - 1], 1),
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
            "max_ms": round(timings[-1], 1),
            "queries_per_request": round(queries / args.n, 1),
        }
    print(json.dumps({"credentials": args.credentials, "requests": args.n, "pages": results},
                     indent=2))


if __name__ == "__main__":
    main()
