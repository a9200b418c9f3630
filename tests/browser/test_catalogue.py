"""The catalogue in a real browser: find every offering that teaches a skill, narrow it by
level and format with the keyboard only, at phone and laptop width, with an axe check."""

from __future__ import annotations

from tests.browser.conftest import login

VCA_OFFERINGS = {"Veilig werken in de werkplaats", "Mbo-certificaat Basisvaardigheden metaalbewerken",
                 "Werkbegeleider in de bouw", "Op weg naar het mbo-certificaat metaalbewerken"}


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.textContent")


def _tab_to(page, element_id: str, most: int = 15) -> None:
    for _ in range(most):
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id} (at {_focused(page)!r})")


def _choose(page, element_id: str, label: str) -> None:
    """Pick an option of the focused select with arrow keys, as a keyboard user does."""
    target = page.evaluate("""([id, label]) => [...document.getElementById(id).options]
        .findIndex(o => o.textContent.trim() === label)""", [element_id, label])
    assert target > 0, f"{label!r} is not an option of #{element_id}"
    current = page.evaluate("id => document.getElementById(id).selectedIndex", element_id)
    for _ in range(target - current):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("id => document.getElementById(id).selectedOptions[0].textContent.trim()",
                         element_id) == label


def _submit_with_keyboard(page) -> None:
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Zoeken":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _results(page) -> set[str]:
    return set(page.locator(".catalogue-results").get_by_role("heading", level=3).all_inner_texts())


def test_find_by_skill_then_filter_by_level_and_format_with_the_keyboard(
        page, live_server, check_page):
    page.goto(live_server("/aanbod"))
    page.get_by_role("heading", name="Aanbod: leren voor werk, in de buurt").wait_for()
    check_page("catalogue-all")

    page.keyboard.press("Tab")  # skip link first: it must work too
    assert _focused(page) == "Naar de inhoud"
    _tab_to(page, "c-skill")
    _choose(page, "c-skill", "Veilig werken (VCA)")
    _submit_with_keyboard(page)
    page.get_by_role("heading", name="4 resultaten").wait_for()
    assert _results(page) == VCA_OFFERINGS
    check_page("catalogue-skill")

    page.locator("#c-skill").focus()  # the form keeps the choice; go on from there
    _tab_to(page, "c-level")
    _choose(page, "c-level", "mbo niveau 2")
    _tab_to(page, "c-format")
    _choose(page, "c-format", "Op locatie")
    _submit_with_keyboard(page)
    page.get_by_role("heading", name="2 resultaten").wait_for()
    assert _results(page) == {"Veilig werken in de werkplaats",
                              "Op weg naar het mbo-certificaat metaalbewerken"}
    assert page.get_by_role("link", name="weghalen (Vorm: Op locatie)").is_visible()
    check_page("catalogue-filtered")

    link = page.get_by_role("link", name="Veilig werken in de werkplaats")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Hoe begin je?").wait_for()
    assert page.get_by_text("cursus@vakcollege.example").is_visible()
    check_page("catalogue-entry")


def test_no_results_page(page, live_server, check_page):
    page.goto(live_server("/aanbod?q=astronaut&place=Oss"))
    page.get_by_role("heading", name="0 resultaten").wait_for()
    assert page.get_by_text("Geen resultaten.").is_visible()
    check_page("catalogue-none")


def test_learner_sees_what_to_do_next(page, live_server, check_page):
    login(page, live_server, "vanessa@example.nl")
    page.goto(live_server("/passport/next"))
    page.get_by_text("Nog 1 stap voor Van kassa naar zorg").first.wait_for()
    check_page("passport-next")


def test_issuer_listing_form(page, live_server, check_page):
    login(page, live_server, "docent@rocdemaasvallei.example")
    page.goto(live_server("/issuer/maasvallei-zorg-welzijn/aanbod"))
    check_page("issuer-listing-overview")
    page.locator("a[href$='/aanbod']", has_text="Vermelding wijzigen").first.click()
    page.get_by_role("heading", name="Vermelding in het aanbod").wait_for()
    check_page("issuer-listing-form")
