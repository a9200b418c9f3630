"""Load test for ``POST /api/v1/verify`` against the production server.

    .venv/bin/python bench/verify_load.py [--clients 50] [--requests 3000] [--duration 30]
        [--database-url postgresql://...] [--workers N] [--threads N]

Starts gunicorn (``gunicorn -c gunicorn.conf.py wsgi:app``) on a free loopback
port against a scratch SQLite database (or ``--database-url``), loads the demo
and issues one credential, then drives the API from a *second process* with N
concurrent clients (threads, keep-alive ``http.client``), bounded by a number
of requests and a time limit. Prints JSON: requests/s, p50/p95/p99 latency in
ms, errors and the verdicts seen. Loopback only; rate limiting is switched off
for the server under test (it would otherwise answer 429 after 60 requests).
"""

# ruff: noqa: S603 - every subprocess runs our own interpreter or gunicorn with a fixed argv

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

PREPARE = """
import json, sys
from badges import create_app
from badges.extensions import db
app = create_app()
with app.app_context():
    db.create_all()
    from badges.services.demo import load_demo
    load_demo()
    from badges.models import Achievement, AchievementState, Organisation
    from badges.services import issuing
    org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
    ach = db.session.scalar(db.select(Achievement).filter_by(
        organisation_id=org.id, state=AchievementState.PUBLISHED).order_by(Achievement.id).limit(1))
    request = issuing.IssueRequest(achievement=ach, recipient_email="bench@example.nl",
                                   recipient_name="Bench")
    cred = issuing.issue(org, request).credential
    json.dump(cred.document, sys.stdout)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def drive(port: int, body: bytes, clients: int, total: int, duration: float) -> dict:
    """The client side (runs in its own process): N threads share a request budget."""
    lock = threading.Lock()
    state = {"left": total}
    latencies: list[float] = []
    errors: dict[str, int] = {}
    verdicts: dict[str, int] = {}
    deadline = time.monotonic() + duration

    def take() -> bool:
        with lock:
            if state["left"] <= 0 or time.monotonic() > deadline:
                return False
            state["left"] -= 1
            return True

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while take():
            start = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/verify", body=body,
                             headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                data = response.read()
                elapsed = (time.perf_counter() - start) * 1000
                key = f"http_{response.status}"
                if response.status == 200:
                    mine.append(elapsed)
                    verdict = json.loads(data)["status"]
                    with lock:
                        verdicts[verdict] = verdicts.get(verdict, 0) + 1
                else:
                    with lock:
                        errors[key] = errors.get(key, 0) + 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            latencies.extend(mine)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "clients": clients, "requests_ok": len(latencies), "errors": errors,
        "verdicts": verdicts, "seconds": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 1) if wall else 0,
        "latency_ms": {"p50": round(percentile(latencies, 50), 1),
                       "p95": round(percentile(latencies, 95), 1),
                       "p99": round(percentile(latencies, 99), 1),
                       "mean": round(statistics.fmean(latencies), 1) if latencies else 0},
    }


def wait_ready(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/verify")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--drive", nargs=2, metavar=("PORT", "BODY_FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        body = Path(args.drive[1]).read_bytes()
        print(json.dumps(drive(int(args.drive[0]), body, args.clients, args.requests,
                               args.duration)))
        return

    scratch = Path(tempfile.mkdtemp(prefix="verify-bench-"))
    port = free_port()
    env = {**os.environ, "BADGES_INSTANCE_DIR": str(scratch),
           "BADGES_BASE_URL": f"http://127.0.0.1:{port}", "BADGES_RATELIMIT_ENABLED": "false",
           "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(args.workers),
           "GUNICORN_THREADS": str(args.threads), "GUNICORN_ACCESSLOG": "/dev/null",
           "PYTHONPATH": str(ROOT)}
    if args.database_url:
        env["BADGES_DATABASE_URL"] = args.database_url
    document = subprocess.run([PY, "-c", PREPARE], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout
    body_file = scratch / "credential.json"
    body_file.write_text(document)
    gunicorn = Path(PY).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        wait_ready(port)
        # warm up every worker (imports, first-use caches) before measuring
        subprocess.run([PY, __file__, "--drive", str(port), str(body_file), "--clients",
                        str(args.workers * max(1, args.threads)), "--requests",
                        str(args.workers * 20), "--duration", "30"],
                       check=True, capture_output=True)
        result = subprocess.run(
            [PY, __file__, "--drive", str(port), str(body_file), "--clients", str(args.clients),
             "--requests", str(args.requests), "--duration", str(args.duration)],
            check=True, capture_output=True, text=True)
        report = json.loads(result.stdout)
        report.update({"server": {"workers": args.workers, "threads": args.threads,
                                  "cpus": os.cpu_count(),
                                  "database": "postgresql" if args.database_url else "sqlite"}})
        print(json.dumps(report, indent=2))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
