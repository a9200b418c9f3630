"""A database outage answers 503 with Retry-After, not a 500 stack trace (#15 item 12)."""

from __future__ import annotations

import shutil

import pytest
from flask import Flask

from badges import create_app
from tests.conftest import csrf_token


def _app(app_config: dict, url: str, instance) -> Flask:
    return create_app({**app_config, "DATABASE_URL": url, "INSTANCE_DIR": str(instance)})


@pytest.fixture(params=["postgres-port-closed", "sqlite-folder-removed"])
def broken(request, app_config, tmp_path) -> Flask:
    if request.param == "postgres-port-closed":  # nothing listens on port 1
        return _app(app_config, "postgresql://postgres@127.0.0.1:1/skillspas", tmp_path)
    folder = tmp_path / "gone"
    folder.mkdir()
    app = _app(app_config, f"sqlite:///{folder / 'db.sqlite3'}", tmp_path)
    shutil.rmtree(folder)
    return app


def test_pages_say_try_again_later_in_dutch(broken):
    client = broken.test_client()
    for url in ("/", "/aanbod"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.headers["Retry-After"] == "30"
        assert "no-store" in response.headers["Cache-Control"]
        html = response.get_data(as_text=True)
        assert "tijdelijk niet bereikbaar" in html
        assert "OperationalError" not in html and "127.0.0.1" not in html


def test_a_form_post_gets_the_same_answer(broken):
    client = broken.test_client()
    response = client.post("/login", data={"email": "a@example.nl", "password": "x",
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"


def test_english_page(broken):
    response = broken.test_client().get("/aanbod?lang=en")
    assert response.status_code == 503
    assert "temporarily unavailable" in response.get_data(as_text=True)


def test_api_answers_problem_json(broken):
    response = broken.test_client().get("/api/v1/credentials/x",
                                        headers={"Authorization": "Bearer sp_whatever"})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "30"
    assert response.get_json()["code"] == "unavailable"
