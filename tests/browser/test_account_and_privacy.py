"""The account menu, the account page, the passport's share and download links, privacy and claim pages."""

from __future__ import annotations

from tests.browser.conftest import login


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_account_menu_works_with_the_keyboard(page, live_server, check_page):
    login(page, live_server, "vanessa@example.nl")
    page.goto(live_server("/passport"))
    menu = page.get_by_role("navigation", name="Account")
    summary = menu.locator("summary")
    assert "Vanessa de Groot" in summary.inner_text()
    logout_button = menu.get_by_role("button", name="Uitloggen")
    assert not logout_button.is_visible()  # closed until asked
    summary.focus()
    page.keyboard.press("Enter")
    logout_button.wait_for()
    menu.get_by_text("vanessa@example.nl").wait_for()
    check_page("account-menu-open")
    _no_sideways_scroll(page)
    menu.get_by_role("link", name="Mijn account").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Mijn account", level=1).wait_for()
    check_page("account-page")
    _no_sideways_scroll(page)


def test_passport_offers_sharing_and_downloads(page, live_server, check_page):
    login(page, live_server, "vanessa@example.nl")
    page.goto(live_server("/passport"))
    page.get_by_role("heading", name="Delen").wait_for()
    page.get_by_role("link", name="Overzicht om te printen (PDF)").wait_for()
    check_page("passport-share-download")
    _no_sideways_scroll(page)


def test_privacy_and_contact_pages(page, live_server, check_page):
    page.goto(live_server("/register"))
    page.get_by_role("main").get_by_role("link", name="privacyverklaring").click()
    page.get_by_role("heading", name="Privacyverklaring", level=1).wait_for()
    check_page("privacy")
    _no_sideways_scroll(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Contact").click()
    page.get_by_role("heading", name="Contact", level=1).wait_for()
    check_page("contact")
    _no_sideways_scroll(page)


def test_claim_page_shows_the_badge(page, live_server, check_page):
    from tests.web.passport.conftest import issue

    with live_server.app.test_request_context():
        token = issue(f"claim-{page.viewport_size['width']}@example.nl").claim_token
    page.goto(live_server(f"/claim/{token}"))
    page.get_by_role("heading", name="Zorg voor mensen met dementie").wait_for()
    check_page("claim")
    _no_sideways_scroll(page)


def test_revoked_claim_page_explains_why(page, live_server, check_page):
    from badges.issuing import services as issuing
    from badges.issuing.models import CredentialState
    from tests.web.passport.conftest import issue

    with live_server.app.test_request_context():
        issued = issue(f"revoked-{page.viewport_size['width']}@example.nl")
        issuing.change_state(issued.credential, CredentialState.REVOKED, "Verkeerd uitgegeven",
                             actor_id=None)
        token = issued.claim_token
    page.goto(live_server(f"/claim/{token}"))
    page.get_by_role("heading", name="Dit bewijs is ingetrokken").wait_for()
    assert page.get_by_role("link", name="Account maken").count() == 0
    check_page("claim-revoked")
    _no_sideways_scroll(page)
