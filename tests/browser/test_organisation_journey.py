"""Journey: the platform admin creates a college, a leerbedrijf or a sports club; its first
admin accepts, builds units three deep and issues a badge, all in the browser.

Beheer (platform admin) creates the organisation with Prucha as first admin and sees the
invitation link once. Prucha (whose address is confirmed) opens the link, accepts, adds
"Jeugd" → "Team O12" → "Trainers O12", makes an open badge and issues it to a learner.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import login, logout

PLATFORM = "beheer@skillspas.example"
FIRST_ADMIN = "prucha@example.nl"


KINDS = {"college": ("ROC Rivierenland", "brin", "25PX"),
         "employer": ("Installatiebedrijf Kuijpers", "kvk", "17999999"),
         "community": ("Hockeyclub Oss", "kvk", "40999999")}


@pytest.mark.parametrize("kind", list(KINDS))
def test_create_invite_accept_units_and_issue(page, live_server, check_page, kind):
    tag = uuid.uuid4().hex[:6]
    name, number_field, number = KINDS[kind]
    club = f"{name} {tag}"
    login(page, live_server, PLATFORM)
    page.goto(live_server("/admin/"))
    page.get_by_role("link", name="Organisatie aanmaken").click()
    page.get_by_role("heading", name="Organisatie aanmaken", level=1).wait_for()
    if kind == "community":
        check_page("create organisation")
    page.get_by_label("Naam van de organisatie").fill(club)
    page.get_by_label("Soort organisatie").select_option(kind)
    page.get_by_label("BRIN-code" if number_field == "brin" else "KvK-nummer").fill(number)
    page.get_by_label("E-mailadres van de eerste beheerder").fill(FIRST_ADMIN)
    page.get_by_label("Naam van de eerste beheerder").fill("Prucha")
    page.get_by_role("button", name="Aanmaken en uitnodigen").click()
    page.get_by_role("heading", name=f"{club} is aangemaakt").wait_for()
    if kind == "community":
        check_page("created")
    link = page.locator("main code").inner_text().strip()
    assert re.match(r"^http://127\.0\.0\.1:\d+/uitnodiging/[\w-]+$", link), link
    logout(page)

    login(page, live_server, FIRST_ADMIN)
    page.goto(link)
    page.get_by_role("button", name="Uitnodiging aannemen").click()
    page.get_by_text(f"Je werkt nu voor {club}").wait_for()
    workspace = page.url.rstrip("/")
    nav = page.get_by_role("navigation", name=f"Onderdelen van {club}")
    nav.get_by_role("link", name="Eenheden").click()
    page.get_by_role("heading", name="Eenheden", level=1).wait_for()
    parent = club
    for unit in ("Jeugd", "Team O12", "Trainers O12"):
        page.get_by_label("Naam van de nieuwe eenheid").fill(f"{unit} {tag}")
        under = page.get_by_label("Onder", exact=True)
        under.select_option(under.locator("option", has_text=parent).first.get_attribute("value"))
        page.get_by_role("button", name="Toevoegen").click()
        page.get_by_text(f"{unit} {tag} is toegevoegd.").wait_for()
        parent = f"{unit} {tag}"
    table = page.locator("main table")
    assert f"— — — Trainers O12 {tag}" in table.inner_text()
    check_page(f"units three deep {kind}")

    page.goto(workspace + "/achievements/new")
    page.get_by_label("Soort").select_option("open_badge")
    page.get_by_label("Naam", exact=True).fill(f"Scheidsrechter jeugd {tag}")
    page.get_by_label("Beschrijving", exact=True).fill("Je fluit een jeugdwedstrijd.")
    page.locator("main form").get_by_role("button", name="Opslaan").click()
    page.get_by_text(f"'Scheidsrechter jeugd {tag}' is opgeslagen.").wait_for()
    page.goto(workspace + "/issue")
    page.get_by_label("Prestatie").select_option(label=f"Scheidsrechter jeugd {tag}")
    page.get_by_label("Naam van de ontvanger").fill("Sem de Vries")
    page.get_by_label("E-mailadres van de ontvanger").fill(f"sem-{tag}@example.nl")
    page.get_by_role("button", name="Uitgeven en e-mail sturen").click()
    page.get_by_text(f"Uitgegeven aan sem-{tag}@example.nl").wait_for()
    if kind == "community":
        check_page("issued")


def test_a_club_signs_up_and_a_certificate_waits_for_a_second_person(page, live_server,
                                                                     check_page):
    tag = uuid.uuid4().hex[:6]
    page.goto(live_server("/"))
    page.get_by_role("link", name="Meld je organisatie aan").click()
    page.get_by_role("heading", name="Organisatie aanmelden", level=1).wait_for()
    check_page("sign-up form")
    page.get_by_label("Naam van de organisatie").fill(f"Zwemclub De Dolfijn {tag}")
    page.get_by_label("Soort organisatie").select_option("community")
    page.get_by_label("KvK-nummer").fill("40888888")
    page.get_by_label("Je naam").fill("Mila")
    page.get_by_label("Je e-mailadres").fill(f"mila-{tag}@example.nl")
    page.get_by_label("Waarvoor wil je Skillspas gebruiken?").fill("Badges voor zwemtrainers.")
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.get_by_role("heading", name="Aanmelding ontvangen").wait_for()

    login(page, live_server, "docent@rocdemaasvallei.example")
    page.goto(live_server("/issuer/maasvallei-zorg-welzijn/issue"))
    page.get_by_label("Prestatie").select_option(
        label="Mbo-certificaat Helpende zorg en welzijn: basiszorg")
    page.get_by_label("Naam van de ontvanger").fill("Noor")
    page.get_by_label("E-mailadres van de ontvanger").fill(f"noor-{tag}@example.nl")
    page.get_by_role("button", name="Uitgeven en e-mail sturen").click()
    page.get_by_text("Dit wacht op goedkeuring door een tweede persoon").wait_for()
    logout(page)

    login(page, live_server, "beheer@rocdemaasvallei.example")
    page.goto(live_server("/issuer/maasvallei-zorg-welzijn/approvals"))
    card = page.locator("main section").filter(has_text=f"noor-{tag}@example.nl")
    card.get_by_text("Wacht op goedkeuring").wait_for()
    check_page("approvals")
    card.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("Goedgekeurd: het is ondertekend en verstuurd.").wait_for()
    page.goto(live_server(f"/issuer/maasvallei-zorg-welzijn/credentials?q=noor-{tag}"))
    page.get_by_text(f"noor-{tag}@example.nl").first.wait_for()

    logout(page)
    login(page, live_server, PLATFORM)
    page.goto(live_server("/admin/"))
    page.get_by_role("heading", name=f"Zwemclub De Dolfijn {tag}").wait_for()
    check_page("admin with sign-ups")
