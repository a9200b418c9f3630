"""The verification receipt PDF (#22.3, #22.7): the verify page's plain words, in the
reader's language, tagged for screen readers; no raw values such as "valid (valid)"."""

from __future__ import annotations

import base64

from badges.kernel.media import pdf as pdf_base
from tests import pdf_support
from tests._verify_support import baked_png, revoke
from tests.conftest import csrf_token


def _receipt(client, fields: dict, lang: str = "nl"):
    client.get(f"/verify?lang={lang}")
    token = csrf_token(client, "/verify")
    response = client.post("/verify/receipt", data={**fields, "format": "pdf",
                                                    "csrf_token": token})
    client.set_cookie("lang", "nl", domain="localhost")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response


def test_dutch_receipt_is_tagged_and_plain(client, ours, monkeypatch, tmp_path):
    doc = pdf_support.read(_receipt(client, {"credential": ours.uuid}).data)
    assert doc.lang == "nl" and doc.marked and doc.shows_title
    assert doc.title == "Skillspas - Verificatiebewijs"
    for tag in ("H1", "H2", "P", "Table", "TR", "TH", "TD"):
        assert tag in doc.tags, tag
    monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)  # core font: text readable back
    text = pdf_support.text(_receipt(client, {"credential": ours.uuid}).data)
    for expected in ("De uitkomst: Geldig", "Het bewijs is echt en niet gewijzigd.",
                     "Wat er in staat", "Uitgever", "Maasvallei College Zorg & Welzijn",
                     "Wat we hebben gecontroleerd", "Digitale handtekening",
                     "In orde. De handtekening klopt.", "Sleutel hoort bij uitgever",
                     "Gecontroleerd op", "Een bewijs dat op Skillspas staat",
                     "Bekende organisatie, geverifieerd door Skillspas"):
        assert expected in text, expected
    for raw in ("valid (valid)", "Bron", "\ncredential\n", "key_binding", ": OK", "(verified)",
                "(UTC)"):
        assert raw not in text, raw


def test_english_receipt_of_a_revoked_upload(client, ours, monkeypatch, tmp_path):
    b64 = base64.b64encode(baked_png(ours)).decode()
    revoke(ours)
    doc = pdf_support.read(_receipt(client, {"input_b64": b64}, "en").data)
    assert doc.lang == "en" and doc.title == "Skillspas - Verification receipt"
    monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)
    text = pdf_support.text(_receipt(client, {"input_b64": b64}, "en").data)
    for expected in ("The answer: Revoked", "What we checked", "An uploaded file",
                     "JSON-LD (in a PNG image)", "Checked on"):
        assert expected in text, expected
    assert "Gecontroleerd" not in text and "revoked (revoked)" not in text
