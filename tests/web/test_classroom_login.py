"""Classroom logins (finding 8): a class behind one school address gets in
within a minute; the login limit counts failures only, per account and address,
with a wider ceiling per address."""

from __future__ import annotations

import time
from types import SimpleNamespace

import limits.storage.memory
import pytest
from flask import Flask
from flask.testing import FlaskClient

from badges import create_app
from badges.accounts import services as accounts
from tests.conftest import post_form

SCHOOL = "192.0.2.10"  # one NAT address for the whole school
HOME = "198.51.100.4"
PASSWORD = "klas-wachtwoord-2026"


@pytest.fixture
def limited(app, app_config) -> Flask:
    """The app with rate limits on (in memory), on the test's database."""
    return create_app({**app_config, "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": "memory://"})


@pytest.fixture
def within_one_minute(monkeypatch) -> None:
    """Stop the limiter's clock: on a busy test machine 30 argon2 logins can take
    longer than the minute the old limit counted, which would hide the failure."""
    frozen = time.time()
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=lambda: frozen))


def browser(app: Flask, address: str = SCHOOL) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> int:
    return post_form(client, "/login", {"email": email, "password": password}).status_code


def learners(app: Flask, count: int) -> list[str]:
    with app.test_request_context():  # registering mails a confirmation link
        return [accounts.register(f"leerling{n:02d}@school.example", f"Leerling {n}", PASSWORD).email
                for n in range(1, count + 1)]


def test_a_class_of_thirty_logs_in_from_one_address(limited, within_one_minute):
    emails = learners(limited, 30)
    statuses = [login(browser(limited), email) for email in emails]
    assert statuses == [302] * 30


def test_logging_in_again_and_again_is_not_counted(limited, within_one_minute):
    [email] = learners(limited, 1)
    client = browser(limited)
    assert [login(client, email) for _ in range(15)] == [302] * 15


def test_failures_are_limited_per_account_and_address(limited, within_one_minute):
    me, classmate = learners(limited, 2)
    prankster = browser(limited)
    for _ in range(10):
        assert login(prankster, me, "fout-wachtwoord") == 200
    assert login(prankster, me) == 429  # this account from this address: enough for a minute
    assert login(browser(limited), classmate) == 302  # the rest of the class is not stopped
    assert login(browser(limited, HOME), me) == 302  # nor the owner elsewhere


def test_many_accounts_failing_from_one_address_meet_a_ceiling(limited, within_one_minute):
    client = browser(limited)
    for n in range(60):
        assert login(client, f"gok{n}@example.nl", "fout-wachtwoord") == 200
    response = post_form(client, "/login", {"email": "gok-nog-een@example.nl", "password": "x"})
    assert response.status_code == 429
    assert "Even wachten" in response.get_data(as_text=True)
    assert login(browser(limited, HOME), "gok0@example.nl", "fout") == 200  # other addresses go on
