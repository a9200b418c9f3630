"""Endorsements: signed OB 3.0 EndorsementCredentials that verify on their own."""

from __future__ import annotations

import copy

import pytest

from badges.catalogue.models import Achievement
from badges.credentials.endorsement import validate_endorsement
from badges.issuing import endorsements
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload


@pytest.fixture
def world(app, demo):
    with app.test_request_context():
        employer = db.session.scalar(db.select(Organisation).filter_by(slug="zorggroep-de-linde"))
        college = db.session.scalar(db.select(Organisation).filter_by(
            slug="maasvallei-zorg-welzijn"))
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=college.id).limit(1))
        yield employer, college, achievement


class TestEndorse:
    def test_signed_endorsement_verifies_valid(self, world):
        employer, _college, achievement = world
        row = endorsements.endorse(employer, achievement, "Precies wat wij zoeken.")
        doc = row.document
        assert doc["type"] == ["VerifiableCredential", "EndorsementCredential"]
        assert doc["@context"][1].endswith("context-3.0.3.json")
        assert doc["credentialSubject"]["type"] == ["EndorsementSubject"]
        assert doc["credentialSubject"]["id"].endswith(f"/achievements/{achievement.uuid}")
        assert doc["issuer"]["id"].endswith("/issuers/zorggroep-de-linde")
        assert validate_endorsement(doc) == []
        report = verify_upload(doc)
        assert report["verdict"] == "valid", report

    def test_tampered_endorsement_is_invalid(self, world):
        employer, _college, achievement = world
        doc = copy.deepcopy(endorsements.endorse(employer, achievement, "Goed.").document)
        doc["credentialSubject"]["endorsementComment"] = "Slecht."
        assert verify_upload(doc)["verdict"] == "invalid"

    def test_shown_for_every_version_until_revoked(self, world):
        employer, _college, achievement = world
        row = endorsements.endorse(employer, achievement, "")
        assert endorsements.of_achievement(achievement) == [row]
        with pytest.raises(ServiceError, match="al"):
            endorsements.endorse(employer, achievement, "nog eens")
        endorsements.revoke(row)
        assert endorsements.of_achievement(achievement) == []

    def test_cannot_endorse_own_achievement(self, world):
        _employer, college, achievement = world
        with pytest.raises(ServiceError):
            endorsements.endorse(college, achievement, "")

    def test_public_page_shows_endorsement(self, world, client):
        employer, _college, achievement = world
        endorsements.endorse(employer, achievement, "Sterk programma.")
        html = client.get(f"/achievements/{achievement.uuid}").get_data(as_text=True)
        assert "Zorggroep De Linde" in html and "Sterk programma." in html
