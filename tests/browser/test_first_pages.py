"""The first pages in a real browser: landing (nl/en), logging in, password reset, admin.

Each page gets a screenshot (phone and laptop width) and an axe-core check.
"""

from __future__ import annotations

from tests.browser.conftest import login, logout


def test_landing_page_in_dutch_and_english(page, live_server, check_page):
    page.goto(live_server("/"))
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).count() == 1
    check_page("home-nl")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    check_page("home-en")
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"


def test_learner_logs_in_with_the_form(page, live_server, check_page):
    page.goto(live_server("/login"))
    check_page("login")
    login(page, live_server, "vanessa@example.nl")
    check_page("learner-after-login")
    logout(page)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inloggen").wait_for()


def test_wrong_password_shows_an_error_that_is_accessible(page, live_server, check_page):
    page.goto(live_server("/login"))
    page.get_by_label("E-mailadres").fill("ben@example.nl")
    page.get_by_label("Wachtwoord", exact=True).fill("niet-goed")
    page.locator("main form").get_by_role("button", name="Inloggen").click()
    page.get_by_text("Inloggen is niet gelukt").wait_for()
    check_page("login-failed")


def test_staff_logs_in_with_the_form(page, live_server, check_page):
    login(page, live_server, "docent@rocdemaasvallei.example")
    check_page("staff-after-login")


def test_password_reset_request(page, live_server, check_page):
    page.goto(live_server("/login"))
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.wait_for_load_state()
    check_page("forgot")
    page.get_by_label("E-mailadres").fill("henk@example.nl")
    page.get_by_role("button", name="Stuur de link").click()
    page.get_by_text("Als er een account bij dit e-mailadres hoort").wait_for()
    check_page("forgot-sent")


def test_platform_admin_page(page, live_server, check_page):
    login(page, live_server, "beheer@skillspas.example")
    page.get_by_role("link", name="Beheer").first.click()
    page.wait_for_load_state()
    assert "/admin" in page.url
    check_page("admin")
