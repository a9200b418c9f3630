"""The verify answer says one thing (#22, the employer's answer, after a browser walk):
the "Wie heeft dit uitgegeven?" section agrees with the verdict for every kind of failure,
the headline's verdict is not said again under it, and dates read one way on the page."""

from __future__ import annotations

import copy
import json
import re
from datetime import timedelta
from html import unescape

import pytest

from badges.credentials import data_integrity, keys
from badges.issuing import keystore
from badges.issuing.models import SigningKey
from badges.kernel.db import db
from badges.kernel.models import utcnow
from tests._verify_support import expired_kwargs, revoke, tampered
from tests.web.verify.test_page import answer, paste

NOT_HER_KEY = "niet met haar sleutel ondertekend"
SIGNED_BY_HER = "Ondertekend door Maasvallei College Zorg &amp; Welzijn, met een sleutel die"


def _section(html: str, title_id: str) -> str:
    start = html.index(f'id="{title_id}"')
    return html[start:html.index("</section>", start)]


def issuer_section(html: str) -> str:
    return _section(html, "issuer-title")


def verdict(html: str) -> tuple[str, str, str]:
    """(headline, sentence under it or "", advice) as shown."""
    part = _section(html, "verdict-title")
    headline = re.search(r'id="verdict-title">.*?</span>\s*(.*?)</h1>', part, re.S)
    sentence = re.search(r'class="verdict-sentence">(.*?)</p>', part, re.S)
    advice = re.search(r'class="verdict-advice">(.*?)</p>', part, re.S)
    assert headline and advice, part
    return headline.group(1).strip(), sentence.group(1).strip() if sentence else "", \
        " ".join(advice.group(1).split())


def _signed_by(document: dict, key, method: str) -> dict:
    doc = copy.deepcopy(document)
    doc.pop("proof")
    return data_integrity.sign(doc, key, method)


def _check(client, doc: dict) -> str:
    return paste(client, json.dumps(doc)).get_data(as_text=True)


class TestWhoIssuedAgreesWithTheVerdict:
    def test_changed_after_signing_is_said_so_not_that_her_key_did_not_sign(self, client, ours):
        html = _check(client, tampered(ours.document))
        assert answer(html) == ("invalid", "tampered")
        section = issuer_section(html)
        assert NOT_HER_KEY not in section
        assert "Ondertekend met de sleutel van deze organisatie, maar daarna veranderd" in section
        assert ("Dit bewijs is ondertekend met de sleutel van Maasvallei College Zorg &amp; "
                "Welzijn. Daarna is de tekst veranderd") in section
        assert "niets in dit bewijs te vertrouwen" in section

    def test_in_english(self, client, ours):
        client.get("/verify?lang=en")
        try:
            html = _check(client, tampered(ours.document))
        finally:
            client.set_cookie("lang", "nl", domain="localhost")
        section = unescape(issuer_section(html))
        assert "Signed with this organisation's key, but changed afterwards" in section
        assert "The text was changed afterwards" in section
        assert "did not sign it with its key" not in section

    def test_a_key_reported_stolen_was_still_hers(self, client, ours):
        keystore.mark_compromised(db.session.get(SigningKey, ours.signing_key_id))
        html = _check(client, ours.document)
        assert answer(html) == ("invalid", "compromised_key")
        section = issuer_section(html)
        assert NOT_HER_KEY not in section
        assert "sleutel van Maasvallei College Zorg &amp; Welzijn" in section
        assert "als gestolen of gelekt gemeld" in section

    def test_not_signed_at_all(self, client, ours):
        doc = copy.deepcopy(ours.document)
        doc.pop("proof")
        html = _check(client, doc)
        assert answer(html) == ("invalid", "not_signed")
        section = issuer_section(html)
        assert NOT_HER_KEY not in section and "geen handtekening" in section

    def test_a_key_from_elsewhere_is_not_hers(self, client, ours):
        key = keys.generate_ed25519()
        multibase = keys.public_key_multibase(key.public_key())
        html = _check(client, _signed_by(ours.document, key,
                                         f"did:key:{multibase}#{multibase}"))
        assert answer(html) == ("invalid", "wrong_issuer")
        assert NOT_HER_KEY in issuer_section(html)  # true here: another key signed it

    def test_an_unknown_key_under_her_name_is_not_hers(self, client, ours):
        key = keys.generate_ed25519()
        doc = _signed_by(ours.document, key, ours.document["issuer"]["id"] + "#key-onbekend")
        html = _check(client, doc)
        assert answer(html)[1] == "impersonation"
        assert NOT_HER_KEY in issuer_section(html)

    @pytest.mark.parametrize("kind", ["revoked", "expired", "not_yet_valid"])
    def test_revoked_expired_or_not_yet_valid_were_signed_by_her(self, client, make_credential,
                                                                 kind):
        made = {"revoked": {}, "expired": expired_kwargs(),
                "not_yet_valid": {"valid_from": utcnow() + timedelta(days=30)}}[kind]
        credential = make_credential(**made)
        if kind == "revoked":
            revoke(credential)
        html = _check(client, credential.document)
        assert answer(html) == (kind, kind)
        section = issuer_section(html)
        assert SIGNED_BY_HER in section and NOT_HER_KEY not in section


