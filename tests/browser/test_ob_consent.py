"""The Open Badges API from the learner's side in a real browser: the consent page an app
sends her to, and "Apps met toegang" where she stops its access; at phone and laptop width,
by keyboard, with an axe check. The app is requests-oauthlib with PKCE S256."""

from __future__ import annotations

import requests
from requests_oauthlib import OAuth2Session

from tests.browser.conftest import login

BASE = "/ims/ob/v3p0"
READ = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"
PROFILE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"


def test_consent_then_withdraw(page, live_server, check_page, viewport, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the loopback server has no TLS
    name = f"Portfolio {viewport}"
    redirect = live_server("/about")  # stands in for the app's page: a loopback URL the browser can load
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
    assert "code=" in location
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
