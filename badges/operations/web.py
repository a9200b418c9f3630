"""``/healthz`` (the process answers), ``/readyz`` (it can serve) and ``/metrics`` (Prometheus).

``/metrics`` answers a bearer token equal to ``BADGES_METRICS_TOKEN`` when that is set, and
otherwise only requests from this machine (loopback): counts of requests and credentials are
the operator's business, not the public's.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator
from ipaddress import ip_address

from flask import Blueprint, abort, current_app, jsonify, request
from flask.wrappers import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from badges.kernel.extensions import csrf, limiter
from badges.operations import health

bp = Blueprint("operations", __name__)
csrf.exempt(bp)
limiter.exempt(bp)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    ready, status, checks = health.readiness()
    body = jsonify(status=status, checks={c.name: c.to_dict() for c in checks})
    return _no_store(body), 200 if ready else 503


def _may_read_metrics() -> bool:
    token = current_app.config["BADGES"]["METRICS_TOKEN"]
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    try:
        return ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


class _QueueDepth:
    """Read at scrape time; a collector, not a Gauge, so nothing is written per scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("skillspas_queue_depth", "Jobs waiting or running, by queue.",
                                   labels=["queue"])
        try:
            for queue, waiting in health.queue_depth().items():
                family.add_metric([queue], waiting)
        except Exception:  # a scrape must not fail because the queue is away
            family.add_metric(["unavailable"], -1)
        yield family


@bp.get("/metrics")
def metrics() -> Response:
    if not _may_read_metrics():
        abort(404)  # as if absent: nothing to learn here without the token
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counts = CollectorRegistry()
        multiprocess.MultiProcessCollector(counts)  # every gunicorn worker's counts
    else:
        counts = REGISTRY
    now = CollectorRegistry()
    now.register(_QueueDepth())
    response = Response(generate_latest(counts) + generate_latest(now), mimetype=CONTENT_TYPE_LATEST)
    return _no_store(response)
