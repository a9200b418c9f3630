"""Background work: RQ on Redis when ``BADGES_REDIS_URL`` is set, inline otherwise.

The same job functions run either way. A job is named by its import path
(``"badges.services.bulk:run_job"``) and takes JSON-able arguments only, so
it can be retried in another process; jobs must be idempotent, because RQ
retries and a killed worker's job runs again.

Inline mode runs the job after the current request's transaction (the
caller commits first), in the same process: the embedded default needs no
worker and no Redis.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

log = logging.getLogger("badges.jobs")

QUEUE_NAME = "badges"


def resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def run_in_app(path: str, *args: Any, **kwargs: Any) -> Any:
    """Entry point for RQ workers: build the app, run the job inside its context."""
    from badges import create_app

    app = create_app()
    with app.app_context():
        return resolve(path)(*args, **kwargs)


def _queue(app: Flask):
    queue = app.extensions.get("badges.queue")
    if queue is None:
        from redis import Redis
        from rq import Queue

        queue = Queue(QUEUE_NAME, connection=Redis.from_url(app.config["BADGES"]["REDIS_URL"]))
        app.extensions["badges.queue"] = queue
    return queue


def queued() -> bool:
    return bool(current_app.config["BADGES"]["REDIS_URL"])


def enqueue(path: str, *args: Any, retries: int = 3, **kwargs: Any) -> str | None:
    """Run ``path(*args, **kwargs)`` in the background (or now, inline). Returns the RQ job id."""
    resolve(path)  # fail fast on a typo, in the caller's process
    if not queued():
        resolve(path)(*args, **kwargs)
        return None
    from rq import Retry

    job = _queue(current_app._get_current_object()).enqueue(
        run_in_app, path, *args, **kwargs, retry=Retry(max=retries, interval=[5, 30, 120]),
        job_timeout=3600,
    )
    return job.id
