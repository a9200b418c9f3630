""""Naar mijn wallet" in a real browser: from a credential's page to the QR code, the
link and the one-time code, at phone and laptop width, by keyboard, with an axe check."""

from __future__ import annotations

import re

from tests.browser.conftest import login


def test_make_a_wallet_offer_from_the_credential_page(page, live_server, check_page):
    login(page, live_server, "vanessa@example.nl")
    page.goto(live_server("/passport"))
    page.locator("a[href^='/passport/c/']").first.click()
    page.get_by_role("link", name="Naar mijn wallet").click()
    page.get_by_role("heading", name="Naar mijn wallet", level=1).wait_for()
    check_page("wallet-start")
    button = page.get_by_role("button", name="QR-code maken")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Scan de QR-code met je wallet").wait_for()
    assert re.fullmatch(r"\d{6}", page.locator("#tx-code").inner_text())
    assert page.get_by_role("img", name="QR-code voor je wallet").is_visible()
    link = page.get_by_role("link", name="Openen in mijn wallet-app").get_attribute("href")
    assert link.startswith("openid-credential-offer://?credential_offer=")
    check_page("wallet-offer")
