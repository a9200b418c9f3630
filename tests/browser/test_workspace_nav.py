"""The workspace tabs on a phone (#22): one short row that scrolls sideways instead of a
wall of tabs above every page; each tab is still reached with the keyboard, and the page
itself never scrolls sideways. Also a look at the pages with the new questions (an
achievement held already, a name that differs) and the confirmation pages."""

from __future__ import annotations

from tests.browser.conftest import VIEWPORTS, login

SLUG = "maasvallei-zorg-welzijn"
ADMIN = "beheer@rocdemaasvallei.example"  # sees every group of tabs


def test_the_tabs_take_little_room_and_every_tab_is_reachable(page, live_server, viewport,
                                                               check_page):
    login(page, live_server, ADMIN)
    page.goto(live_server(f"/issuer/{SLUG}/credentials"))
    nav = page.get_by_role("navigation", name="Onderdelen van")
    box = nav.bounding_box()
    height, width = VIEWPORTS[viewport]["height"], VIEWPORTS[viewport]["width"]
    if viewport == "mobile":
        # A phone shows the page, not the menu: at most a seventh of the screen.
        assert box["height"] < height / 7, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    current = nav.locator('[aria-current="page"]')
    assert current.inner_text() == "Bewijzen"
    current_box = current.bounding_box()
    assert current_box["x"] >= 0 and current_box["x"] + current_box["width"] <= width
    check_page("credentials with tabs")

    # Tab from the first tab to the last one: each gets focus and comes into view.
    links = nav.get_by_role("link")
    links.first.focus()
    for i in range(links.count() - 1):
        page.keyboard.press("Tab")
        focused = links.nth(i + 1)
        assert focused.evaluate("el => el === document.activeElement")
        shown = focused.bounding_box()
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= width + 1, (i, shown)
    assert links.last.inner_text() == "Logboek"
    check_page("tabs with the last one focused")
    links.last.click()
    page.get_by_role("heading", level=1, name="Logboek").wait_for()


def test_the_issue_form_asks_about_an_earlier_one_and_the_name(page, live_server, check_page):
    """Vanessa holds Basiszorg; another name for her address: both questions, one page."""
    login(page, live_server, "docent@rocdemaasvallei.example")
    page.goto(live_server(f"/issuer/{SLUG}/issue"))
    page.get_by_label("Prestatie", exact=True).select_option(label="Basiszorg")
    page.get_by_label("Naam van de ontvanger").fill("Vanessa Jansen")
    page.get_by_label("E-mailadres van de ontvanger").fill("vanessa@example.nl")
    page.get_by_role("button", name="Uitgeven en e-mail sturen").click()
    page.get_by_text("Al eerder uitgegeven aan deze persoon").wait_for()
    assert page.get_by_label("Ja, deze naam klopt: toch uitgeven").is_checked() is False
    assert page.get_by_label("Ja, ik weet het: toch nog een keer uitgeven").is_checked() is False
    check_page("issue form asks twice")
    page.locator("#held-already").get_by_role("link").first.click()
    page.get_by_role("heading", level=1, name="Basiszorg").wait_for()
    check_page("the earlier credential")


def test_withdrawing_an_invitation_and_removing_a_rule_ask_first(page, live_server, viewport,
                                                                 check_page):
    login(page, live_server, ADMIN)
    email = f"collega-{viewport}@example.nl"
    page.goto(live_server(f"/issuer/{SLUG}/people"))
    page.get_by_label("E-mailadres", exact=True).fill(email)
    page.get_by_role("button", name="Uitnodiging sturen").click()
    page.get_by_role("link", name=f"Intrekken… uitnodiging voor {email}").click()
    page.get_by_role("heading", level=1, name=f"Uitnodiging voor {email} intrekken?").wait_for()
    check_page("withdraw invitation")
    page.get_by_role("button", name="Ja, uitnodiging intrekken").click()
    page.get_by_text("De uitnodiging is ingetrokken.").wait_for()

    domain = f"nav-{viewport}.maasvallei.example"
    page.goto(live_server(f"/issuer/{SLUG}/sign-in-rules"))
    page.get_by_label("Domein").fill(domain)
    page.get_by_role("button", name="Voorstellen").click()
    page.get_by_role("link", name=f"Verwijderen… {domain}").click()
    page.get_by_role("heading", level=1, name=f"Regel {domain} verwijderen?").wait_for()
    check_page("remove sign-in rule")
    page.get_by_role("button", name="Ja, regel verwijderen").click()
    page.get_by_text("De regel is verwijderd.").wait_for()
