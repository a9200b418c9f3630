"""Sessions that end: a copied session or remember cookie stops working after
"Overal uitloggen", a password reset and a password change; the remember cookie
lives 30 days, SameSite=Lax, HttpOnly (and Secure on https)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from badges import create_app
from tests.conftest import AuthActions, post_form

EMAIL = "prucha@example.nl"
PASSWORD = "skillspas-demo"
NEW_PASSWORD = "een-nieuw-wachtwoord"
PROBE = "/account/email"  # any page that needs a login


def logged_in(client: FlaskClient) -> bool:
    response = client.get(PROBE)
    assert response.status_code in {200, 302}
    return response.status_code == 200


def copy_of(app: Flask, client: FlaskClient, *names: str) -> FlaskClient:
    """A second browser holding copies of ``client``'s cookies (a stolen cookie)."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, f"no {name} cookie"
        thief.set_cookie(name, cookie.value, domain=cookie.domain)
    return thief


@pytest.fixture
def signed_in(app, client, demo) -> FlaskClient:
    assert AuthActions(client).login(EMAIL).status_code == 302
    assert logged_in(client)
    return client


class TestLogOutEverywhere:
    def test_account_page_offers_it(self, signed_in):
        body = signed_in.get("/account").get_data(as_text=True)
        assert "Overal uitloggen" in body
        assert 'action="/account/logout-everywhere"' in body

    def test_copied_session_cookie_stops_working(self, app, signed_in):
        thief = copy_of(app, signed_in, "session")
        assert logged_in(thief)  # the copy works until the owner acts
        response = post_form(signed_in, "/account/logout-everywhere", {}, page="/account",
                             follow_redirects=True)
        assert "Je bent overal uitgelogd" in response.get_data(as_text=True)
        assert not logged_in(thief)
        assert not logged_in(signed_in)  # everywhere includes this browser

    def test_copied_remember_cookie_stops_working(self, app, client, demo):
        post_form(client, "/login", {"email": EMAIL, "password": PASSWORD, "remember": "y"})
        stolen = client.get_cookie("remember_token")
        thief = copy_of(app, client, "remember_token")  # only the long-lived cookie
        assert logged_in(thief)  # it signs the thief in (and gives a session cookie)
        post_form(client, "/account/logout-everywhere", {}, page="/account")
        assert not logged_in(thief)
        fresh = app.test_client()
        fresh.set_cookie("remember_token", stolen.value, domain=stolen.domain)
        assert not logged_in(fresh)

    def test_needs_post_and_csrf(self, signed_in):
        assert signed_in.get("/account/logout-everywhere").status_code == 405
        assert signed_in.post("/account/logout-everywhere").status_code == 400
        assert logged_in(signed_in)

    def test_logging_in_again_works(self, signed_in):
        post_form(signed_in, "/account/logout-everywhere", {}, page="/account")
        assert AuthActions(signed_in).login(EMAIL).status_code == 302
        assert logged_in(signed_in)


class TestPasswordReset:
    def test_copied_session_cookie_stops_working(self, app, signed_in, mailbox):
        thief = copy_of(app, signed_in, "session")
        other = app.test_client()  # the owner resets from another browser
        post_form(other, "/password/forgot", {"email": EMAIL})
        link = re.search(r"http://localhost(/password/reset/\S+)", mailbox.sent[-1].text).group(1)
        response = post_form(other, link, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert response.status_code == 302
        assert not logged_in(thief)
        assert not logged_in(signed_in)


class TestPasswordChange:
    def change(self, client, current=PASSWORD, new=NEW_PASSWORD, new2=None, **kw):
        return post_form(client, "/account/password", {
            "current_password": current, "password": new, "password2": new2 or new}, **kw)

    def test_copied_cookie_stops_working_and_this_browser_stays_in(self, app, signed_in):
        thief = copy_of(app, signed_in, "session")
        response = self.change(signed_in, follow_redirects=True)
        assert "Je wachtwoord is gewijzigd" in response.get_data(as_text=True)
        assert not logged_in(thief)
        assert logged_in(signed_in)
        AuthActions(signed_in).logout()
        assert AuthActions(signed_in).login(EMAIL, PASSWORD).status_code == 200  # old one: no
        assert AuthActions(signed_in).login(EMAIL, NEW_PASSWORD).status_code == 302

    def test_a_remembered_browser_gets_a_new_remember_cookie(self, app, client, demo):
        post_form(client, "/login", {"email": EMAIL, "password": PASSWORD, "remember": "y"})
        old = client.get_cookie("remember_token")
        self.change(client)
        new = client.get_cookie("remember_token")
        assert new is not None and new.value != old.value
        for cookie, works in ((old, False), (new, True)):
            browser = app.test_client()  # only the remember cookie, as after a restart
            browser.set_cookie("remember_token", cookie.value, domain=cookie.domain)
            assert logged_in(browser) is works

    def test_wrong_current_password_is_refused_in_plain_words(self, signed_in):
        response = self.change(signed_in, current="niet-mijn-wachtwoord")
        assert response.status_code == 200
        assert "Je huidige wachtwoord klopt niet" in response.get_data(as_text=True)
        assert AuthActions(signed_in).logout().status_code == 302
        assert AuthActions(signed_in).login(EMAIL, PASSWORD).status_code == 302

    def test_new_passwords_must_match_and_be_long_enough(self, signed_in):
        body = self.change(signed_in, new2="iets-anders-dan-dat").get_data(as_text=True)
        assert "De wachtwoorden zijn niet gelijk" in body
        body = self.change(signed_in, new="kort").get_data(as_text=True)
        assert 'aria-invalid="true"' in body

    def test_english(self, signed_in):
        body = self.change(signed_in, current="niet-mijn-wachtwoord",
                           query_string={"lang": "en"}).get_data(as_text=True)
        assert "Your current password is not right" in body

    def test_needs_login(self, client):
        response = client.get("/account/password")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


class TestRememberCookie:
    def _remember(self, app: Flask) -> str:
        client = app.test_client()
        response = post_form(client, "/login", {"email": EMAIL, "password": PASSWORD,
                                                "remember": "y"})
        assert response.status_code == 302
        return next(c for c in response.headers.getlist("Set-Cookie")
                    if c.startswith("remember_token="))

    def test_thirty_days_samesite_lax_httponly(self, app, demo):
        assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)
        cookie = self._remember(app)
        assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
        expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
        assert abs(expires - datetime.now(UTC) - timedelta(days=30)) < timedelta(minutes=5)
        assert "Secure" not in cookie  # plain http in development

    def test_secure_when_base_url_is_https(self, app_config, demo):
        secure = create_app({**app_config, "BASE_URL": "https://skillspas.example"})
        cookie = self._remember(secure)
        assert "Secure" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie
