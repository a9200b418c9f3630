"""Two app servers and two workers on one database and one Redis (all on loopback).

Real processes: two ``gunicorn -c gunicorn.conf.py wsgi:app`` servers (A and B),
two ``badges worker`` processes on a queue of the test's own (Redis db 9), one
database (PostgreSQL when ``BADGES_TEST_DATABASE_URL`` is set, else one SQLite
file), and two ``badges jobs tick`` processes started at the same moment against
a real SMTP server. Checks, as issue #20 item 10 asks:

- a bulk job uploaded through A is split into chunks that both workers take, and
  every row is issued exactly once (B reports it done);
- a revocation through A is seen by the very next check through B;
- each due reminder is mailed once, though two ticks ran at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, update

from badges import create_app
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing.models import BulkJob, BulkJobState, BulkRow, BulkRowState, Credential
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations.api_tokens import create_api_token
from badges.organisations.models import Organisation
from badges.reminders.models import NoticeSent
from tests._verify_support import issue
from tests.conftest import _database_url
from tests.ops.test_production_server import _free_port, _wait_until_listening
from tests.ops.test_worker_kill import _kill
from tests.services.conftest import smtp_server  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[2]
# Its own Redis database: a worker starting here requeues the jobs of dead workers it sees, and
# the worker-kill test (db 9) must keep its own.
REDIS = os.environ.get("BADGES_TEST_MULTISERVER_REDIS_URL", "redis://127.0.0.1:6379/10")
BIN = Path(sys.executable).parent
ROWS = 1250  # five chunks of bulk.CHUNK (250): while one worker signs a chunk the other takes the next
REMINDED = 12


@pytest.fixture
def cluster(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[dict]:
    """The shared database and Redis queue, and a way to start processes on them."""
    from redis import Redis

    redis = Redis.from_url(REDIS)
    redis.ping()
    instance = tmp_path_factory.mktemp("multiserver")
    queue = f"badges-test-{uuid.uuid4().hex[:12]}"
    config = {"DATABASE_URL": _database_url(tmp_path_factory, f"multi_{worker_id}"),
              "SECRET_KEY": "multiserver-secret", "BASE_URL": "http://127.0.0.1",
              "REDIS_URL": REDIS, "QUEUE_NAME": queue, "INSTANCE_DIR": str(instance)}
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
           "BADGES_RATELIMIT_ENABLED": "false", "GUNICORN_ACCESSLOG": "", "WEB_CONCURRENCY": "2",
           **{f"BADGES_{k}": v for k, v in config.items()}}
    app = create_app({**config, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
    procs: list[subprocess.Popen] = []

    def start(name: str, args: list[str], **extra: str) -> subprocess.Popen:
        with open(instance / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(args, cwd=ROOT, env={**env, **extra}, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(proc)
        return proc

    try:
        yield {"app": app, "start": start, "dir": instance, "redis": redis, "queue": queue}
    finally:
        for proc in procs:
            if proc.args[0].endswith("gunicorn") and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=30)
            _kill(proc)
        for key in redis.scan_iter(f"*{queue}*"):
            redis.delete(key)
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _logs(folder: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                     for p in sorted(folder.glob("*.log")))


def _call(port: int, path: str, body: bytes | None = None, *, token: str = "",
          content_type: str = "application/json") -> tuple[int, dict]:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - our own server
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _wait_for_workers(cluster: dict, pids: set[int]) -> None:
    from rq import Queue, Worker

    queue = Queue(cluster["queue"], connection=cluster["redis"])
    deadline = time.monotonic() + 120
    while {w.pid for w in Worker.all(queue=queue)} != pids:
        if time.monotonic() > deadline:
            pytest.fail(f"the workers did not register\n{_logs(cluster['dir'])}")
        time.sleep(0.1)


def _csv(achievement_uuid: str) -> bytes:
    lines = ["e-mail;naam;prestatie;periode"]
    lines += [f"multi{i}@example.nl;Leerling {i};{achievement_uuid};2026-P1" for i in range(ROWS)]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_two_servers_two_workers_one_database(cluster, smtp_server):  # noqa: F811 - fixture
    app, start, folder = cluster["app"], cluster["start"], cluster["dir"]
    recorder, smtp_port = smtp_server
    with app.test_request_context():
        from badges.demo.loader import load_demo

        load_demo()
        college = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=college.id, state=AchievementState.PUBLISHED).order_by(Achievement.id))
        token = create_api_token(college, "multiserver")
        checked = issue(email="gecontroleerd@example.nl")
        # due claim reminders: issued eight days ago to people who have not claimed yet
        waiting = [issue(email=f"wacht{i}@example.nl").id for i in range(REMINDED)]
        db.session.execute(update(Credential).where(Credential.id.in_(waiting))
                           .values(issued_at=utcnow() - timedelta(days=8)))
        db.session.commit()
        checked_uuid, checked_body = checked.uuid, json.dumps(checked.document).encode()
        achievement_uuid = achievement.uuid
        before = db.session.scalar(db.select(func.count(Credential.id)))
        db.session.remove()

    ports = {name: _free_port() for name in "AB"}
    servers = {name: start(f"server-{name}", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py",
                                              "wsgi:app"], BIND=f"127.0.0.1:{port}")
               for name, port in ports.items()}
    workers = [start(f"worker-{i}", [str(BIN / "badges"), "worker"]) for i in (1, 2)]
    for name, port in ports.items():
        _wait_until_listening(port, servers[name])
    _wait_for_workers(cluster, {w.pid for w in workers})  # both listening before the job comes
    a, b = ports["A"], ports["B"]

    # 1. A bulk job through A, spread over both workers, each row issued once.
    status, job = _call(a, "/api/v1/bulk", _csv(achievement_uuid), token=token,
                        content_type="text/csv")
    assert status == 202, job
    seen = {job["state"]}
    deadline = time.monotonic() + 300
    while job["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        status, job = _call(b, f"/api/v1/bulk/{job['id']}?per_page=1", token=token)
        assert status == 200, job
        seen.add(job["state"])
    assert "interrupted" not in seen, seen  # between chunks the job is the queue's, not a dead horse's
    assert job["state"] == "done", f"{job}\n{_logs(folder)}"
    assert job["counts"]["issued"] == ROWS and job["counts"]["skipped"] == 0, job
    with app.app_context():
        job_row = db.session.scalar(db.select(BulkJob).filter_by(uuid=job["id"]))
        assert job_row.state == BulkJobState.DONE
        states = dict(db.session.execute(db.select(BulkRow.state, func.count())
                                         .filter_by(job_id=job_row.id).group_by(BulkRow.state)).all())
        assert states == {BulkRowState.ISSUED: ROWS}
        issued = db.session.scalar(db.select(func.count(Credential.id))) - before
        assert issued == ROWS
        doubles = db.session.execute(db.select(Credential.dedup_key, func.count())
                                     .where(Credential.dedup_key.is_not(None))
                                     .group_by(Credential.dedup_key).having(func.count() > 1)).all()
        assert doubles == []
        distinct_rows = db.session.scalar(db.select(func.count(func.distinct(BulkRow.credential_id)))
                                          .filter_by(job_id=job_row.id))
        assert distinct_rows == ROWS
        chunks = db.session.scalars(db.select(AuditEvent).filter_by(
            action="bulk.chunk", subject_id=job["id"])).all()
        done = db.session.scalars(db.select(AuditEvent).filter_by(
            action="bulk.done", subject_id=job["id"])).all()
        db.session.remove()
    assert len(done) == 1
    ranges = sorted((c.details["first"], c.details["last"]) for c in chunks)
    lines = ROWS + 1  # the header is line 1
    assert ranges == [(first, min(first + 249, lines)) for first in range(2, lines + 1, 250)], ranges
    took = {int(c.details["worker"].rpartition(":")[2]) for c in chunks}
    assert took == {w.pid for w in workers}, (took, _logs(folder))

    # 2. A revocation through A is seen at once through B.
    assert _call(b, "/api/v1/verify", checked_body)[1]["status"] == "valid"  # B remembers it
    status, answer = _call(a, f"/api/v1/credentials/{checked_uuid}/revoke",
                           json.dumps({"reason": "Fraude"}).encode(), token=token)
    assert status == 200, answer
    assert [_call(b, "/api/v1/verify", checked_body)[1]["status"] for _ in range(4)] == ["revoked"] * 4

    # 3. Two ticks at the same moment (cron on two machines): each reminder mailed once.
    mail = {"BADGES_MAIL_SERVER": "127.0.0.1", "BADGES_MAIL_PORT": str(smtp_port)}
    ticks = [start(f"tick-{i}", [str(BIN / "badges"), "jobs", "tick"], **mail) for i in (1, 2)]
    assert [t.wait(timeout=120) for t in ticks] == [0, 0], _logs(folder)
    outputs = [json.loads(next(line for line in (folder / f"tick-{i}.log").read_text().splitlines()
                               if line.startswith('{"claim"'))) for i in (1, 2)]
    # every notice a tick claimed went out once, and together they mailed no more
    assert sum(o["claim"] + o["expiry"] for o in outputs) == len(recorder.received), outputs
    reminded = sorted(to for to in recorder.to() if to.startswith("wacht"))
    assert reminded == sorted(f"wacht{i}@example.nl" for i in range(REMINDED)), recorder.to()
    with app.app_context():
        sent = db.session.scalars(db.select(NoticeSent).where(NoticeSent.credential_id.in_(waiting))).all()
        assert sorted((n.credential_id, n.state) for n in sent) == sorted((i, "sent") for i in waiting)
        db.session.remove()
