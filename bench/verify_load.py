"""Load test for ``POST /api/v1/verify`` against the production server.

    .venv/bin/python bench/verify_load.py                  # every scenario below, JSON out
    .venv/bin/python bench/verify_load.py --scenario paced-same --rate 500,1000
    .venv/bin/python bench/verify_load.py --database-url postgresql://postgres@127.0.0.1/vbench

Starts gunicorn (``gunicorn -c gunicorn.conf.py wsgi:app``, its own defaults:
sync workers, 2 × cores + 1) on a free loopback port against a scratch
database, loads the demo and issues credentials, then drives the API from a
*second process* with 50 concurrent clients. Each client is a thread with
its own socket, sending prepared requests (gunicorn's sync workers close the
connection after each answer, so every request connects anew, as a browser
behind a proxy would not; the figures are the pessimistic ones).

Scenarios (each prints requests/s and latency percentiles in ms):

- ``saturate-same``: every client sends the same credential again as soon
  as it has its answer (closed loop): the most the server answers per second,
  mostly from remembered answers. Latency here is queueing: with 50 clients
  always waiting, p50 ≈ 50 / throughput (Little's law).
- ``paced-same``: the clients together send ``--rate`` requests per second at
  random (Poisson) moments, whether or not earlier answers came back (open
  loop); latency is counted from the moment a request was due, so a server
  that falls behind is charged for it. This is the figure a latency target
  is about: how long one check takes at a given load.
- ``saturate-distinct`` / ``paced-distinct``: every request a different
  credential the server has not seen: each one is fully verified
  (canonicalisation, signatures, schema, status lists), as when many
  employers each check a different applicant.

``--ceiling`` adds one more closed loop against gunicorn with as many sync
workers, serving a WSGI app that answers at once with a fixed body: what the server,
the sockets and this load generator cost by themselves on this machine,
the floor under every figure above.

Rate limiting is switched off for the server under test (it would answer 429
after 60 requests per minute from one address).
"""

# ruff: noqa: S603, S311 - subprocesses run our own interpreter or gunicorn; random paces load

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLIENTS = 50

PREPARE = """
import json, sys
from badges import create_app
from badges.kernel.db import db
app = create_app()
with app.app_context():
    db.create_all()
    from badges.demo.loader import load_demo
    load_demo()
    from badges.catalogue.models import Achievement, AchievementState
    from badges.organisations.models import Organisation
    from badges.issuing import services as issuing
    org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
    ach = db.session.scalar(db.select(Achievement).filter_by(
        organisation_id=org.id, state=AchievementState.PUBLISHED).order_by(Achievement.id).limit(1))
    count = int(sys.argv[1])
    done = []
    for start in range(0, count, 500):
        done += issuing.issue_many(org, [issuing.IssueRequest(
            achievement=ach, recipient_email=f"bench{i}@example.nl", recipient_name=f"Bench {i}")
            for i in range(start, min(count, start + 500))])
    with open(sys.argv[2], "w") as out:
        for item in done:
            out.write(json.dumps(item.credential.document) + "\\n")
"""


CONSTANT_ANSWER = b'{"status": "valid"}'


def constant_app(environ: dict, start_response: Callable[..., object]) -> list[bytes]:
    """The ceiling's app: reads the request, answers a fixed body."""
    environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(CONSTANT_ANSWER)))])
    return [CONSTANT_ANSWER]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))]


def request_bytes(port: int, body: bytes) -> bytes:
    head = (f"POST /api/v1/verify HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n")
    return head.encode() + body


