"""The Open Badges API from the learner's side in a real browser: the consent page an app
sends her to, and "Apps met toegang" where she stops its access; at phone and laptop width,
by keyboard, with an axe check. The app is requests-oauthlib with PKCE S256."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from requests_oauthlib import OAuth2Session

from tests.browser.conftest import login

BASE = "/ims/ob/v3p0"
READ = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"
PROFILE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"


class _AppPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"the app")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def app_site() -> Iterator[str]:
    """The app's own web server: another origin than Skillspas, where the browser is sent back."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AppPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_consent_then_withdraw(page, live_server, app_site, check_page, viewport, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the loopback server has no TLS
    name = f"Portfolio {viewport}"
    redirect = f"{app_site}/callback"
    client = requests.post(live_server(f"{BASE}/register"), timeout=30, json={
        "client_name": name, "client_uri": "https://portfolio.example", "redirect_uris": [redirect],
        "scope": f"{READ} {PROFILE}", "grant_types": ["authorization_code", "refresh_token"]}).json()
    oauth = OAuth2Session(client["client_id"], redirect_uri=redirect, scope=[READ, PROFILE], pkce="S256")
    url, _state = oauth.authorization_url(live_server(f"{BASE}/authorize"))

    login(page, live_server, "vanessa@example.nl")
    page.goto(url)
    page.get_by_role("heading", name=f"Toegang geven aan {name}?", level=1).wait_for()
    assert page.get_by_role("listitem").filter(has_text="Je bewijzen bekijken").count() == 1
    check_page("consent")
    page.get_by_role("button", name="Toegang geven").focus()
    with page.expect_navigation(url=lambda u: u.startswith(redirect + "?")):
        page.keyboard.press("Enter")
    location = page.url
    assert "code=" in location and page.get_by_text("the app").is_visible()
    oauth.fetch_token(live_server(f"{BASE}/token"), authorization_response=location,
                      client_secret=client["client_secret"])
    assert oauth.get(live_server(f"{BASE}/credentials"), timeout=30).status_code == 200

    page.goto(live_server("/passport"))
    page.get_by_role("link", name="Bekijk welke apps toegang hebben").click()
    page.get_by_role("heading", name="Apps met toegang", level=1).wait_for()
    card = page.locator("li.card").filter(has=page.get_by_role("heading", name=name))
    card.locator("summary").click()
    assert card.get_by_text("Haalde").count() == 1
    check_page("apps")
    card.get_by_role("button", name=f"Toegang stoppen voor {name}").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("De app heeft geen toegang meer tot je pas.").wait_for()
    assert page.get_by_role("heading", name=name).count() == 0
    check_page("apps-withdrawn")
    assert oauth.get(live_server(f"{BASE}/credentials"), timeout=30).status_code == 401


def test_the_page_policy_lets_the_answer_reach_the_app(chromium, live_server, app_site, monkeypatch):
    """With the page's real CSP (no bypass): Chromium checks form-action against the redirect
    that follows the consent form too, so the policy must name the app's redirect origin."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    client = requests.post(live_server(f"{BASE}/register"), timeout=30, json={
        "client_name": "CSP-app", "redirect_uris": [f"{app_site}/callback"], "scope": READ}).json()
    oauth = OAuth2Session(client["client_id"], redirect_uri=f"{app_site}/callback", scope=[READ], pkce="S256")
    url, _state = oauth.authorization_url(live_server(f"{BASE}/authorize"))
    context = chromium.new_context(locale="nl-NL")  # the app's CSP applies
    try:
        page = context.new_page()
        login(page, live_server, "vanessa@example.nl")
        page.goto(url)
        with page.expect_navigation(url=lambda u: u.startswith(f"{app_site}/callback?")):
            page.get_by_role("button", name="Toegang geven").click()
        assert page.get_by_text("the app").is_visible()
    finally:
        context.close()
