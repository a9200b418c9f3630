"""Response hardening: CSP nonces, cookies, HSTS, framing, rate limits, login waits, size caps."""

from __future__ import annotations

import re
import uuid

import pytest
import redis
from flask import Flask

from badges import create_app
from badges.accounts import services as accounts
from badges.kernel.models import utcnow
from tests.conftest import AuthActions, csrf_token, post_form

REDIS_URL = "redis://127.0.0.1:6379/15"
NONCE_RE = re.compile(r"'nonce-([A-Za-z0-9_\-]+)'")
TAG_RE = re.compile(r"<(script|style)\b([^>]*)>", re.I)
INLINE_RE = re.compile(r"<[^>]+\s(style|on[a-z]+)\s*=", re.I)
LOGIN_FAILED = "Inloggen is niet gelukt"


def variant(app_config: dict, **overrides) -> Flask:
    """Another app on the same (per-test, rolled back) database, configured differently."""
    return create_app({**app_config, **overrides})


def html_pages(app: Flask) -> list[str]:
    """Every GET page without URL parameters (new blueprints are covered automatically)."""
    return sorted({
        rule.rule for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments
        and not rule.rule.startswith(("/api/", "/static", "/.well-known"))
    })


def assert_csp_nonce_everywhere(response, url: str) -> None:
    csp = response.headers["Content-Security-Policy"]
    nonces = NONCE_RE.findall(csp)
    assert nonces and len(set(nonces)) == 1, (url, csp)
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    html = response.get_data(as_text=True)
    for tag, attrs in TAG_RE.findall(html):  # every script and style carries this response's nonce
        assert f'nonce="{nonces[0]}"' in attrs, (url, tag, attrs)
    assert '="None"' not in html, url  # an unset attribute rendered as text
    inline = INLINE_RE.search(html)
    assert inline is None, (url, inline and inline.group(0))


class TestHeaders:
    @pytest.mark.parametrize("who", [None, "beheer@skillspas.example", "vanessa@example.nl",
                                     "beheer@rocdemaasvallei.example"])
    def test_csp_nonce_on_every_html_page(self, app, client, demo, who):
        if who:
            AuthActions(client).login(who)
        checked = 0
        for url in html_pages(app):
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                assert_csp_nonce_everywhere(response, url)
                checked += 1
        assert checked >= 3
        # Error pages are pages too.
        assert_csp_nonce_everywhere(client.get("/no-such-page"), "/no-such-page")

    def test_nonce_differs_per_response(self, client):
        first, second = (NONCE_RE.findall(client.get("/").headers["Content-Security-Policy"])[0]
                         for _ in range(2))
        assert first != second

    def test_standard_headers(self, client):
        headers = client.get("/").headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers  # plain http: no HSTS

    def test_hsts_when_the_public_address_is_https(self, app, app_config):
        secure = variant(app_config, BASE_URL="https://skillspas.example")
        hsts = secure.test_client().get("/").headers["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts

    def test_proxy_fix_honours_x_forwarded_proto_only_when_enabled(self, app, app_config):
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        plain = variant(app_config).test_client().get("/", headers=headers)
        assert "Strict-Transport-Security" not in plain.headers
        proxied = variant(app_config, PROXY_FIX=True).test_client().get("/", headers=headers)
        assert "Strict-Transport-Security" in proxied.headers


class TestCookies:
    def test_secure_httponly_samesite_when_base_url_is_https(self, app, app_config, demo):
        secure = variant(app_config, BASE_URL="https://skillspas.example")
        assert secure.config["SESSION_COOKIE_SECURE"] and secure.config["REMEMBER_COOKIE_SECURE"]
        client = secure.test_client()
        response = post_form(client, "/login", {"email": "vanessa@example.nl",
                                                "password": "skillspas-demo", "remember": "y"})
        assert response.status_code == 302
        cookies = response.headers.getlist("Set-Cookie")
        session = next(c for c in cookies if c.startswith("session="))
        assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session
        remember = [c for c in cookies if c.startswith("remember_token=")]
        assert all("Secure" in c and "HttpOnly" in c for c in remember)

    def test_not_secure_on_plain_http_development(self, app):
        assert app.config["SESSION_COOKIE_SECURE"] is False
        assert app.config["SESSION_COOKIE_HTTPONLY"] is True


class TestRateLimits:
    @pytest.mark.parametrize("url,limit", [("/login", 10), ("/password/forgot", 30)])
    def test_limit_kicks_in_with_a_friendly_page(self, app, app_config, url, limit):
        limited = variant(app_config, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
        client = limited.test_client()
        token = csrf_token(client, url)
        data = {"email": "niemand@example.nl", "password": "fout", "csrf_token": token}
        statuses = [client.post(url, data=data).status_code for _ in range(limit)]
        assert 429 not in statuses
        response = client.post(url, data=data)
        assert response.status_code == 429
        body = response.get_data(as_text=True)
        assert "Even wachten" in body and "te vaak geprobeerd" in body
        assert "Content-Security-Policy" in response.headers
        assert client.get(url).status_code == 200  # reading the page is not limited

    def test_redis_storage_is_shared_between_processes(self, app, app_config):
        prefix = f"test-{uuid.uuid4().hex}"
        config = {"RATELIMIT_ENABLED": True, "REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
        first, second = variant(app_config, **config), variant(app_config, **config)
        assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
        server = redis.Redis.from_url(REDIS_URL)
        try:
            client = first.test_client()
            data = {"email": "niemand@example.nl", "password": "fout",
                    "csrf_token": csrf_token(client, "/login")}
            for _ in range(10):
                assert client.post("/login", data=data).status_code != 429
            assert list(server.scan_iter(f"*{prefix}*"))  # the counter lives in Redis
            # Another process (another app object, same Redis) sees the same count.
            other = second.test_client()
            other_data = {**data, "csrf_token": csrf_token(other, "/login")}
            assert other.post("/login", data=other_data).status_code == 429
        finally:
            for key in server.scan_iter(f"*{prefix}*"):
                server.delete(key)


class TestLoginWaitsAndLimits:
    def _message(self, client, email: str, password: str) -> str:
        body = post_form(client, "/login", {"email": email, "password": password}).get_data(as_text=True)
        return re.search(r'<p class="flash[^"]*">(.*?)</p>', body, re.S).group(1)

    def test_waiting_message_reveals_nothing(self, client, demo, monkeypatch):
        now = utcnow()
        monkeypatch.setattr(accounts, "utcnow", lambda: now)  # the 2 s wait cannot pass
        unknown = self._message(client, "bestaat-niet@example.nl", "skillspas-demo")
        wrong = self._message(client, "henk@example.nl", "fout-wachtwoord")
        for _ in range(5):
            self._message(client, "henk@example.nl", "fout-wachtwoord")
        waiting = self._message(client, "henk@example.nl", "skillspas-demo")  # right one, must wait
        assert LOGIN_FAILED in unknown
        assert unknown == wrong == waiting

    def test_too_large_request_gets_a_friendly_413(self, app, app_config):
        small = variant(app_config, MAX_UPLOAD_MB=1)
        client = small.test_client()
        response = client.post("/login", data={"email": "x" * (2 * 1024 * 1024)})
        assert response.status_code == 413
        assert "te groot" in response.get_data(as_text=True)
        api = client.post("/api/v1/verify", data=b"x" * (2 * 1024 * 1024),
                          content_type="text/plain")
        assert api.status_code == 413
        assert api.mimetype == "application/problem+json"
