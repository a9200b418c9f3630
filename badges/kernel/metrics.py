"""Prometheus metrics: the counters any feature may bump, in one registry.

Under gunicorn set ``PROMETHEUS_MULTIPROC_DIR`` (an empty, writable folder) so
every worker's counts are added up at ``/metrics``; prometheus_client reads it at
import time. Labels are low-cardinality on purpose: the route's endpoint name,
never its path (paths carry capability tokens) and nothing about a person.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Histogram

REQUESTS = Counter("skillspas_http_requests_total", "HTTP requests answered.",
                   ["method", "endpoint", "status"])
LATENCY = Histogram("skillspas_http_request_duration_seconds", "Time to answer an HTTP request.",
                    ["method", "endpoint"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
ISSUED = Counter("skillspas_credentials_issued_total", "Credentials signed and stored.")
VERIFIED = Counter("skillspas_verifications_total", "Credentials verified, by verdict.", ["verdict"])


def on_issued(event: Any) -> None:
    """Handler for issuing's ``CredentialsIssued`` (wired in badges/app/wiring.py)."""
    ISSUED.inc(len(event.issued))


def verified(verdict: str) -> None:
    VERIFIED.labels(verdict=verdict).inc()
