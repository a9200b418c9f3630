"""The API page in a real browser: a token with chosen scopes and an expiry date, and an
OAuth client whose secret is shown once; keyboard-labelled, no axe violations (#15.12)."""

from __future__ import annotations

import uuid

from tests.browser.conftest import login

ADMIN = "beheer@rocdemaasvallei.example"
PAGE = "/issuer/maasvallei-zorg-welzijn/tokens"


def test_admin_makes_a_scoped_token_and_an_oauth_client(page, live_server, check_page):
    login(page, live_server, ADMIN)
    page.goto(live_server(PAGE))
    check_page("token page")
    label = f"Alleen lezen {uuid.uuid4().hex[:6]}"
    page.get_by_label("Waarvoor is deze sleutel?").fill(label)
    for scope in ("issue", "revoke", "bulk"):  # all four are ticked by default
        page.get_by_label(f"({scope})").first.uncheck()
    page.get_by_label("Verloopt op (optioneel)").fill("2099-12-31")
    page.get_by_role("button", name="Sleutel maken").click()
    token = page.get_by_label("Sleutel", exact=True).input_value()
    assert token.startswith("sp_")
    row = page.locator("tr", has_text=label)
    assert "read" in row.inner_text() and "31-12-2099" in row.inner_text()
    check_page("token made")
    name = f"Eduarte OAuth {uuid.uuid4().hex[:6]}"
    page.get_by_label("Naam van de koppeling").fill(name)
    page.get_by_role("button", name="Koppeling maken").click()
    assert page.get_by_label("client_id").input_value().startswith("spc_")
    assert page.get_by_label("client_secret").input_value()
    assert "issue" in page.locator("tr", has_text=name).inner_text()
    check_page("oauth client made")
