"""The production server as configured (``gunicorn -c gunicorn.conf.py wsgi:app``).

The master preloads and warms the app, then forks its workers (``post_fork``
drops inherited connections). Through a real gunicorn with two workers: the
public verifier answers, a revocation made by another process is seen by the
very next check whichever worker takes it (each worker keeps its own
remembered answers), the API sets no cookie, pages still get a CSP nonce,
and SIGTERM stops the server cleanly.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from badges import create_app
from badges.insight.models import DailyCount
from badges.issuing import services as issuing
from badges.issuing.models import CredentialState
from badges.kernel.db import db
from tests._verify_support import issue

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_listening(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read() if server.stderr else "server exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start listening")


def _verify(port: int, body: bytes) -> tuple[str, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/verify", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our own server
        return answer.headers.get("Set-Cookie", ""), json.loads(answer.read())


def test_gunicorn_config_serves_the_verifier_and_sees_revocations_at_once(tmp_path: Path):
    database = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    port = _free_port()
    settings = {"INSTANCE_DIR": str(tmp_path / "instance"), "DATABASE_URL": database,
                "BASE_URL": f"http://127.0.0.1:{port}"}
    app = create_app(settings)
    with app.app_context():
        db.create_all()
        from badges.demo.loader import load_demo

        load_demo()
        credential = issue(email="productie@example.nl")
        db.session.commit()
        credential_id, body = credential.id, json.dumps(credential.document).encode()
        db.session.remove()

    env = {**os.environ, "PYTHONPATH": str(ROOT), "BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": "2", "GUNICORN_ACCESSLOG": "",
           **{f"BADGES_{name}": value for name, value in settings.items()}}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_listening(port, server)
        answers = [_verify(port, body) for _ in range(6)]  # both workers, remembered after the first
        assert {answer["status"] for _, answer in answers} == {"valid"}
        assert {cookie for cookie, _ in answers} == {""}

        with app.app_context():
            issuing.change_state(db.session.get(type(credential), credential_id),
                                 CredentialState.REVOKED, "test", actor_id=None)
            db.session.commit()
            db.session.remove()
        after = [_verify(port, body)[1]["status"] for _ in range(6)]
        assert after == ["revoked"] * 6

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/verify", timeout=30) as page:
            assert page.status == 200
            assert "nonce-" in page.headers["Content-Security-Policy"]
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
        log = server.stderr.read()
        server.stderr.close()
        with app.app_context():
            verified = db.session.scalar(db.select(db.func.sum(DailyCount.count)).where(
                DailyCount.metric == "verified", DailyCount.grain == "d"))
            db.engine.dispose()
    assert code == 0
    # each worker wrote the checks it counted on its way out (worker_exit), without errors
    assert verified == 12
    assert "Traceback" not in log and "verification counts failed" not in log, log


def test_metrics_add_up_every_gunicorn_worker(tmp_path: Path):
    """With PROMETHEUS_MULTIPROC_DIR, /metrics counts what every worker answered."""
    port = _free_port()
    settings = {"INSTANCE_DIR": str(tmp_path / "instance"),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'metrics.sqlite3'}",
                "BASE_URL": f"http://127.0.0.1:{port}"}
    app = create_app(settings)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": "2", "GUNICORN_ACCESSLOG": "", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
           **{f"BADGES_{name}": value for name, value in settings.items()}}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_listening(port, server)
        for _ in range(12):  # new connections: the kernel hands them to either worker
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
                assert answer.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as answer:
            text = answer.read().decode()
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
        server.stderr.close()
    assert code == 0
    line = next(line for line in text.splitlines() if line.startswith("skillspas_http_requests_total{")
                and 'endpoint="operations.healthz"' in line)
    assert float(line.rsplit(" ", 1)[1]) == 12.0
    assert len(list(metrics_dir.glob("counter_*.db"))) >= 2  # both workers wrote their counts
