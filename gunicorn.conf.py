"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every value can be overridden with GUNICORN_* style environment variables
read here; the app itself keeps no state in the process that another
process needs, so workers and machines can be added freely in front of one
PostgreSQL.

The app is loaded once in the master and the workers are forked from it,
warm (see ``when_ready``): a worker replaced after ``max_requests`` answers
at full speed at once instead of spending its first second loading. No
database connection is opened before the fork, and each worker drops any
pool it inherited (``post_fork``), so workers never share a connection.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 10000  # recycle workers now and then: bounds slow leaks
max_requests_jitter = 1000
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True


def on_starting(server):
    """Say so when several workers would each count rate limits in their own memory."""
    if server.cfg.workers > 1 and not os.environ.get("BADGES_REDIS_URL"):
        server.log.warning(
            "%d workers run without BADGES_REDIS_URL: each keeps its own rate-limit counts "
            "(logins, verification, API), so every limit allows up to %d times as much. "
            "Set BADGES_REDIS_URL to share them. (Login waits after wrong passwords are "
            "kept in the database and shared anyway.)",
            server.cfg.workers, server.cfg.workers)


def when_ready(server):
    """In the master, before any worker is forked: load what the first verification needs."""
    import gc

    from badges.credentials.warmup import warm_up

    warm_up()
    # What the master loaded is never freed: move it out of the collector's
    # sight, so the workers' collections stay short and do not touch (and
    # copy) the pages they share with the master.
    gc.freeze()


def post_fork(server, worker):
    """In each new worker: forget database connections the master may have held."""
    from badges.kernel.database import forget_inherited_connections

    forget_inherited_connections(server.app.wsgi())


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (metrics summed over workers): forget a dead worker's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def worker_exit(server, worker):
    """In a worker that stops: write the verification counts it still holds, stop its thread."""
    from badges.app import shutdown

    shutdown(server.app.wsgi())
