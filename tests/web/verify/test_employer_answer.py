"""One plain answer for an employer (#22 item 6): who holds it, genuine apart from the
typed address, what it was shown with and who assessed, technical details folded away,
and a tampered copy's text never read as true."""

from __future__ import annotations

import json
import re

from tests._verify_support import issue, org, tampered
from tests.conftest import post_form
from tests.web.verify.test_page import answer, paste

OTHER_ORG = "vakcollege-techniek-brabant"


def _outside_details(html: str) -> str:
    """The answer as a reader sees it before opening any disclosure (not the pasted input)."""
    return re.sub(r"<details.*?</details>|<textarea.*?</textarea>", "", html, flags=re.S)


def test_genuine_credential_checked_against_another_address_is_still_genuine(client, ours):
    doc = json.dumps(ours.document)
    html = paste(client, doc, email="kandidaat.prive@example.nl").get_data(as_text=True)
    assert answer(html) == ("valid", "valid")
    assert 'data-address="mismatch"' in html
    assert "Niet uitgegeven aan het e-mailadres dat je invulde (kandidaat.prive@example.nl)" in html
    assert "Ongeldig" not in html and "Vertrouw er niet op" not in html
    html = paste(client, doc, email="kandidaat@example.nl").get_data(as_text=True)
    assert answer(html) == ("valid", "valid") and 'data-address="match"' in html


def test_holder_name_from_the_confirmed_account(app, client, demo):
    with app.app_context():
        uuid = issue(email="vanessa@example.nl").uuid
    html = client.get(f"/verify?credential={uuid}").get_data(as_text=True)
    assert 'data-holder="account"' in html and "Vanessa de Groot" in html
    # the name the issuer typed is not proof of who holds it
    assert "Vanessa de Vries" not in html


def test_no_holder_name_when_no_account_holds_it(client, ours):
    html = client.get(f"/verify?credential={ours.uuid}").get_data(as_text=True)
    assert 'data-holder="unknown"' in html and "Vanessa de Vries" not in html


def test_evidence_text_assessor_and_assessing_organisation(app, client, demo):
    with app.app_context():
        uuid = issue(evidence=[{"name": "Bewijs", "narrative": "Verkoopgesprek in de winkel"}],
                     assessor="Joke Praktijkopleider", source=org(OTHER_ORG),
                     source_agreed=True).uuid
        source_name = org(OTHER_ORG).name
    html = client.get(f"/verify?credential={uuid}").get_data(as_text=True)
    visible = _outside_details(html)
    assert "<strong>Bewijs</strong>: Verkoopgesprek in de winkel" in visible
    assert "<dt>Beoordeeld door</dt><dd>Joke Praktijkopleider</dd>" in visible
    assert f"<dt>Beoordelende organisatie</dt><dd>{source_name}</dd>" in visible.replace("&amp;", "&")


def test_technical_details_are_behind_a_disclosure(client, ours):
    html = client.get(f"/verify?credential={ours.uuid}").get_data(as_text=True)
    visible = _outside_details(html)
    assert 'data-check="proof"' in html and 'data-check="proof"' not in visible
    assert "OpenBadgeCredential" not in visible and "<dt>Formaat</dt>" not in visible


def test_tampered_copy_text_is_not_shown_as_if_true(client, ours):
    forged = tampered(ours.document)
    changed = forged["credentialSubject"]["achievement"]["name"]
    html = paste(client, json.dumps(forged)).get_data(as_text=True)
    assert answer(html)[1] == "tampered"
    visible = _outside_details(html)
    assert changed not in visible, visible[visible.index(changed) - 300:visible.index(changed) + 100]
    assert "Niet te vertrouwen." in visible and "Wat dit bestand beweert" in visible
    assert 'data-holder=' not in html  # no name vouched for next to a forgery


def test_english_address_answer(client, ours):
    client.get("/verify?lang=en")
    html = post_form(client, "/verify", {"text": json.dumps(ours.document),
                                         "email": "other@example.nl"},
                     page="/verify").get_data(as_text=True)
    client.set_cookie("lang", "nl", domain="localhost")
    assert "Not issued to the email address you entered (other@example.nl)" in html
