"""Wrong passwords slow down the address they come from, for that account only:
an outsider can no longer lock a learner out (finding 7)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from badges.accounts import services as accounts
from badges.accounts import throttle
from badges.accounts.models import LoginThrottle
from badges.kernel.extensions import db
from badges.kernel.mail import LogMailer
from badges.kernel.models import utcnow
from tests.conftest import post_form

EMAIL = "henk@example.nl"
PASSWORD = "skillspas-demo"
OUTSIDER = "203.0.113.9"
OWNER = "198.51.100.4"


def browser(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def login(client: FlaskClient, email: str = EMAIL, password: str = PASSWORD) -> int:
    return post_form(client, "/login", {"email": email, "password": password}).status_code


def fail(client: FlaskClient, times: int, email: str = EMAIL) -> None:
    for _ in range(times):
        assert login(client, email, "fout-wachtwoord") == 200


@pytest.fixture(autouse=True)
def later(monkeypatch):
    """The login service's clock stands still (a slow machine must not end a wait
    early); ``later(seconds)`` moves it on by that much from the start."""
    start = utcnow()

    def move(seconds: float) -> None:
        monkeypatch.setattr(accounts, "utcnow", lambda: start + timedelta(seconds=seconds))

    move(0)
    return move


class TestNoLockout:
    def test_outsiders_failures_do_not_stop_the_owner_elsewhere(self, app, demo):
        outsider = browser(app, OUTSIDER)
        fail(outsider, 12)
        assert login(browser(app, OWNER)) == 302

    def test_the_same_message_for_unknown_wrong_and_waiting(self, app, demo):
        client = browser(app, OUTSIDER)

        def message(email: str, password: str) -> str:
            body = post_form(client, "/login", {"email": email, "password": password}).get_data(
                as_text=True)
            return re.search(r'<p class="flash[^"]*">(.*?)</p>', body, re.S).group(1)

        unknown = message("bestaat-niet@example.nl", PASSWORD)
        wrong = message(EMAIL, "fout-wachtwoord")
        fail(client, 4)
        waiting = message(EMAIL, PASSWORD)  # right password, but this address must wait
        assert "Inloggen is niet gelukt" in unknown
        assert unknown == wrong == waiting


class TestGrowingDelays:
    def test_five_failures_make_the_source_wait_two_seconds_then_four(self, app, demo, later):
        outsider = browser(app, OUTSIDER)
        later(0)
        fail(outsider, 5)
        later(1)
        assert login(outsider) == 200  # right password, still waiting: not even checked
        later(2.5)
        assert login(outsider, password="fout-wachtwoord") == 200  # 6th failure: 4 s
        later(5.5)
        assert login(outsider) == 200
        later(7)
        assert login(outsider) == 302

    def test_delays_double_and_stop_at_fifteen_minutes(self):
        waits = [throttle.wait_for(n).total_seconds() for n in range(1, 16)]
        assert waits[:4] == [0, 0, 0, 0]
        assert waits[4:9] == [2, 4, 8, 16, 32]
        assert max(waits) == 15 * 60 and waits[-1] == 15 * 60

    def test_unknown_addresses_are_slowed_down_like_real_ones(self, app, demo):
        outsider = browser(app, OUTSIDER)
        fail(outsider, 5, email="bestaat-niet@example.nl")
        fail(outsider, 5, email=EMAIL)
        with app.app_context():
            rows = db.session.scalars(db.select(LoginThrottle).order_by(LoginThrottle.email)).all()
            assert [(r.email, r.source, r.failures) for r in rows] == [
                ("bestaat-niet@example.nl", OUTSIDER, 5), (EMAIL, OUTSIDER, 5)]
            assert rows[0].wait_until - rows[0].last_failure_at == timedelta(seconds=2)
            assert rows[1].wait_until - rows[1].last_failure_at == timedelta(seconds=2)


class TestClearing:
    def test_success_clears_the_count_of_its_source(self, app, demo):
        school = browser(app, OUTSIDER)
        fail(school, 4)
        assert login(school) == 302
        school = browser(app, OUTSIDER)  # the next learner at the same school address
        fail(school, 4)
        assert login(school) == 302  # 4 again, not 8: no waiting

    def test_a_password_reset_clears_every_source(self, app, demo):
        mailbox = LogMailer()
        app.extensions["badges.mailer"] = mailbox
        try:
            school = browser(app, OUTSIDER)
            fail(school, 8)  # this address waits 16 s now
            post_form(browser(app, OWNER), "/password/forgot", {"email": EMAIL})
            link = re.search(r"http://localhost(/password/reset/\S+)", mailbox.sent[-1].text).group(1)
            home = browser(app, OWNER)
            assert post_form(home, link, {"password": "nieuw-wachtwoord-1",
                                          "password2": "nieuw-wachtwoord-1"}).status_code == 302
        finally:
            app.extensions.pop("badges.mailer", None)
        assert login(school, password="nieuw-wachtwoord-1") == 302
        with app.app_context():
            assert db.session.scalar(db.select(LoginThrottle).filter_by(email=EMAIL)) is None

    def test_quiet_sources_are_forgotten_after_a_day(self, app, demo, later):
        later(0)
        fail(browser(app, OUTSIDER), 3, email="a@example.nl")
        later(24 * 3600 + 1)
        fail(browser(app, OWNER), 1, email="b@example.nl")
        with app.app_context():
            emails = db.session.scalars(db.select(LoginThrottle.email)).all()
            assert emails == ["b@example.nl"]
