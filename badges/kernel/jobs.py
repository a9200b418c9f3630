"""Background work: RQ on Redis when ``BADGES_REDIS_URL`` is set, inline otherwise.

The same job functions run either way. A job is named by its import path
(``"badges.issuing.bulk:run_job"``) and takes JSON-able arguments only, so
it can be retried in another process; jobs must be idempotent, because RQ
retries and a killed worker's job runs again.

Inline mode runs the job after the current request's transaction (the
caller commits first), in the same process: the embedded default needs no
worker and no Redis.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from flask import Flask, current_app

if TYPE_CHECKING:
    from werkzeug.local import LocalProxy

APP_FACTORY = "badges:create_app"  # the import-free front door; tests replace it
log = logging.getLogger("badges.kernel.jobs")

QUEUE_NAME = "badges"


def resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


#: The app of ``badges worker``: built once, before RQ forks a work horse per job.
_worker_app: Flask | None = None


def use_app_for_jobs(app: Flask) -> None:
    """Let jobs run in ``app`` instead of building one each (called by ``badges worker``)."""
    global _worker_app
    _worker_app = app


def worker_name() -> str:
    """``host:pid`` of the process taking queue jobs: in a work horse, the
    ``badges worker`` that forked it (a horse lives for one job only)."""
    pid = os.getppid() if _worker_app is not None else os.getpid()
    return f"{socket.gethostname()}:{pid}"


def run_in_app(path: str, *args: Any, **kwargs: Any) -> Any:
    """Entry point for RQ workers: run the job inside an app context.

    In a work horse forked by ``badges worker`` that is the worker's app
    (building one costs more than a batch of emails); its database pools are
    dropped first, so the horse opens connections of its own. Anywhere else
    (another worker command, a test) a new app is built.
    """
    app = _worker_app
    if app is None:
        # By name, like every job: the kernel knows no feature, nor the app built on them.
        factory = importlib.import_module(APP_FACTORY.split(":")[0])
        app = getattr(factory, APP_FACTORY.split(":")[1])()
    else:
        from badges.kernel.database import forget_inherited_connections

        forget_inherited_connections(app)  # never share the parent's connections
    with app.app_context():
        return resolve(path)(*args, **kwargs)


def queue_name(app: Flask) -> str:
    return app.config["BADGES"].get("QUEUE_NAME") or QUEUE_NAME


def _queue(app: Flask):
    queue = app.extensions.get("badges.queue")
    if queue is None:
        from redis import Redis
        from rq import Queue

        queue = Queue(queue_name(app), connection=Redis.from_url(app.config["BADGES"]["REDIS_URL"]))
        app.extensions["badges.queue"] = queue
    return queue


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_abandoned(app: Flask) -> list[str]:
    """Put jobs whose worker died (SIGKILL, OOM, reboot) back on the queue; returns their ids.

    RQ notices an abandoned job by itself only when its heartbeat expires
    (about 90 s), and then retries it only while it has retries left. A
    worker on this machine can tell at once: a worker registered here whose
    process is gone is dead, and the jobs it was running are requeued now.
    Jobs of live workers (here or on other machines) are left alone. Safe to
    run at any time: jobs are idempotent (bulk issuing resumes from its
    pending rows, its dedup keys stop doubles).
    """
    from rq import Worker
    from rq.job import Job

    queue = _queue(app)
    connection = queue.connection
    host = socket.gethostname()
    busy: set[str] = set()
    for worker in Worker.all(queue=queue):
        dead = worker.hostname == host and worker.pid is not None and not _pid_alive(worker.pid)
        current = worker.get_current_job_id()
        if dead:
            log.warning("worker %s (pid %s) is gone; forgetting it", worker.name, worker.pid)
            worker.register_death()
        elif current:
            busy.add(current)
    registry = queue.started_job_registry
    requeued: list[str] = []
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        if job_id in busy or job_id in requeued:
            continue
        try:
            job = Job.fetch(job_id, connection=connection)
        except Exception:
            connection.zrem(registry.key, f"{job_id}:{execution_id}")
            continue
        registry.remove_executions(job)
        queue.enqueue_job(job)
        requeued.append(job_id)
        log.warning("requeued abandoned job %s %s", job_id, job.args[:2])
    return requeued


def queued() -> bool:
    return bool(current_app.config["BADGES"]["REDIS_URL"])


def enqueue(path: str, *args: Any, retries: int = 3, **kwargs: Any) -> str | None:
    """Run ``path(*args, **kwargs)`` in the background (or now, inline). Returns the RQ job id."""
    resolve(path)  # fail fast on a typo, in the caller's process
    if not queued():
        resolve(path)(*args, **kwargs)
        return None
    from rq import Retry

    job = _queue(cast("LocalProxy[Flask]", current_app)._get_current_object()).enqueue(
        run_in_app, path, *args, **kwargs, retry=Retry(max=retries, interval=[5, 30, 120]),
        job_timeout=3600,
    )
    return job.id
