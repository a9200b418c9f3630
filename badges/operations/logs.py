"""Request ids and, when ``BADGES_LOG_FORMAT=json``, one JSON object per log line.

Every response carries ``X-Request-ID`` (the caller's, when it is a plain token, so a
proxy's id follows the request through; otherwise a new one), and every log line made
while answering names it. The request line logs the route's endpoint name, never the
path or query (capability tokens live there), and no address or account: the logs hold
no personal data.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import TextIO

from flask import Flask, g, has_request_context, request
from flask.wrappers import Response
from pythonjsonlogger.json import JsonFormatter

from badges.kernel import metrics

_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_HANDLER_MARK = "_skillspas_json_handler"
request_log = logging.getLogger("badges.request")


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


def json_handler(stream: TextIO | None = None) -> logging.StreamHandler[TextIO]:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(
        "{asctime}{levelname}{name}{message}{request_id}", style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    handler.addFilter(RequestIdFilter())
    setattr(handler, _HANDLER_MARK, True)
    return handler


def _install_json_logging() -> None:
    """The service's loggers (``badges.*``) write JSON to stderr; replaces an earlier install."""
    logger = logging.getLogger("badges")
    for old in [h for h in logger.handlers if getattr(h, _HANDLER_MARK, False)]:
        logger.removeHandler(old)
    logger.addHandler(json_handler())
    logger.setLevel(logging.INFO)
    logger.propagate = False


def init_app(app: Flask) -> None:
    json_logs = app.config["BADGES"]["LOG_FORMAT"] == "json"
    if json_logs:
        _install_json_logging()

    @app.before_request
    def _start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id") or uuid.uuid4().hex
        endpoint = request.endpoint or "unmatched"
        started = g.get("request_started")
        elapsed = time.perf_counter() - started if started is not None else 0.0
        metrics.REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        metrics.LATENCY.labels(request.method, endpoint).observe(elapsed)
        if json_logs:
            request_log.info("request", extra={
                "method": request.method, "endpoint": endpoint,
                "status": response.status_code, "duration_ms": round(elapsed * 1000, 1)})
        return response
