"""Henk applies for recognition as Werkbegeleider; the Vakcollege asks, approves; it verifies."""

from __future__ import annotations

import re

from tests.browser.conftest import login, logout

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _achievement_uuid(live_server) -> str:
    from badges.catalogue.models import Achievement
    from badges.kernel.db import db

    with live_server.app.app_context():
        return db.session.scalar(db.select(Achievement.uuid).filter_by(
            name="Werkbegeleider in de bouw", version=1))


def test_henk_gets_his_experience_recognised(page, live_server, check_page, tmp_path):
    evidence = tmp_path / "verklaring-werkgever.pdf"
    evidence.write_bytes(PDF)
    login(page, live_server, "henk@example.nl")
    page.goto(live_server(f"/achievements/{_achievement_uuid(live_server)}"))
    page.locator("main").get_by_role("link", name=re.compile(r"^Aanvragen")).click()
    check_page("application-start")
    page.get_by_role("button", name="Aanvraag beginnen").click()
    page.get_by_role("heading", name="Aanvraag: Werkbegeleider in de bouw").wait_for()
    application_url = page.url
    page.get_by_label("Wat heb je gedaan?").fill(
        "Vijftien jaar timmerman; de laatste vijf jaar begeleid ik BBL-leerlingen op de bouw.")
    page.get_by_role("button", name="Beschrijving bewaren").click()
    page.get_by_text("Je beschrijving is bewaard.").wait_for()
    page.get_by_label("Bestand", exact=True).set_input_files(str(evidence))
    page.get_by_role("button", name="Bestand toevoegen").click()
    page.get_by_text("Het bestand is toegevoegd.").wait_for()
    page.get_by_label("Webadres").fill("https://example.org/henk/projecten")
    page.get_by_label("Naam van de link (optioneel)").fill("Foto's van mijn projecten")
    page.get_by_role("button", name="Link toevoegen").click()
    page.get_by_text("De link is toegevoegd.").wait_for()
    check_page("application-draft")
    page.get_by_label("Ik begrijp dat mijn beschrijving").check()  # it goes into the credential
    page.get_by_role("button", name="Aanvraag indienen").click()
    page.get_by_text("Je aanvraag is ingediend.").wait_for()

    # the assessor of the Vakcollege asks a question
    logout(page)
    login(page, live_server, "examen@vakcollege.example")
    uuid = application_url.rstrip("/").rsplit("/", 1)[1]
    page.goto(live_server("/issuer/vakcollege-techniek-brabant/aanvragen"))
    check_page("assessor-queue")
    page.goto(live_server(f"/issuer/vakcollege-techniek-brabant/aanvragen/{uuid}"))
    page.get_by_role("link", name="verklaring-werkgever.pdf").wait_for()
    page.get_by_label("Je bericht").fill("Hoeveel leerlingen heb je begeleid?")
    page.get_by_role("button", name="Vraag stellen").click()
    page.get_by_text("Je vraag is naar de aanvrager gestuurd.").wait_for()

    # Henk answers
    logout(page)
    login(page, live_server, "henk@example.nl")
    page.goto(application_url)
    page.get_by_text("Hoeveel leerlingen heb je begeleid?").wait_for()
    check_page("application-question")
    page.get_by_label("Je bericht").fill("Twaalf, in vijf jaar.")
    page.get_by_role("button", name="Antwoord versturen").click()
    page.get_by_text("Je antwoord is verstuurd.").wait_for()

    # the assessor approves
    logout(page)
    login(page, live_server, "examen@vakcollege.example")
    page.goto(live_server(f"/issuer/vakcollege-techniek-brabant/aanvragen/{uuid}"))
    page.get_by_text("Twaalf, in vijf jaar.").wait_for()
    check_page("assessor-detail")
    page.get_by_role("button", name="Toekennen en uitgeven").click()
    page.get_by_text("Toegekend: het bewijs is uitgegeven").wait_for()

    # Henk sees the credential with the evidence, and it verifies
    logout(page)
    login(page, live_server, "henk@example.nl")
    page.goto(application_url)
    page.get_by_role("link", name="Bekijk het bewijs").click()
    page.get_by_role("heading", name="Werkbegeleider in de bouw").first.wait_for()
    page.get_by_role("link", name="verklaring-werkgever.pdf").wait_for()
    page.get_by_role("link", name="Foto's van mijn projecten").wait_for()
    check_page("credential-with-evidence")
    assert page.locator(".verification-ok").count() == 1, page.locator("main").inner_text()
