"""Without Redis, a bulk job killed with the process that ran it is resumed over HTTP.

A real subprocess starts the job the way the web view does (``bulk.start_job``:
inline, in that process) and is killed with SIGKILL after its first chunk
committed. The issuer's page then says "Onderbroken", "Hervatten" resumes it,
and every row ends issued exactly once. SQLite, or PostgreSQL when
``BADGES_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
from sqlalchemy import func

from badges import create_app
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing.models import BulkJob, BulkJobState, BulkRowState, Credential
from badges.kernel.db import db
from badges.organisations.models import Organisation
from tests.conftest import PROJECT, _database_url, csrf_token
from tests.ops.test_worker_kill import _counts, _wait

ROWS = 750  # three chunks of bulk.CHUNK (250): the kill lands after the first commit

RUN = textwrap.dedent("""
    import sys
    from badges import create_app
    from badges.issuing import bulk
    from badges.issuing.models import BulkJob
    from badges.kernel.db import db

    app = create_app()
    with app.test_request_context():
        bulk.start_job(db.session.get(BulkJob, int(sys.argv[1])))  # inline: runs here
""")


def _csv(achievement_uuid: str) -> bytes:
    lines = ["e-mail;naam;prestatie;periode"]
    lines += [f"inline{i}@example.nl;Leerling {i};{achievement_uuid};2026-P1" for i in range(ROWS)]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def setup(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[dict]:
    instance = tmp_path_factory.mktemp("inline-kill")
    config = {
        "DATABASE_URL": _database_url(tmp_path_factory, f"inline_{worker_id}"),
        "SECRET_KEY": "inline-kill-secret", "BASE_URL": "http://localhost",
        "REDIS_URL": "", "SIGNING_PROCESSES": 1,
    }
    env = {**os.environ, **{f"BADGES_{k}": str(v) for k, v in config.items()},
           "BADGES_INSTANCE_DIR": str(instance), "BADGES_RATELIMIT_ENABLED": "false",
           "PYTHONPATH": str(PROJECT)}
    app = create_app({**config, "INSTANCE_DIR": str(instance), "RATELIMIT_ENABLED": False,
                      "TESTING": True})
    with app.app_context():
        db.create_all()
    try:
        yield {"app": app, "env": env, "dir": instance}
    finally:
        reader = app.extensions.pop("test.reader", None)
        if reader is not None:
            reader.dispose()
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_killed_inline_job_is_resumed_over_http_once(setup):
    app = setup["app"]
    from badges.demo.loader import load_demo
    from badges.issuing import bulk

    with app.test_request_context():
        load_demo()
        org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=org.id, state=AchievementState.PUBLISHED).order_by(Achievement.id))
        before = db.session.scalar(db.select(func.count(Credential.id))) or 0
        job = bulk.create_job(org, _csv(achievement.uuid), filename="inline.csv")
        job_id, job_uuid = job.id, job.uuid
        db.session.remove()

    log = setup["dir"] / "run.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", RUN, str(job_id)], env=setup["env"],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(lambda: _counts(app, job_id)[1].get(BulkRowState.ISSUED, 0) > 0, 180,
              "the inline run to issue a chunk", setup["dir"])
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the process and anything it started
        proc.wait(timeout=10)
    state, counts = _counts(app, job_id)
    assert state == BulkJobState.RUNNING and 0 < counts[BulkRowState.ISSUED] < ROWS, counts

    client = app.test_client()
    page = "/login"
    client.post(page, data={"email": "docent@rocdemaasvallei.example",
                            "password": "skillspas-demo",
                            "csrf_token": csrf_token(client, page)})
    url = f"/issuer/maasvallei-zorg-welzijn/bulk/{job_uuid}"
    assert client.get(url + "/status.json").get_json()["state"] == "interrupted"
    html = client.get(url).get_data(as_text=True)
    assert "Onderbroken" in html and "Hervatten" in html
    resp = client.post(url + "/start", data={"csrf_token": csrf_token(client, url)})
    assert resp.status_code == 302

    state, counts = _counts(app, job_id)
    assert (state, counts) == (BulkJobState.DONE, {BulkRowState.ISSUED: ROWS})
    with app.app_context():
        assert db.session.scalar(db.select(func.count(Credential.id))) - before == ROWS
        doubles = db.session.execute(
            db.select(Credential.dedup_key, func.count()).where(Credential.dedup_key.isnot(None))
            .group_by(Credential.dedup_key).having(func.count() > 1)).all()
        assert doubles == []
        job = db.session.get(BulkJob, job_id)
        assert (job.issued, job.skipped) == (ROWS, 0)
        db.session.remove()