def exchange(port: int, request: bytes) -> tuple[int, bytes]:
    """One request on a new connection; (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        raw = b""
        length = None
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            raw += chunk
            if length is None and b"\r\n\r\n" in raw:
                length = content_length(raw.partition(b"\r\n\r\n")[0])
            # Done once the announced body is in, as an HTTP client is: the
            # server then sees this end close at once instead of waiting for it.
            if length is not None and len(raw.partition(b"\r\n\r\n")[2]) >= length:
                break
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


def content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return None


def drive(port: int, bodies: list[bytes], *, duration: float, rate: float | None) -> dict:
    """CLIENTS threads; closed loop when ``rate`` is None, else Poisson arrivals at ``rate``/s.

    Each body is sent once, in order, while bodies last (distinct credentials),
    or the only body again and again (one credential).
    """
    requests = [request_bytes(port, b) for b in bodies]
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    errors: dict[str, int] = {}
    verdicts: dict[str, int] = {}
    stop = time.monotonic() + duration

    def take() -> bytes | None:
        if len(requests) == 1:
            return requests[0]
        with lock:
            if state["next"] >= len(requests):
                return None
            state["next"] += 1
            return requests[state["next"] - 1]

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        due = time.monotonic() + (rng.expovariate(rate / CLIENTS) if rate else 0)
        while True:
            if rate:
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            if time.monotonic() > stop:
                break
            request = take()
            if request is None:
                break
            started = due if rate else time.monotonic()
            try:
                status, body = exchange(port, request)
            except OSError as exc:
                with lock:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            elapsed = (time.monotonic() - started) * 1000
            if status == 200:
                mine.append(elapsed)
                verdict = json.loads(body)["status"]
                with lock:
                    verdicts[verdict] = verdicts.get(verdict, 0) + 1
            else:
                with lock:
                    errors[f"http_{status}"] = errors.get(f"http_{status}", 0) + 1
            if rate:
                due += rng.expovariate(rate / CLIENTS)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    return {
        "clients": CLIENTS, "offered_per_s": rate, "requests_ok": len(latencies),
        "errors": errors, "verdicts": verdicts, "seconds": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 1) if wall else 0,
        "latency_ms": {"p50": round(percentile(latencies, 50), 1),
                       "p95": round(percentile(latencies, 95), 1),
                       "p99": round(percentile(latencies, 99), 1),
                       "max": round(max(latencies, default=0), 1)},
    }


def wait_ready(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


SCENARIOS = {  # name: (distinct credentials?, paced?)
    "saturate-same": (False, False),
    "paced-same": (False, True),
    "saturate-distinct": (True, False),
    "paced-distinct": (True, True),
}
MOST_DISTINCT_PER_S = 1000  # above what 2 cores verify; enough credentials for a closed loop


def rates(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def scenario_rates(name: str, args: argparse.Namespace) -> list[float | None]:
    distinct, paced = SCENARIOS[name]
    if not paced:
        return [None]
    return list(args.distinct_rate if distinct else args.rate)


def sendable(rate: float | None, seconds: float) -> int:
    """Distinct credentials one run can send: its rate (or the most a closed loop can) × time."""
    return int(seconds * (rate or MOST_DISTINCT_PER_S)) + 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--rate", type=rates, default=[600.0, 1000.0],
                        help="requests per second for the paced scenario with one credential "
                             "(a comma-separated list runs it once per rate)")
    parser.add_argument("--distinct-rate", type=rates, default=[200.0, 300.0],
                        help="requests per second for the paced scenario with distinct credentials")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--ceiling", action="store_true",
                        help="also measure a server that answers at once (see above)")
    parser.add_argument("--drive", nargs=4, metavar=("PORT", "FILE", "RATE", "SECONDS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        port, path, rate, seconds = args.drive
        bodies = Path(path).read_bytes().splitlines()
        print(json.dumps(drive(int(port), bodies, duration=float(seconds),
                               rate=float(rate) or None)))
        return

    scratch = Path(tempfile.mkdtemp(prefix="verify-bench-"))
    port = free_port()
    env = {**os.environ, "BADGES_INSTANCE_DIR": str(scratch),
           "BADGES_BASE_URL": f"http://127.0.0.1:{port}", "BADGES_RATELIMIT_ENABLED": "false",
           "BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESSLOG": "", "PYTHONPATH": str(ROOT)}
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.database_url:
        env["BADGES_DATABASE_URL"] = args.database_url
    wanted = [args.scenario] if args.scenario != "all" else list(SCENARIOS)
    runs = [(name, rate) for name in wanted for rate in scenario_rates(name, args)]
    distinct_needed = 200 + sum(  # warm-up plus what the distinct scenarios can send
        sendable(rate, args.duration) for name, rate in runs if SCENARIOS[name][0])
    documents = scratch / "credentials.jsonl"
    subprocess.run([PY, "-c", PREPARE, str(max(distinct_needed, 1)), str(documents)], env=env,
                   cwd=ROOT, check=True, capture_output=True, text=True)
    lines = documents.read_bytes().splitlines()
    same, pool = lines[0], lines[1:]
    gunicorn = Path(PY).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)

    def run(bodies: list[bytes], rate: float | None, seconds: float) -> dict:
        feed = scratch / "feed.jsonl"
        feed.write_bytes(b"\n".join(bodies))
        result = subprocess.run(
            [PY, __file__, "--drive", str(port), str(feed), str(rate or 0), str(seconds)],
            check=True, capture_output=True, text=True)
        return json.loads(result.stdout)

    try:
        wait_ready(port)
        # Warm every worker (imports, contexts, schema) with credentials not measured later.
        run([same], None, 5)
        run(pool[:200], None, 30)
        pool = pool[200:]
        report: dict = {"server": {"workers": args.workers or (os.cpu_count() or 1) * 2 + 1,
                                   "cpus": os.cpu_count(),
                                   "database": "postgresql" if args.database_url else "sqlite"},
                        "credential_bytes": len(same)}
        for name, rate in runs:
            if SCENARIOS[name][0]:
                count = sendable(rate, args.duration)
                bodies, pool = pool[:count], pool[count:]
            else:
                bodies = [same]
            report[f"{name} @ {rate:g}/s" if rate else name] = run(bodies, rate, args.duration)
        if args.ceiling:
            report["ceiling (constant answer)"] = ceiling(report["server"]["workers"], scratch,
                                                          same, args.duration)
        print(json.dumps(report, indent=2))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def ceiling(workers: int, scratch: Path, body: bytes, seconds: float) -> dict:
    """A closed loop against gunicorn's sync workers serving :func:`constant_app`."""
    port = free_port()
    gunicorn = Path(PY).with_name("gunicorn")
    server = subprocess.Popen(  # run from bench/: no gunicorn.conf.py there to pick up
        [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{port}", "verify_load:constant_app"],
        cwd=ROOT / "bench", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        wait_ready(port)
        feed = scratch / "ceiling.jsonl"
        feed.write_bytes(body)
        drive_args = [PY, __file__, "--drive", str(port), str(feed), "0"]
        subprocess.run([*drive_args, "3"], check=True, capture_output=True)  # warm
        result = subprocess.run([*drive_args, str(seconds)], check=True, capture_output=True,
                                text=True)
        return json.loads(result.stdout)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
