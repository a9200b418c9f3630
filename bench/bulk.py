"""Bench: issue N CSV rows through the real bulk service and print figures as JSON.

    .venv/bin/python bench/bulk.py                       # SQLite in a fresh temp folder
    .venv/bin/python bench/bulk.py --database-url postgresql://postgres@127.0.0.1:5432/bulk_bench
    BULK_BENCH_DATABASE_URL=postgresql://... .venv/bin/python bench/bulk.py -n 10000 --profile

Everything runs as in production: parse + validate + store rows (create_job),
then run_job (chunks of 250: sign, store, audit, status lists, one commit per
chunk) with every notification email built and "sent" to a LogMailer (its log
output silenced). A PostgreSQL database named in the URL is dropped and
created fresh.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def fresh_postgres(url: str) -> str:
    import psycopg

    base, _, name = url.rpartition("/")
    admin = re.sub(r"^postgresql\+psycopg://", "postgresql://", base + "/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process on this machine, 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_now(db) -> dict[str, float]:
    """Where the CPU goes: this process, the signing workers, the database server."""
    import resource

    from badges.credentials import batch

    usage = resource.getrusage(resource.RUSAGE_SELF)
    pool = batch._pool
    workers = sum(_proc_cpu(pid) for pid in (pool._processes or {})) if pool else 0.0
    server = 0.0
    if db.engine.dialect.name == "postgresql":
        pids = db.session.scalars(db.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).all()
        server = sum(_proc_cpu(pid) for pid in pids)
    return {"main": usage.ru_utime + usage.ru_stime, "signing_workers": workers,
            "database_server": server}


def make_csv(n: int) -> bytes:
    lines = ["e-mail;naam;prestatie;periode;resultaat;bewijs_url;geldig_tot"]
    lines += [f"bench{i}@example.nl;Deelnemer {i};K0692;2026-P1;goed;"
              f"https://portfolio.example/{i};31-12-2030" for i in range(n)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("BULK_BENCH_DATABASE_URL"))
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile")
    args = parser.parse_args()

    from badges import create_app
    from badges.demo.loader import load_demo
    from badges.issuing import bulk
    from badges.issuing.models import BulkJobState, Credential
    from badges.kernel.db import db
    from badges.kernel.mail import LogMailer
    from badges.organisations.models import Organisation

    tmp = tempfile.mkdtemp(prefix="bulk-bench-")
    url = fresh_postgres(args.database_url) if args.database_url else (
        f"sqlite:///{tmp}/bench.sqlite3")
    app = create_app({"INSTANCE_DIR": tmp, "DATABASE_URL": url, "SECRET_KEY": "bench",
                      "BASE_URL": "https://skillspas.example", "REDIS_URL": ""})
    logging.getLogger("badges.mail").setLevel(logging.ERROR)
    mailer = LogMailer()
    app.extensions["badges.mailer"] = mailer
    with app.test_request_context():
        db.create_all()
        load_demo()
        org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
        before = db.session.scalar(db.select(db.func.count(Credential.id)))
        raw = make_csv(args.n)
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        cpu0 = cpu_now(db)
        t0 = time.perf_counter()
        job = bulk.create_job(org, raw, filename="bench.csv")
        t1 = time.perf_counter()
        bulk.start_job(job)  # inline: run_job runs now
        t2 = time.perf_counter()
        cpu1 = cpu_now(db)
        if profiler:
            profiler.disable()
        db.session.refresh(job)
        issued = db.session.scalar(db.select(db.func.count(Credential.id))) - before
        assert job.state == BulkJobState.DONE, job.error
        assert issued == args.n == job.issued == len(mailer.sent), (issued, job.issued)
        # a second upload of the same file issues nothing
        t3 = time.perf_counter()
        again = bulk.create_job(org, raw, filename="bench.csv")
        bulk.start_job(again)
        t4 = time.perf_counter()
        db.session.refresh(again)
        assert again.issued == 0 and again.skipped == args.n
    figures = {
        "database": url.split(":", 1)[0],
        "rows": args.n,
        "parse_validate_store_s": round(t1 - t0, 2),
        "issue_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
        "rows_per_s": round(args.n / (t2 - t0), 1),
        "issue_rows_per_s": round(args.n / (t2 - t1), 1),
        "emails_sent": len(mailer.sent),
        "cpu_s": {k: round(cpu1[k] - cpu0[k], 2) for k in cpu0},
        "reupload_same_file_s": round(t4 - t3, 2),
        "reupload_issued": again.issued,
    }
    print(json.dumps(figures, indent=2))
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
