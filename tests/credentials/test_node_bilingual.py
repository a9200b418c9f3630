"""A credential whose achievement is in Dutch and English (language-tagged values, VC 2.0
§11.1) verifies in Digital Bazaar's verifier with only the standard contexts (#21)."""

from __future__ import annotations

import pytest
from _node import run_batch

from badges.catalogue.models import Achievement
from badges.credentials.verify.checks import as_list
from badges.issuing import services as issuing
from badges.kernel.db import db
from badges.organisations.models import Organisation

pytestmark = pytest.mark.node

JSONLD = {"Accept": "application/ld+json"}


def test_a_dutch_and_english_credential_verifies_in_digital_bazaar(app, demo, client):
    with app.test_request_context():
        club = db.session.scalar(db.select(Organisation).filter_by(slug="sv-osc-28"))
        coach = db.session.scalar(db.select(Achievement).filter_by(name="Jeugdtrainer"))
        doc = issuing.issue(club, issuing.IssueRequest(
            achievement=coach, recipient_email="trainer@example.nl",
            recipient_name="Sam")).credential.document
    achievement = doc["credentialSubject"]["achievement"]
    assert {v["@language"]: v["@value"] for v in achievement["name"]} == {
        "nl": "Jeugdtrainer", "en": "Youth coach"}
    assert {"@value": "Coaching young people", "@language": "en"} in next(
        a["targetName"] for a in achievement["alignment"]
        if isinstance(a["targetName"], list) and a["targetName"][0]["@value"]
        == "Trainingen geven aan jeugd")
    wanted = [e["statusListCredential"] for e in as_list(doc["credentialStatus"])]
    wanted.append(doc["issuer"]["id"])
    documents = {url: client.get(url, headers=JSONLD).get_json() for url in wanted}
    # The same credential with its English changed must fail: the languages are signed.
    tampered = {**doc, "credentialSubject": {**doc["credentialSubject"], "achievement": {
        **achievement, "name": [achievement["name"][0], {"@value": "Head coach",
                                                         "@language": "en"}]}}}
    answers = run_batch("status.mjs", [{"credential": d, "documents": documents}
                                       for d in (doc, tampered)], standard_only=True)
    assert answers[0]["verified"], answers[0]
    assert not answers[1]["verified"], answers[1]
