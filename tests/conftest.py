"""Shared fixtures: ``app``, ``client``, ``runner``, ``db_session`` and a login helper.

The database is SQLite in a temporary folder unless ``BADGES_TEST_DATABASE_URL``
points at PostgreSQL (CI runs the suite a second time that way). The schema is
built once per test session; every test runs in a transaction that is rolled
back, so tests never see each other's data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import argon2.profiles
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FSASession
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from badges import create_app
from badges.accounts import passwords
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from tests.interop_data import INTEROP

PROJECT = Path(__file__).resolve().parent.parent

# Hypothesis profiles, loaded here (before any test module builds its @settings) so that
# randomness never decides a release: "ci" derandomizes (the same examples on every run),
# prints the blob that reproduces a failure and allows a loaded 2-core machine 5 s per
# example; "dev" is Hypothesis' default (new random examples each run). HYPOTHESIS_PROFILE
# chooses; without it, "ci" when CI is set (and scripts/test sets it), else "dev".
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=timedelta(seconds=5),
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", settings.get_profile("default"))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# Passwords: argon2's cheapest parameters in tests (production keeps RFC 9106's, which
# tests/web/test_auth.py checks in a fresh interpreter). Saves minutes of CI.
passwords.use_parameters(argon2.profiles.CHEAPEST)


def pytest_configure(config: pytest.Config) -> None:
    if not INTEROP.is_dir():  # say so once, instead of a hundred FileNotFoundErrors
        raise pytest.UsageError(
            f"The interop data is not at {INTEROP}: put the shared folder beside this "
            "project (../shared/interop) or set BADGES_INTEROP_DIR.")


def _database_url(tmp_path_factory: pytest.TempPathFactory, worker: str) -> str:
    url = os.environ.get("BADGES_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    # One database per xdist worker, created fresh for this run.
    import psycopg

    base, _, name = url.rpartition("/")
    dbname = f"{name}_{worker}"
    admin = re.sub(r"^postgresql\+psycopg://", "postgresql://", base + "/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    return f"{base}/{dbname}"


@pytest.fixture(scope="session")
def app_config(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> dict:
    instance = tmp_path_factory.mktemp("instance")
    return {
        "TESTING": True,
        "INSTANCE_DIR": str(instance),
        "DATABASE_URL": _database_url(tmp_path_factory, worker_id),
        "BASE_URL": "http://localhost",
        "SECRET_KEY": "test-secret-key-not-for-production",
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
        "INSIGHT_FLUSH_SECONDS": 0,  # no flushing thread: tests write verification counts themselves
        "INSIGHT_REGIONAL_CACHE_SECONDS": 0,  # tests change the data between requests
    }


@pytest.fixture(scope="session")
def app(app_config: dict) -> Iterator[Flask]:
    app = create_app(app_config)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def db_session(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each test inside a transaction that is rolled back afterwards.

    Tests that need committed data visible to other connections (a live
    server, threads) ask for ``committed_db`` instead.
    """
    if "app" not in request.fixturenames or "committed_db" in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    # The app context is pushed only while setting up and tearing down: a
    # context held across requests would let ``g`` (and Flask-Login's cached
    # user) leak from one request into the next.
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
    # Flask-SQLAlchemy picks engines by bind key and ignores a session-level
    # bind, so route every session of this test to the one connection.
    original_get_bind = FSASession.get_bind
    FSASession.get_bind = lambda self, *args, **kwargs: connection  # type: ignore[method-assign]
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        FSASession.get_bind = original_get_bind  # type: ignore[method-assign]
        outer.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _restore_limiter() -> Iterator[None]:
    """The limiter is one shared extension object: a test that builds an app with
    rate limits on flips it for every app. Put it back after each test."""
    from badges.kernel.extensions import limiter

    enabled = limiter.enabled
    yield
    limiter.enabled = enabled
    if limiter._storage is not None:  # only apps with limits on create storage
        limiter.reset()


@pytest.fixture
def mailbox(app: Flask) -> Iterator[LogMailer]:
    """Mail the app sends during the test, kept in memory (``mailbox.sent``)."""
    mailer = LogMailer()
    app.extensions["badges.mailer"] = mailer
    yield mailer
    app.extensions.pop("badges.mailer", None)


@pytest.fixture
def committed_db(app: Flask) -> Iterator[None]:
    """Real commits; every table is emptied afterwards."""
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    """Read a CSRF token the way a browser gets it: from a rendered form."""
    html = client.get(page).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, url: str, data: dict, page: str | None = None, **kw):
    """POST a form with a valid CSRF token taken from ``page`` (default: ``url``)."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page or url)}, **kw)


class AuthActions:
    def __init__(self, client: FlaskClient):
        self.client = client

    def login(self, email: str, password: str = "skillspas-demo"):
        return post_form(self.client, "/login", {"email": email, "password": password})

    def logout(self):
        return post_form(self.client, "/logout", {}, page="/")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def demo(app: Flask) -> dict:
    """The demo world, loaded inside the test's transaction."""
    from badges.demo.loader import load_demo

    with app.app_context():
        return load_demo()


def count_rows(table: str) -> int:
    return db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
