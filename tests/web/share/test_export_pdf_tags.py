"""The passport overview PDF (#22.3): tagged for screen readers, in the reader's language."""

from __future__ import annotations

from badges.kernel.media import pdf as pdf_base
from tests import pdf_support


def _overview(client, lang: str):
    response = client.get(f"/passport/export/skillspas.pdf?lang={lang}")
    client.set_cookie("lang", "nl", domain="localhost")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response


def test_overview_is_tagged_in_dutch(client, auth, vanessa):
    auth.login("vanessa@example.nl")
    doc = pdf_support.read(_overview(client, "nl").data)
    assert doc.lang == "nl" and doc.marked and doc.shows_title
    assert doc.title == "Skillspas - overzicht van mijn bewijzen - Vanessa de Groot"
    for tag in ("H1", "H2", "P", "Table", "TR", "TH", "TD", "Figure"):
        assert tag in doc.tags, tag
    assert "QR-code naar de controle van Basiszorg" in doc.alts["Figure"]


def test_overview_in_english(client, auth, vanessa, monkeypatch, tmp_path):
    auth.login("vanessa@example.nl")
    response = _overview(client, "en")
    assert 'filename="skillspas-overview.pdf"' in response.headers["Content-Disposition"]
    doc = pdf_support.read(response.data)
    assert doc.lang == "en" and doc.title.startswith("Skillspas - overview of my credentials")
    assert "QR code to the check of Basiszorg" in doc.alts["Figure"]
    monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)
    text = pdf_support.text(_overview(client, "en").data)
    for expected in ("Issuer", "Earned on", "Status", "Valid", "Skills", "Check"):
        assert expected in text, expected
    for dutch in ("Uitgever", "Behaald op", "Geldig"):
        assert dutch not in text, dutch
