"""Journey: a college asks the leerbedrijf to co-issue; the leerbedrijf agrees in its
workspace; an employer sees both organisations as signers on /verify (phone and laptop,
axe-checked)."""

from __future__ import annotations

import json
import uuid

from badges.issuing.models import Credential
from badges.kernel.db import db
from tests.browser.conftest import login, logout

COLLEGE = "maasvallei-zorg-welzijn"
BUILDER = "bouwbedrijf-van-houten"


def test_college_and_leerbedrijf_issue_together(page, live_server, check_page, tmp_path):
    email = f"stagiair-{uuid.uuid4().hex[:8]}@example.nl"
    login(page, live_server, "docent@rocdemaasvallei.example")
    page.goto(live_server(f"/issuer/{COLLEGE}/issue"))
    page.get_by_label("Prestatie").select_option(label="Basiszorg")
    page.get_by_label("Naam van de ontvanger").fill("Sanne Stagiair")
    page.get_by_label("E-mailadres van de ontvanger").fill(email)
    page.get_by_label("Samen uitgeven met (partner, optioneel)").select_option(
        label="Bouwbedrijf Van Houten & Zn.")
    page.get_by_role("button", name="Uitgeven en e-mail sturen").click()
    page.get_by_text("Wacht op partner").first.wait_for()
    check_page("wacht op partner")
    logout(page)

    login(page, live_server, "uitvoerder@vanhouten.example")
    page.goto(live_server(f"/issuer/{BUILDER}/co-issuing"))
    check_page("verzoeken")
    page.get_by_role("link", name="Basiszorg").first.click()
    check_page("verzoek")
    page.get_by_role("button", name="Instemmen en ondertekenen").click()
    page.get_by_text("Samen uitgegeven").first.wait_for()
    logout(page)

    with live_server.app.app_context():
        doc = db.session.scalar(db.select(Credential.document).filter_by(recipient_email=email))
        db.session.remove()
    path = tmp_path / "samen.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    page.goto(live_server("/verify"))
    page.get_by_label("Bestand", exact=False).first.set_input_files(str(path))
    page.get_by_role("button", name="Controleren").click()
    signers = page.locator("ul.signers li")
    signers.first.wait_for()
    assert signers.count() == 2
    assert "Bouwbedrijf Van Houten" in signers.nth(1).inner_text()
    check_page("twee ondertekenaars")
