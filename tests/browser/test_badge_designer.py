"""Journey (#21 item 2): an employer designs a badge with a live preview, issues it, and the
learner sees that badge on her passport, on a share page and in her PDF."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import login, logout

EMPLOYER = "opleiding@delinde.example"
WORKSPACE = "/issuer/zorggroep-de-linde"


def loaded(img) -> bool:
    return img.evaluate("i => i.complete && i.naturalWidth > 0")


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_employer_designs_a_badge_and_sees_it_on_passport_share_page_and_pdf(
        page, live_server, check_page):
    tag = uuid.uuid4().hex[:6]
    name = f"Veilig tillen {tag}"
    login(page, live_server, EMPLOYER)
    page.goto(live_server(WORKSPACE + "/achievements/new"))
    page.get_by_label("Soort").select_option("open_badge")
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Beschrijving", exact=True).fill("Je tilt en verplaatst cliënten veilig.")
    preview = page.get_by_role("img", name="Voorbeeld van de badge")
    page.get_by_label("Vorm", exact=True).select_option(label="Schild")
    page.get_by_label("Kleur", exact=True).select_option(index=3)
    page.get_by_label("Pictogram", exact=True).select_option(label="Handdruk")
    page.get_by_label("Tekst, regel 1").fill("Veilig tillen")
    page.get_by_label("Tekst, regel 2").fill("Zorg")
    # The preview follows the choices (the server draws it; nothing is saved yet).
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-designer-preview]');"
        " return i.src.includes('template=shield') && i.src.includes('line2=Zorg')"
        " && i.complete && i.naturalWidth > 0; }")
    assert "icon=handshake" in preview.get_attribute("src")
    check_page("designer with preview")
    page.locator("main form").get_by_role("button", name="Opslaan").click()
    page.get_by_text(f"'{name}' is opgeslagen.").wait_for()
    image_src = page.locator("main img[src*='/achievements/']").first.get_attribute("src")
    image_url = re.sub(r"^https?://[^/]+", "", image_src)
    badge = page.request.get(live_server(image_url)).text()
    assert "Veilig tillen" in badge and "<polygon" not in badge  # the shield, not initials

    page.goto(live_server(WORKSPACE + "/issue"))
    page.get_by_label("Prestatie").select_option(label=name)
    page.get_by_label("Naam van de ontvanger").fill("Vanessa de Groot")
    page.get_by_label("E-mailadres van de ontvanger").fill("vanessa@example.nl")
    page.get_by_role("button", name="Uitgeven en e-mail sturen").click()
    page.get_by_text("Uitgegeven aan vanessa@example.nl").wait_for()
    logout(page)

    login(page, live_server, "vanessa@example.nl")
    page.goto(live_server("/passport"))
    card = page.locator("main li, main article").filter(has_text=name).first
    img = card.locator(f"img[src$='{image_url}']")
    img.wait_for()
    assert loaded(img)
    check_page("passport with designed badge")
    pdf = page.request.get(live_server("/passport/export/skillspas.pdf"))
    assert pdf.ok and b"Veilig tillen Zorg" in pdf.body()  # the badge's alt text in the PDF

    page.goto(live_server("/passport/share/new"))
    page.locator("main label.check").filter(has_text=name).locator("input").check()
    page.locator("main form input[name=title]").fill(f"Sollicitatie {tag}")
    page.locator("main form").get_by_role("button", name="Link maken").click()
    share_url = page.locator("#share-url").input_value()
    logout(page)
    page.goto(share_url)
    shared = page.locator("main .share-item").filter(has_text=name)
    img = shared.locator(f"img[src$='{image_url}']")
    img.wait_for()
    assert loaded(img)
    check_page("share page with designed badge")
