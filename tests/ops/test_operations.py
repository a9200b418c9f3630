"""Health, readiness, Prometheus metrics, request ids and JSON logs, against real dependencies:
the suite's SQLite, the machine's Redis, a real SMTP server, and closed ports for outages."""

from __future__ import annotations

import io
import json
import logging
import socket
from pathlib import Path

import pytest

from badges import create_app
from badges.kernel.db import db
from tests._verify_support import issue
from tests.services.conftest import smtp_server  # noqa: F401 - a fixture, used by name

REDIS = "redis://127.0.0.1:6379/15"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens once the socket is closed


def _app(tmp_path: Path, **overrides: object):
    config = {"TESTING": True, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x" * 32,
              "DATABASE_URL": f"sqlite:///{tmp_path / 'ops.sqlite3'}", "RATELIMIT_ENABLED": False,
              **overrides}
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_healthz_answers_without_touching_anything(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json == {"status": "ok"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_readyz_reports_each_dependency(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "ok"
    assert answer.json["checks"]["database"]["status"] == "ok"
    assert answer.json["checks"]["redis"]["status"] == "not_configured"
    assert answer.json["checks"]["mail"]["status"] == "not_configured"


def test_readyz_is_503_when_the_database_is_down_and_leaks_no_connection_string(tmp_path):
    port = _closed_port()
    down = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x" * 32,
                       "DATABASE_URL": f"postgresql://geheim:wachtwoord@127.0.0.1:{port}/x"})
    answer = down.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["status"] == "failing"
    assert answer.json["checks"]["database"]["status"] == "failing"
    assert "wachtwoord" not in answer.get_data(as_text=True)
    assert down.test_client().get("/healthz").status_code == 200  # alive, just not ready
    _dispose(down)


def test_readyz_checks_a_real_redis_and_a_missing_one(tmp_path):
    up = _app(tmp_path, REDIS_URL=REDIS)
    assert up.test_client().get("/readyz").json["checks"]["redis"]["status"] == "ok"
    down = _app(tmp_path, REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    answer = down.test_client().get("/readyz")
    assert answer.status_code == 503 and answer.json["checks"]["redis"]["status"] == "failing"
    _dispose(up)
    _dispose(down)


def test_a_mail_server_that_does_not_answer_degrades_but_does_not_unready(tmp_path, smtp_server):  # noqa: F811
    _, port = smtp_server
    up = _app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    answer = up.test_client().get("/readyz")
    assert answer.status_code == 200 and answer.json["checks"]["mail"]["status"] == "ok"
    down = _app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=_closed_port())
    answer = down.test_client().get("/readyz")
    assert answer.status_code == 200
    assert answer.json["status"] == "degraded"
    assert answer.json["checks"]["mail"]["status"] == "failing"
    _dispose(up)
    _dispose(down)


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def test_metrics_count_requests_issued_and_verified_credentials(app, client, demo):
    before = client.get("/metrics").get_data(as_text=True)
    with app.app_context():
        document = issue().document
    client.get("/verify")
    client.post("/api/v1/verify", json=document)
    after = client.get("/metrics").get_data(as_text=True)
    assert _sample(after, "skillspas_credentials_issued_total") == \
        _sample(before, "skillspas_credentials_issued_total") + 1
    assert _sample(after, "skillspas_verifications_total", verdict="valid") == \
        _sample(before, "skillspas_verifications_total", verdict="valid") + 1
    assert _sample(after, "skillspas_http_requests_total", method="GET", endpoint="verify.page",
                   status="200") >= 1
    assert "skillspas_queue_depth" in after
    # The endpoint's name, never its path: share and claim paths carry tokens.
    assert "/s/" not in after and "/claim/" not in after


def test_metrics_are_not_public(tmp_path):
    app = _app(tmp_path)
    outside = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert outside.status_code == 404
    _dispose(app)
    app = _app(tmp_path, METRICS_TOKEN="scrape-me-0123456789")
    client = app.test_client()
    assert client.get("/metrics").status_code == 404  # loopback is not enough once a token is set
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    answer = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"},
                        environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert answer.status_code == 200 and "skillspas_http_requests_total" in answer.get_data(as_text=True)
    _dispose(app)


def test_every_response_names_its_request_id(client):
    own = client.get("/healthz").headers["X-Request-ID"]
    assert len(own) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.1"}).headers["X-Request-ID"] == "lb-7f3a.1"
    hostile = "<script>" + "a" * 100  # not a plain token, or too long: replaced, never echoed
    answer = client.get("/healthz", headers={"X-Request-ID": hostile})
    assert answer.headers["X-Request-ID"] != hostile and len(answer.headers["X-Request-ID"]) == 32


def test_json_logs_carry_the_request_id_and_no_token_or_address(tmp_path):
    app = _app(tmp_path, LOG_FORMAT="json")
    handler = next(h for h in logging.getLogger("badges").handlers if getattr(h, "_skillspas_json_handler", False))
    stream = io.StringIO()
    handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        client = app.test_client()
        answer = client.get("/s/geheim-deeltoken-1234567890", environ_base={"REMOTE_ADDR": "198.51.100.7"})
        client.post("/login", data={"email": "iemand@example.nl", "password": "fout"})
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger = logging.getLogger("badges")
        logger.removeHandler(handler)
        logger.propagate = True
        _dispose(app)
    share = [line for line in lines if line.get("endpoint") == "share.public"]
    assert share and share[0]["request_id"] == answer.headers["X-Request-ID"]
    assert share[0]["status"] == answer.status_code and share[0]["level"] == "INFO"
    text = json.dumps(lines)
    assert "geheim-deeltoken" not in text
    assert "198.51.100.7" not in text
    assert "iemand@example.nl" not in text


@pytest.mark.parametrize("fmt", ["text"])
def test_text_logs_stay_the_default(tmp_path, fmt):
    app = _app(tmp_path)
    assert app.config["BADGES"]["LOG_FORMAT"] == fmt
    assert not any(getattr(h, "_skillspas_json_handler", False) for h in logging.getLogger("badges").handlers)
    _dispose(app)
