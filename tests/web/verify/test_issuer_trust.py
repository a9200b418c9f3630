"""Who signed, and how much we know about them: three cases the verify page and the API
keep apart, with fakes made here by a forger's means (a fresh did:key, any name).

(a) known: signed by the key of an organisation on this platform;
(b) unconfirmed: a key we cannot tie to any organisation;
(c) impersonation: the name of an organisation on this platform, not signed by its keys.
"""

from __future__ import annotations

import json
import re

import pytest

from badges.organisations.names import name_key
from tests._fakes import fake_credential
from tests.web.verify.test_page import answer, paste

TRUST_RE = re.compile(r'data-trust="([a-z]+)"')
HEADLINE_RE = re.compile(r'<h1 id="verdict-title">(.*?)</h1>', re.S)
API = "/api/v1/verify"


def trust_of(html: str) -> str:
    match = TRUST_RE.search(html)
    assert match, html[:2000]
    return match.group(1)


def headline(html: str) -> str:
    match = HEADLINE_RE.search(html)
    assert match, html[:2000]
    return match.group(1)


def sentence(html: str) -> str:
    return html.split('class="verdict-sentence">', 1)[1].split("</p>", 1)[0]


def api(client, doc: dict) -> dict:
    response = client.post(API, data=json.dumps(doc), content_type="application/json")
    assert response.status_code == 200
    return response.get_json()


def english(client, doc: dict) -> str:
    client.get("/verify?lang=en")
    try:
        return paste(client, json.dumps(doc)).get_data(as_text=True)
    finally:
        client.set_cookie("lang", "nl", domain="localhost")


class TestNameKey:
    @pytest.mark.parametrize("variant", ["ROC De Maasvallei", "roc de maasvallei",
                                         "ROC Dé Maasvallei", "R.O.C. De Maas-vallei",
                                         "  ROC  DE  MAASVALLEI! "])
    def test_case_accents_punctuation_and_spaces_do_not_count(self, variant):
        assert name_key(variant) == name_key("ROC De Maasvallei") == "rocdemaasvallei"

    def test_different_names_stay_different(self):
        assert name_key("ROC De Maasvallei") != name_key("ROC De Maasvallei Noord")
        assert name_key("") == name_key("!!!") == ""


class TestKnown:
    def test_page_api_and_english(self, client, ours):
        html = client.get(f"/verify?credential={ours.uuid}").get_data(as_text=True)
        assert answer(html) == ("valid", "valid") and trust_of(html) == "known"
        assert "Ondertekend door Maasvallei College Zorg &amp; Welzijn" in html
        assert "Het is niet ingetrokken of geschorst." in html  # the status was checked
        body = api(client, ours.document)
        assert body["issuerTrust"] == "known" and body["verified"] is True

    def test_english(self, client, ours):
        en = client.get(f"/verify?credential={ours.uuid}&lang=en").get_data(as_text=True)
        client.set_cookie("lang", "nl", domain="localhost")
        assert "Signed by Maasvallei College Zorg &amp; Welzijn" in en
        assert "It has not been revoked or suspended." in en


class TestUnconfirmed:
    def test_page_says_signed_but_issuer_not_confirmed(self, client, demo):
        doc = fake_credential("Bakkerij Jansen")
        html = paste(client, json.dumps(doc)).get_data(as_text=True)
        assert answer(html) == ("valid", "signed_unconfirmed")
        assert trust_of(html) == "unconfirmed"
        assert "Ondertekend, maar de uitgever is niet bevestigd" in html
        assert "verdict-ok" not in html and "<span class=\"verdict-icon\" aria-hidden=\"true\">✔" \
            not in html
        assert "Geldig" not in headline(html) + sentence(html)
        # No credentialStatus: nothing was checked, so nothing is claimed about revocation.
        assert "niet ingetrokken" not in html.lower()
        assert "konden we niet controleren" in html

    def test_english(self, client, demo):
        html = english(client, fake_credential("Bakkerij Jansen"))
        assert trust_of(html) == "unconfirmed"
        assert "Signed, but the issuer is not confirmed" in html
        assert "not revoked" not in html.lower()
        assert "could not check whether" in html

    def test_api(self, client, demo):
        body = api(client, fake_credential("Bakkerij Jansen"))
        assert body["issuerTrust"] == "unconfirmed"
        assert body["outcome"] == "signed_unconfirmed"
        assert body["summary"]["nl"].startswith("Ondertekend, maar de uitgever is niet bevestigd")
        assert body["summary"]["en"].startswith("Signed, but the issuer is not confirmed")
        assert "Bakkerij Jansen" in body["summary"]["nl"]
        assert "niet ingetrokken" not in body["summary"]["nl"]
        assert "status" in body["summary"]["en"] and "could not be checked" in \
            body["summary"]["en"]


class TestImpersonation:
    @pytest.mark.parametrize("name", ["ROC De Maasvallei", "roc de maasvallei.",
                                      "ROC Dé Maasvallei"])
    def test_page_never_looks_green(self, client, demo, name):
        html = paste(client, json.dumps(fake_credential(name))).get_data(as_text=True)
        assert answer(html) == ("valid", "impersonation")
        assert trust_of(html) == "impersonation"
        assert "verdict-bad" in html and "verdict-ok" not in html
        assert "Pas op: nagemaakte uitgever" in html  # text, not colour alone
        assert '<span class="verdict-icon" aria-hidden="true">⚠</span>' in html
        assert "Geldig" not in headline(html) + sentence(html)
        assert "niet ingetrokken" not in html.lower()
        # No QR code or re-verify link that would vouch for it.
        assert "data:image/svg+xml" not in html

    def test_english(self, client, demo):
        html = english(client, fake_credential("ROC De Maasvallei"))
        assert trust_of(html) == "impersonation"
        assert "Warning: impersonated issuer" in html
        assert "Valid" not in headline(html) + sentence(html)

    def test_api(self, client, demo):
        body = api(client, fake_credential("ROC  de Maasvallei"))
        assert body["issuerTrust"] == "impersonation"
        assert body["outcome"] == "impersonation"
        assert body["verified"] is False  # a program reading only this field is not fooled
        assert body["summary"]["nl"].startswith("Pas op")
        assert "ROC De Maasvallei" in body["summary"]["nl"]  # the real organisation's name
        assert body["summary"]["en"].startswith("Warning")

    def test_our_own_tampered_copy_is_impersonation_too(self, client, ours):
        doc = json.loads(json.dumps(ours.document))
        doc["credentialSubject"]["achievement"]["name"] += "!"
        body = api(client, doc)
        assert body["issuerTrust"] == "impersonation" and body["verified"] is False


class TestReceipt:
    def test_receipt_of_an_impersonation_is_not_verified(self, client, demo):
        import base64

        from tests.conftest import csrf_token

        raw = json.dumps(fake_credential("ROC De Maasvallei")).encode()
        receipt = client.post("/verify/receipt", data={
            "input_b64": base64.b64encode(raw).decode(), "format": "json",
            "csrf_token": csrf_token(client, "/verify")}).get_json()
        assert receipt["issuerTrust"] == "impersonation"
        assert receipt["outcome"] == "impersonation" and receipt["verified"] is False
        assert receipt["summary"]["nl"].startswith("Pas op")
