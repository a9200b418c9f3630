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
    assert 0 <= current_box["x"] and current_box["x"] + current_box["width"] <= width
    check_page("credentials with tabs")

    # Tab from the first tab to the last one: each gets focus and comes into view.
    links = nav.get_by_role("link")
    links.first.focus()
    for i in range(links.count() - 1):
        page.keyboard.press("Tab")
        focused = links.nth(i + 1)
        assert focused.evaluate("el => el === document.activeElement")
        shown = focused.bounding_box()
        assert 0 <= shown["x"] and shown["x"] + shown["width"] <= width + 1, (i, shown)
    assert links.last.inner_text() == "Logboek"
    check_page("tabs with the last one focused")
    links.last.click()
    page.get_by_role("heading", level=1, name="Logboek").wait_for()
