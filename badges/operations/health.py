"""What ``/readyz`` checks: the database, Redis when configured, the mail server when configured.

The database and Redis decide readiness (without them no page can be served or no
job queued); a mail server that does not answer makes the service *degraded*, not
unready: pages and verification still work, and mail is retried by the jobs.
"""

from __future__ import annotations

import smtplib
import time
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, select, text

from badges.issuing.models import BulkJob, BulkJobState
from badges.kernel.database import read_only
from badges.kernel.db import db

TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "ok", "failing" or "not_configured"
    required: bool
    detail: str = ""
    duration_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "required": self.required,
                               "duration_ms": round(self.duration_ms, 1)}
        if self.detail:
            out["detail"] = self.detail
        return out


def _timed(name: str, required: bool, probe: Any) -> Check:
    start = time.perf_counter()
    try:
        probe()
    except Exception as exc:  # any failure of the dependency is the answer, not a crash
        # The exception's class only: messages may carry connection strings with passwords.
        return Check(name, "failing", required, type(exc).__name__,
                     (time.perf_counter() - start) * 1000)
    return Check(name, "ok", required, "", (time.perf_counter() - start) * 1000)


@read_only  # on SQLite the probe never queues behind a bulk job's write lock
def _database() -> None:
    db.session.execute(text("SELECT 1"))


def _redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS,
                                  socket_connect_timeout=TIMEOUT_SECONDS)
    try:
        client.ping()
    finally:
        client.close()


def _mail(host: str, port: int) -> None:
    with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as smtp:
        code, _ = smtp.noop()
        if code != 250:
            raise smtplib.SMTPResponseException(code, b"NOOP refused")


def readiness() -> tuple[bool, str, list[Check]]:
    """(ready, "ok" | "degraded" | "failing", the checks)."""
    config = current_app.config["BADGES"]
    checks = [_timed("database", True, _database)]
    if config["REDIS_URL"]:
        checks.append(_timed("redis", True, lambda: _redis(config["REDIS_URL"])))
    else:
        checks.append(Check("redis", "not_configured", False))
    if config["MAIL_SERVER"]:
        checks.append(_timed("mail", False,
                             lambda: _mail(config["MAIL_SERVER"], int(config["MAIL_PORT"]))))
    else:
        checks.append(Check("mail", "not_configured", False))
    ready = all(c.status == "ok" for c in checks if c.required)
    degraded = any(c.status == "failing" for c in checks if not c.required)
    return ready, ("failing" if not ready else "degraded" if degraded else "ok"), checks


def queue_depth() -> dict[str, int]:
    """Jobs waiting: RQ's queue with Redis, else inline bulk jobs not yet finished."""
    config = current_app.config["BADGES"]
    if config["REDIS_URL"]:
        import redis
        from rq import Queue

        connection = redis.Redis.from_url(config["REDIS_URL"], socket_timeout=TIMEOUT_SECONDS)
        try:
            return {"redis": len(Queue(config["QUEUE_NAME"], connection=connection))}
        finally:
            connection.close()
    waiting = db.session.scalar(
        select(func.count()).select_from(BulkJob)
        .where(BulkJob.state.in_([BulkJobState.QUEUED, BulkJobState.RUNNING])))
    return {"inline": int(waiting or 0)}
