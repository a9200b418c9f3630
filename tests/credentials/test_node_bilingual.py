"""A credential whose achievement is in Dutch and English (language-tagged values, VC 2.0
§11.1) verifies in Digital Bazaar's verifier with only the standard contexts, on its own
and inside the learner's CLR (#21)."""

from __future__ import annotations

import json

import pytest
from _node import run_batch

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.credentials.verify.checks import as_list
from badges.issuing import services as issuing
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.passport import clr_export

pytestmark = pytest.mark.node

JSONLD = {"Accept": "application/ld+json"}


def _documents(client, doc: dict) -> dict[str, dict]:
    """Its status lists and issuer, as served to anyone."""
    wanted = [e["statusListCredential"] for e in as_list(doc.get("credentialStatus"))]
    wanted.append(doc["issuer"]["id"] if isinstance(doc["issuer"], dict) else doc["issuer"])
    return {url: client.get(url, headers=JSONLD).get_json() for url in wanted}


def test_a_dutch_and_english_credential_verifies_in_digital_bazaar(app, demo, client):
    with app.test_request_context():
        club = db.session.scalar(db.select(Organisation).filter_by(slug="sv-osc-28"))
        coach = db.session.scalar(db.select(Achievement).filter_by(name="Jeugdtrainer"))
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        doc = issuing.issue(club, issuing.IssueRequest(
            achievement=coach, recipient_email=vanessa.email,
            recipient_name=vanessa.name)).credential.document
        clr = clr_export.build_for_user(vanessa)
    achievement = doc["credentialSubject"]["achievement"]
    assert {v["@language"]: v["@value"] for v in achievement["name"]} == {
        "nl": "Jeugdtrainer", "en": "Youth coach"}
    assert {"@value": "Coaching young people", "@language": "en"} in next(
        a["targetName"] for a in achievement["alignment"]
        if isinstance(a["targetName"], list) and a["targetName"][0]["@value"]
        == "Trainingen geven aan jeugd")
    assert "Youth coach" in json.dumps(clr)  # the CLR embeds it
    # The same credential with its English changed must fail: the languages are signed.
    tampered = {**doc, "credentialSubject": {**doc["credentialSubject"], "achievement": {
        **achievement, "name": [achievement["name"][0], {"@value": "Head coach",
                                                         "@language": "en"}]}}}
    answers = run_batch("status.mjs", [{"credential": d, "documents": _documents(client, d)}
                                       for d in (doc, clr, tampered)], standard_only=True)
    assert answers[0]["verified"], answers[0]
    assert answers[1]["verified"], answers[1]  # the CLR holding it
    assert not answers[2]["verified"], answers[2]
