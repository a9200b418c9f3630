"""Registration, login, logout, password reset and email change."""

from __future__ import annotations

import re
import time

import pytest

from badges.accounts import services as accounts
from badges.accounts.models import User
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.kernel.models import utcnow
from tests.conftest import csrf_token, post_form

PASSWORD = "een-goed-wachtwoord"


def register(client, email="nieuw@example.nl", password=PASSWORD, password2=None):
    return post_form(client, "/register", {
        "name": "Nieuwe Lerende", "email": email, "password": password,
        "password2": password2 or password,
    })


class TestRegister:
    def test_creates_account_with_argon2_hash_then_user_logs_in(self, app, client, auth):
        # Not logged in at once: a taken address must get the very same answer.
        response = register(client)
        assert response.status_code == 302 and "/login" in response.location
        with app.app_context():
            user = db.session.scalar(db.select(User).filter_by(email="nieuw@example.nl"))
            assert user.password_hash.startswith("$argon2id$")
            assert PASSWORD not in user.password_hash
        assert "Uitloggen" not in client.get("/").get_data(as_text=True)
        auth.login("nieuw@example.nl", PASSWORD)
        assert "Uitloggen" in client.get("/").get_data(as_text=True)

    def test_production_hashes_with_rfc_9106_parameters(self):
        # The suite itself hashes cheaply (tests/conftest.py); a fresh interpreter shows
        # what the service really uses: argon2id, 64 MiB, 3 passes, 4 lanes.
        import subprocess
        import sys

        code = ("from badges.accounts.passwords import hash_password;"
                "print(hash_password('een-lang-wachtwoord'))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout
        assert out.startswith("$argon2id$v=19$m=65536,t=3,p=4$")

    def test_duplicate_email_case_insensitively_mails_the_owner(self, app, client, mailbox):
        # It used to say "al een account" on the page: that told anyone who had one.
        register(client)
        response = register(client, email="NIEUW@example.nl")
        assert response.status_code == 302
        assert "al een account" in mailbox.sent[-1].text
        assert mailbox.sent[-1].to == "nieuw@example.nl"
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(User.id)).filter(
                User.email == "nieuw@example.nl")) == 1

    def test_refuses_short_password(self, client):
        response = register(client, password="kort")
        assert response.status_code == 200
        assert "aria-invalid" in response.get_data(as_text=True)

    def test_refuses_post_without_csrf_token(self, client):
        response = client.post("/register", data={
            "name": "X", "email": "x@example.nl", "password": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 400


class TestLogin:
    def test_demo_account_logs_in(self, demo, auth, client):
        response = auth.login("vanessa@example.nl")
        assert response.status_code == 302
        assert "Uitloggen" in client.get("/").get_data(as_text=True)

    @pytest.mark.parametrize("email,password", [
        ("vanessa@example.nl", "fout-wachtwoord"),
        ("niemand@example.nl", "skillspas-demo"),
    ])
    def test_wrong_password_and_unknown_email_get_the_same_message(self, demo, auth, email, password):
        response = auth.login(email, password)
        assert response.status_code == 200
        assert "Inloggen is niet gelukt" in response.get_data(as_text=True)

    def test_repeated_failures_make_this_address_wait_without_saying_so(self, demo, auth, client,
                                                                        monkeypatch):
        now = utcnow()
        monkeypatch.setattr(accounts, "utcnow", lambda: now)  # the 2 s wait cannot pass
        for _ in range(5):
            auth.login("henk@example.nl", "fout-wachtwoord")
        response = auth.login("henk@example.nl")  # right password, but this address waits
        assert "Inloggen is niet gelukt" in response.get_data(as_text=True)
        assert "Uitloggen" not in client.get("/").get_data(as_text=True)

    def test_refuses_login_without_csrf_token(self, demo, client):
        response = client.post("/login", data={"email": "vanessa@example.nl", "password": "skillspas-demo"})
        assert response.status_code == 400

    def test_next_parameter_cannot_redirect_off_site(self, demo, client):
        token = csrf_token(client)
        response = client.post("/login?next=//evil.example/x", data={
            "email": "vanessa@example.nl", "password": "skillspas-demo", "csrf_token": token})
        # Not off-site: the learner's own start page instead.
        assert response.headers["Location"] == "/passport/"

    def test_logout_needs_post(self, demo, auth, client):
        auth.login("vanessa@example.nl")
        assert client.get("/logout").status_code == 405
        auth.logout()
        assert "Inloggen" in client.get("/").get_data(as_text=True)


def reset_link(mailbox: LogMailer) -> str:
    match = re.search(r"http://localhost(/password/reset/\S+)", mailbox.sent[-1].text)
    assert match
    return match.group(1)


class TestPasswordReset:
    def test_reset_by_emailed_link_then_link_is_single_use(self, demo, client, auth, mailbox):
        post_form(client, "/password/forgot", {"email": "ben@example.nl"})
        assert mailbox.sent[-1].to == "ben@example.nl"
        link = reset_link(mailbox)
        response = post_form(client, link, {"password": "nieuw-wachtwoord-1", "password2": "nieuw-wachtwoord-1"})
        assert response.status_code == 302
        assert auth.login("ben@example.nl", "nieuw-wachtwoord-1").status_code == 302
        auth.logout()
        again = client.get(link)
        assert again.status_code == 302 and "/password/forgot" in again.headers["Location"]

    def test_unknown_email_gets_the_same_answer_and_no_mail(self, demo, client, mailbox):
        response = post_form(client, "/password/forgot", {"email": "niemand@example.nl"},
                             follow_redirects=True)
        assert "Als er een account" in response.get_data(as_text=True)
        assert mailbox.sent == []

    def test_expired_link_is_refused(self, demo, app, client, mailbox, monkeypatch):
        post_form(client, "/password/forgot", {"email": "ben@example.nl"})
        link = reset_link(mailbox)
        real_time = time.time
        monkeypatch.setattr(time, "time", lambda: real_time() + 2 * 3600)
        response = client.get(link, follow_redirects=True)
        assert "verlopen" in response.get_data(as_text=True)


class TestEmailChange:
    def test_change_takes_effect_only_after_confirmation(self, demo, app, client, auth, mailbox):
        auth.login("prucha@example.nl")
        post_form(client, "/account/email", {"email": "prucha@werk.example",
                                             "password": "skillspas-demo"})
        with app.app_context():
            assert db.session.scalar(db.select(User).filter_by(email="prucha@example.nl"))
        link = re.search(r"http://localhost(/account/email/confirm/\S+)", mailbox.sent[-1].text).group(1)
        assert mailbox.sent[-1].to == "prucha@werk.example"
        client.get(link)
        with app.app_context():
            assert db.session.scalar(db.select(User).filter_by(email="prucha@werk.example"))


def test_unconfirmed_extra_address_does_not_block_registration(demo, app, client):
    from badges.accounts.models import EmailAddress

    with app.app_context():
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        db.session.add(EmailAddress(user_id=vanessa.id, email="zus@example.nl", label="private"))
        db.session.commit()
    assert register(client, email="zus@example.nl").status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(email="zus@example.nl"))
        assert db.session.scalar(db.select(EmailAddress).filter_by(email="zus@example.nl")) is None
