"""Insight journeys: a college admin opens the figures, filters and downloads CSV; a municipality
visitor reads the regional statistics on a phone. axe finds nothing serious on either."""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import login

SLUG = "maasvallei-zorg-welzijn"


def test_college_admin_filters_the_figures_and_downloads_csv(page, live_server, check_page):
    login(page, live_server, "beheer@rocdemaasvallei.example")
    page.goto(live_server(f"/issuer/{SLUG}"))
    page.get_by_role("navigation", name="Onderdelen van").get_by_role("link", name="Cijfers").click()
    page.get_by_role("heading", level=1, name="Cijfers van Maasvallei College Zorg & Welzijn").wait_for()
    issued = page.locator(".stat-tiles div").filter(has_text="Uitgegeven").locator("dd").inner_text()
    assert int(issued) >= 1  # the demo's credentials, counted when the demo was loaded
    check_page("issuer figures")

    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("Prestatie").select_option(label="Basiszorg")
    filters.get_by_label("Per", exact=True).select_option("week")
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("heading", name="Uitgegeven en opgehaald per week").wait_for()
    per_achievement = page.get_by_role("region", name="Per prestatie").first
    rows = per_achievement.locator("table tbody tr")
    assert rows.count() == 1 and "Basiszorg" in rows.first.inner_text()
    check_page("issuer figures filtered")

    with page.expect_download() as download:
        per_achievement.get_by_role("link", name="CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][0] == "Prestatie" and table[1][0] == "Basiszorg"


@pytest.mark.parametrize("viewport", ["mobile"], indirect=True)
def test_municipality_visitor_reads_the_regional_statistics_on_a_phone(page, live_server, check_page):
    page.goto(live_server("/"))
    page.get_by_role("contentinfo").get_by_role("link", name="Statistieken").click()
    page.get_by_role("heading", level=1, name="Leren in de regio in cijfers").wait_for()
    page.get_by_role("link", name="Hoe we de privacy beschermen").first.click()
    assert page.get_by_text("minder dan 10 verschillende mensen").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    check_page("regional statistics")