class TestOneVerdictOneDateFormat:
    def test_valid_is_said_once(self, client, ours):
        html = client.get(f"/verify?credential={ours.uuid}").get_data(as_text=True)
        headline, sentence, _advice = verdict(html)
        assert headline == "Geldig"
        assert sentence.startswith("Uitgegeven door Maasvallei College Zorg")
        assert "Geldig" not in sentence

    @pytest.mark.parametrize("kind", ["revoked", "expired", "tampered", "not_signed"])
    def test_no_verdict_or_advice_said_twice(self, client, make_credential, kind):
        credential = make_credential(**(expired_kwargs() if kind == "expired" else {}))
        doc = credential.document
        if kind == "revoked":
            revoke(credential)
        elif kind == "tampered":
            doc = tampered(doc)
        elif kind == "not_signed":
            doc = copy.deepcopy(doc)
            doc.pop("proof")
        headline, sentence, advice = verdict(_check(client, doc))
        assert sentence and not sentence.startswith(headline.split()[0]), (headline, sentence)
        assert not sentence.lower().startswith(("ongeldig", "ingetrokken", "verlopen"))
        said = {s.strip().lower() for s in re.split(r"(?<=\.)\s", sentence) if s.strip()}
        assert not said & {s.strip().lower() for s in re.split(r"(?<=\.)\s", advice)}, \
            (sentence, advice)

    def test_dates_in_words_only(self, client, make_credential):
        credential = make_credential(valid_until=utcnow() + timedelta(days=400))
        html = client.get(f"/verify?credential={credential.uuid}").get_data(as_text=True)
        outside = re.sub(r"<details.*?</details>|<textarea.*?</textarea>", "", html, flags=re.S)
        assert not re.search(r"\b\d{2}-\d{2}-\d{4}\b", outside), re.findall(
            r".{40}\b\d{2}-\d{2}-\d{4}\b", outside)
        months = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|" \
                 "november|december"
        assert re.search(rf"<dt>Uitgegeven op</dt><dd>\d{{1,2}} ({months}) \d{{4}}</dd>", outside)
        assert re.search(rf"<dt>Geldig tot</dt><dd>\d{{1,2}} ({months}) \d{{4}}</dd>", outside)

    def test_technical_details_say_dates_in_words_too(self, client, make_credential):
        credential = make_credential(**expired_kwargs())
        html = client.get(f"/verify?credential={credential.uuid}").get_data(as_text=True)
        checks = html[html.index('<ul class="checks">'):]
        checks = checks[:checks.index("</ul>")]
        validity = re.search(r'data-check="validity".*?</li>', checks, re.S).group(0)
        assert re.search(r"Verlopen op \d{1,2} [a-z]+ \d{4}\.", validity), validity
        assert not re.search(r"\d{4}-\d{2}-\d{2}", checks)
