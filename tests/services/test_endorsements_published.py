"""Endorsements published: a URL each, listed on the Achievement, embedded in new credentials.

Each endorsement is checked with our verifier as a verifier elsewhere would
get it: fetched from its URL, or taken out of the credential it is embedded in.
"""

from __future__ import annotations

import json

import pytest

from badges.catalogue.models import Achievement, AchievementState
from badges.issuing import endorsements
from badges.issuing import services as issuing
from badges.kernel.extensions import db
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload

JSONLD = {"Accept": "application/ld+json"}


@pytest.fixture
def world(app, demo):
    with app.test_request_context():
        employer = db.session.scalar(db.select(Organisation).filter_by(slug="zorggroep-de-linde"))
        college = db.session.scalar(db.select(Organisation).filter_by(
            slug="maasvallei-zorg-welzijn"))
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=college.id, state=AchievementState.PUBLISHED)
            .order_by(Achievement.id).limit(1))
        yield employer, college, achievement


def _embedded(document: dict) -> dict:
    """The endorsement as embedded: its one proof as a list of one (the OB 3.0 schema)."""
    return {**document, "proof": [document["proof"]]}


def _verify(client, doc: dict) -> dict:
    response = client.post("/api/v1/verify", data=json.dumps(doc),
                           content_type="application/json")
    assert response.status_code == 200
    return response.get_json()


def test_endorsement_dereferences_to_its_signed_document(world, client):
    employer, _college, achievement = world
    row = endorsements.endorse(employer, achievement, "Precies wat wij zoeken.")
    url = row.document["id"]
    assert url == f"http://localhost/endorsements/{row.uuid}"
    response = client.get(url, headers=JSONLD)
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert response.get_json() == row.document
    report = _verify(client, response.get_json())
    assert report["verified"] is True and report["status"] == "valid", report


def test_withdrawn_endorsement_is_gone(world, client):
    employer, _college, achievement = world
    row = endorsements.endorse(employer, achievement, "")
    endorsements.revoke(row)
    assert client.get(f"/endorsements/{row.uuid}", headers=JSONLD).status_code == 410
    assert client.get("/endorsements/bestaat-niet", headers=JSONLD).status_code == 404


def test_achievement_document_lists_standing_endorsements(world, client):
    employer, _college, achievement = world
    row = endorsements.endorse(employer, achievement, "Sterk programma.")
    listed = client.get(f"/achievements/{achievement.uuid}", headers=JSONLD).get_json()
    assert listed["endorsement"] == [_embedded(row.document)]
    endorsements.revoke(row)
    listed = client.get(f"/achievements/{achievement.uuid}", headers=JSONLD).get_json()
    assert "endorsement" not in listed


def test_new_credentials_embed_the_endorsements_and_they_verify(world, client):
    employer, college, achievement = world
    row = endorsements.endorse(employer, achievement, "Sterk programma.")
    cred = issuing.issue(college, issuing.IssueRequest(
        achievement=achievement, recipient_email="met-endorsement@example.nl")).credential
    embedded = cred.document["credentialSubject"]["achievement"]["endorsement"]
    assert embedded == [_embedded(row.document)]
    credential_report = _verify(client, cred.document)
    assert credential_report["status"] == "valid", credential_report
    endorsement_report = _verify(client, embedded[0])
    assert endorsement_report["status"] == "valid", endorsement_report
    assert verify_upload(embedded[0])["verdict"] == "valid"
