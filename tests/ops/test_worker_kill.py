"""A bulk job survives a worker that is killed half-way (SIGKILL, OOM, a reboot).

Real Redis (a queue name of its own, cleaned up afterwards) and real
``badges worker`` processes sharing one database with the test (SQLite, or
PostgreSQL when ``BADGES_TEST_DATABASE_URL`` is set). The first worker is
killed with its work-horse while it issues; a new worker on the same machine
sees the dead worker's job at start, requeues it, and the job finishes with
every row issued exactly once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, text

from badges import create_app
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing.models import BulkJob, BulkJobState, BulkRowState, Credential
from badges.kernel.db import db
from badges.organisations.models import Organisation
from tests.conftest import _database_url

REDIS = os.environ.get("BADGES_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
ROWS = 1000  # four chunks of bulk.CHUNK (250): the kill lands after the first commit
BADGES = str(Path(sys.executable).with_name("badges"))


def _csv(achievement_uuid: str) -> bytes:
    lines = ["e-mail;naam;prestatie;periode"]
    lines += [f"kill{i}@example.nl;Leerling {i};{achievement_uuid};2026-P1" for i in range(ROWS)]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def setup(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[dict]:
    from redis import Redis

    redis = Redis.from_url(REDIS)
    redis.ping()
    instance = tmp_path_factory.mktemp("worker-kill")
    config = {
        "INSTANCE_DIR": str(instance),
        "DATABASE_URL": _database_url(tmp_path_factory, f"kill_{worker_id}"),
        "SECRET_KEY": "worker-kill-secret",
        "BASE_URL": "http://localhost",
        "REDIS_URL": REDIS,
        "QUEUE_NAME": f"badges-test-{uuid.uuid4().hex[:12]}",
        "RATELIMIT_ENABLED": False,
    }
    env = {**os.environ, **{f"BADGES_{k}": str(v) for k, v in config.items()
                            if k not in ("INSTANCE_DIR", "RATELIMIT_ENABLED")},
           "BADGES_INSTANCE_DIR": str(instance), "BADGES_RATELIMIT_ENABLED": "false",
           "PYTHONUNBUFFERED": "1"}  # the test reads the workers' logs while they run
    app = create_app(config)
    with app.app_context():
        db.create_all()
    procs: list[subprocess.Popen] = []
    try:
        yield {"app": app, "env": env, "procs": procs, "redis": redis,
               "queue": config["QUEUE_NAME"], "dir": instance}
    finally:
        for proc in procs:
            _kill(proc)
        queue = config["QUEUE_NAME"]
        from rq import Queue

        job_ids = set()
        q = Queue(queue, connection=redis)
        for registry in (q, q.started_job_registry, q.finished_job_registry,
                         q.failed_job_registry, q.scheduled_job_registry):
            job_ids.update(registry.get_job_ids(cleanup=False) if registry is not q
                           else q.get_job_ids())
        for key in redis.scan_iter(f"*{queue}*"):
            redis.delete(key)
        for job_id in job_ids:
            for key in redis.scan_iter(f"rq:*{job_id}*"):
                redis.delete(key)
        reader = app.extensions.pop("test.reader", None)
        if reader is not None:
            reader.dispose()
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _start_worker(setup: dict, name: str) -> subprocess.Popen:
    with open(setup["dir"] / f"{name}.log", "wb") as log:  # the worker keeps its own copy
        proc = subprocess.Popen([BADGES, "worker"], env=setup["env"], stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    setup["procs"].append(proc)
    return proc


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc: RQ's work-horse calls setsid(), so it
    is not in the worker's process group)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def _kill(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and its work-horse, as a crash or the OOM killer would."""
    if proc.poll() is None:
        for pid in [proc.pid, *_children(proc.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    proc.wait(timeout=10)


def _counts(app, job_id: int) -> tuple[BulkJobState, dict]:
    """Read progress on a plain connection of its own: the app's SQLite sessions start
    with BEGIN IMMEDIATE, which would queue behind the worker's writes."""
    engine = app.extensions.setdefault(
        "test.reader", create_engine(app.config["SQLALCHEMY_DATABASE_URI"]))
    with engine.connect() as conn:
        state = conn.execute(text("SELECT state FROM bulk_job WHERE id = :id"),
                             {"id": job_id}).scalar_one()
        counts = dict(conn.execute(text(
            "SELECT state, count(*) FROM bulk_row WHERE job_id = :id GROUP BY state"),
            {"id": job_id}).all())
    return BulkJobState(state), {BulkRowState(k): v for k, v in counts.items()}


def _wait(predicate, timeout: float, what: str, logs: Path) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.01)
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                      for p in sorted(logs.glob("*.log")))
    pytest.fail(f"timed out waiting for {what}\n{tails}")


def test_killed_worker_job_finishes_once(setup):
    app = setup["app"]
    from badges.demo.loader import load_demo
    from badges.issuing import bulk

    with app.test_request_context():
        load_demo()
        org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=org.id, state=AchievementState.PUBLISHED).order_by(Achievement.id))
        before = db.session.scalar(db.select(func.count(Credential.id))) or 0
        job = bulk.create_job(org, _csv(achievement.uuid), filename="kill.csv")
        assert job.valid == ROWS
        bulk.start_job(job)  # BADGES_REDIS_URL is set: queued, not run inline
        job_id = job.id
        db.session.remove()

    first = _start_worker(setup, "worker-1")
    _wait(lambda: _counts(app, job_id)[1].get(BulkRowState.ISSUED, 0) > 0, 120,
          "the first worker to issue a chunk", setup["dir"])
    _kill(first)
    state, counts = _counts(app, job_id)
    issued_at_kill = counts.get(BulkRowState.ISSUED, 0)
    assert state != BulkJobState.DONE and 0 < issued_at_kill < ROWS, (state, counts)

    _start_worker(setup, "worker-2")
    _wait(lambda: _counts(app, job_id)[0] == BulkJobState.DONE, 180,
          "the new worker to finish the job", setup["dir"])

    state, counts = _counts(app, job_id)
    assert counts == {BulkRowState.ISSUED: ROWS}, counts
    with app.app_context():
        total = db.session.scalar(db.select(func.count(Credential.id)))
        assert total - before == ROWS
        doubles = db.session.execute(
            db.select(Credential.dedup_key, func.count()).group_by(Credential.dedup_key)
            .having(func.count() > 1)).all()
        assert doubles == []
        job = db.session.get(BulkJob, job_id)
        assert (job.issued, job.skipped) == (ROWS, 0)
        db.session.remove()
    log2 = (setup["dir"] / "worker-2.log").read_text()
    assert "requeued abandoned job" in log2, log2 + (setup["dir"] / "worker-1.log").read_text()


def test_jobs_requeue_command_without_redis(runner):
    """Without Redis there is no queue: the command resumes interrupted inline jobs
    (none here; see tests/web/bulk/test_resume.py)."""
    result = runner.invoke(args=["jobs", "requeue"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == '{"resumed": []}'
