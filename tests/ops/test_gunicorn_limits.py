"""gunicorn warns at start-up when several workers would count rate limits
each in their own memory (no BADGES_REDIS_URL), and keeps quiet with Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ops.test_production_server import ROOT, _free_port, _wait_until_listening

WARNING = "without BADGES_REDIS_URL"


def _start_and_stop(tmp_path: Path, workers: int, redis_url: str | None) -> str:
    """Run the production config until it listens, stop it, return its log."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("BADGES_")}
    env.update({"PYTHONPATH": str(ROOT), "BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": str(workers), "GUNICORN_ACCESSLOG": "",
                "BADGES_INSTANCE_DIR": str(tmp_path / "instance"),
                "BADGES_DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}"})
    if redis_url:
        env["BADGES_REDIS_URL"] = redis_url
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_listening(port, server)
    finally:
        server.send_signal(signal.SIGTERM)
        _, log = server.communicate(timeout=60)
    assert server.returncode == 0, log
    return log


@pytest.mark.parametrize("workers,redis_url,warned", [
    (2, None, True),
    (2, "redis://127.0.0.1:6379/15", False),
    (1, None, False),
])
def test_warns_when_workers_count_limits_apart(tmp_path, workers, redis_url, warned):
    log = _start_and_stop(tmp_path, workers, redis_url)
    assert (WARNING in log) is warned, log
