"""gunicorn's access log, as configured, keeps no capability token (#15 item 12)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from badges import create_app
from badges.kernel.db import db
from tests.ops.test_production_server import ROOT, _free_port, _wait_until_listening

SECRET = "Qm7xW2pLk9Rt4VbN6sHy3Ja8"


def test_access_log_redacts_tokens_in_capability_urls(tmp_path: Path):
    port = _free_port()
    settings = {"INSTANCE_DIR": str(tmp_path / "instance"),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'access.sqlite3'}",
                "BASE_URL": f"http://127.0.0.1:{port}"}
    app = create_app(settings)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    access_log = tmp_path / "access.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": "1", "GUNICORN_ACCESSLOG": str(access_log),
           **{f"BADGES_{name}": value for name, value in settings.items()}}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    paths = [f"/s/{SECRET}", f"/s/{SECRET}/abc.json", f"/claim/{SECRET}",
             f"/password/reset/{SECRET}", f"/evidence/{SECRET}", f"/uitnodiging/{SECRET}",
             f"/account/email/confirm/{SECRET}", f"/passport/emails/confirm/{SECRET}"]
    try:
        _wait_until_listening(port, server)
        for path in paths:
            # A refused token is logged all the same.
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        errors = server.stderr.read()
        server.stderr.close()
    log = access_log.read_text()
    assert log.count("[redacted]") >= len(paths), log  # redirects to ?next=… too
    assert SECRET not in log and SECRET not in errors
