"""Microcredentials: the EU standard elements must be there before publishing, and they
travel inside the signed credential in standard places or in our frozen context."""

from __future__ import annotations

import json

import pytest

from badges.catalogue import achievements
from badges.catalogue.achievements import AchievementInput, InvalidAchievement
from badges.catalogue.models import AchievementKind, AchievementState
from badges.credentials import data_integrity as di
from badges.credentials.canon import canonicalize
from badges.credentials.documents import EXTENSION_CONTEXT
from badges.credentials.loader import (
    CONTEXT_FILES,
    CONTEXTS_DIR,
    MICROCREDENTIAL_V1,
    OB_V3P0,
    VC_V2,
)
from badges.issuing import keystore
from badges.issuing import services as issuing
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload

ELEMENTS = {
    "learning_outcomes": ["Je maakt een begeleidingsplan", "Je geeft feedback op de werkplek"],
    "assessment_type": "Portfolio en praktijkbeoordeling",
    "participation_form": "blended",
    "quality_assurance": "Examencommissie, toezicht Inspectie van het Onderwijs",
    "country": "NL",
    "exam_board": "Examencommissie Vakcollege Techniek Brabant",
    "supervision": "onsite",
    "identity_verified": True,
    "prerequisites": "Twee jaar werkervaring in de bouw",
    "grading": "voldoende, goed",
    "stackability": "Telt mee voor de Praktijkopleider-route",
    "further_info": "https://www.vakcollege.example/werkbegeleider",
}


@pytest.fixture
def college(app, demo):
    with app.test_request_context():
        yield db.session.scalar(db.select(Organisation).filter_by(
            slug="vakcollege-techniek-brabant"))


def micro(**kw) -> AchievementInput:
    data = dict(kind=AchievementKind.MICROCREDENTIAL, name="Werkbegeleider (test)",
                description="Je begeleidt leerlingen op de bouwplaats.",
                criteria="Portfolio en praktijkbeoordeling.", sbu=252, eqf_level="3",
                nlqf_level="3", microcredential=dict(ELEMENTS))
    return AchievementInput(**{**data, **kw})


class TestPublishRules:
    @pytest.mark.parametrize(("missing", "field", "named"), [
        ("assessment_type", "mc_assessment_type", "Manier van toetsen"),
        ("learning_outcomes", "mc_learning_outcomes", "Leerresultaten"),
        ("participation_form", "mc_participation_form", "Vorm van deelname"),
        ("quality_assurance", "mc_quality_assurance", "Kwaliteitsborging"),
    ])
    def test_refuses_publishing_without_a_mandatory_element(self, college, missing, field, named):
        elements = {k: v for k, v in ELEMENTS.items() if k != missing}
        with pytest.raises(InvalidAchievement) as caught:
            achievements.create(college, micro(microcredential=elements), actor_id=None)
        assert named in caught.value.errors[field]
        assert "verplicht" in caught.value.errors[field]

    def test_refuses_without_level_or_workload_and_below_240_sbu(self, college):
        with pytest.raises(InvalidAchievement) as caught:
            achievements.create(college, micro(eqf_level="", nlqf_level="", sbu=None),
                                actor_id=None)
        assert {"eqf_level", "sbu"} <= set(caught.value.errors)
        with pytest.raises(InvalidAchievement) as caught:
            achievements.create(college, micro(sbu=120), actor_id=None)
        assert "240" in caught.value.errors["sbu"]

    def test_a_draft_may_be_incomplete_but_is_not_published_later(self, college):
        draft = achievements.create(college, micro(microcredential={}, publish=False),
                                    actor_id=None)
        assert draft.state == AchievementState.DRAFT
        with pytest.raises(InvalidAchievement):
            achievements.update(draft, micro(microcredential={}, publish=True), actor_id=None)
        done = achievements.update(draft, micro(publish=True), actor_id=None)
        assert done.state == AchievementState.PUBLISHED


class TestCredential:
    def test_carries_every_element_and_verifies(self, college):
        a = achievements.create(college, micro(), actor_id=None)
        issued = issuing.issue(college, issuing.IssueRequest(
            achievement=a, recipient_email="mc@example.nl", recipient_name="M. C.",
            result={"value": "goed", "status": "Completed"}))
        doc = issued.credential.document
        # No context of ours by URL: the terms come with the achievement (issue 16, item 3).
        assert doc["@context"] == [VC_V2, OB_V3P0]
        ach = doc["credentialSubject"]["achievement"]
        assert ach["@context"] == EXTENSION_CONTEXT
        assert ach["achievementType"] == "MicroCredential"
        assert ach["creditsAvailable"] == 9.0  # 252 SBU / 28
        assert ach["inLanguage"] == "nl" and ach["criteria"]["narrative"]
        frameworks = {al.get("targetFramework") for al in ach["alignment"]}
        assert {"EQF", "NLQF", "Leerresultaten"} <= frameworks
        assert ach["resultDescription"][0]["allowedValue"] == ["voldoende", "goed"]
        assert {k: ach[k] for k in (
            "awardingCountry", "studyLoadHours", "assessmentType", "participationForm",
            "qualityAssurance", "levelGuaranteedBy", "assessmentSupervision",
            "identityVerified", "prerequisites", "stackability", "furtherInformation")} == {
            "awardingCountry": "NL", "studyLoadHours": 252,
            "assessmentType": ELEMENTS["assessment_type"], "participationForm": "blended",
            "qualityAssurance": ELEMENTS["quality_assurance"],
            "levelGuaranteedBy": ELEMENTS["exam_board"], "assessmentSupervision": "onsite",
            "identityVerified": True, "prerequisites": ELEMENTS["prerequisites"],
            "stackability": ELEMENTS["stackability"],
            "furtherInformation": ELEMENTS["further_info"]}
        assert doc["issuer"]["name"] == college.name and doc["validFrom"]
        assert doc["credentialSubject"]["result"][0]["value"] == "goed"
        report = verify_upload(json.dumps(doc))
        assert report["status"] == "valid", report["checks"]
        assert all(c["status"] != "warning" for c in report["checks"]
                   if c["id"] in ("context", "type")), report["checks"]

    def test_tampering_with_an_element_is_detected(self, college):
        a = achievements.create(college, micro(), actor_id=None)
        doc = issuing.issue(college, issuing.IssueRequest(
            achievement=a, recipient_email="mc2@example.nl")).credential.document
        doc["credentialSubject"]["achievement"]["assessmentType"] = "Geen toets"
        assert verify_upload(json.dumps(doc))["status"] == "invalid"


def _old_style(doc: dict) -> dict:
    """``doc`` as microcredentials were issued before: our context named by URL."""
    old = {k: v for k, v in doc.items() if k != "proof"}
    old["@context"] = [*doc["@context"], MICROCREDENTIAL_V1]
    achievement = dict(doc["credentialSubject"]["achievement"])
    del achievement["@context"]
    achievement.pop("creditsUnit", None)  # newer than the frozen v1 context
    old["credentialSubject"] = {**doc["credentialSubject"], "achievement": achievement}
    return old


class TestOlderCredentials:
    def test_one_naming_our_context_by_url_still_verifies(self, college):
        a = achievements.create(college, micro(), actor_id=None)
        doc = issuing.issue(college, issuing.IssueRequest(
            achievement=a, recipient_email="oud@example.nl")).credential.document
        key = keystore.signing_key_for(college)
        old = di.sign(_old_style(doc), key.private_key, key.verification_method)
        assert verify_upload(json.dumps(old))["status"] == "valid"
        old["credentialSubject"]["achievement"]["assessmentType"] = "Geen toets"
        assert verify_upload(json.dumps(old))["status"] == "invalid"

    def test_both_forms_sign_the_same_statements(self, college):
        a = achievements.create(college, micro(), actor_id=None)
        doc = issuing.issue(college, issuing.IssueRequest(
            achievement=a, recipient_email="zelfde@example.nl")).credential.document
        new = {k: v for k, v in doc.items() if k != "proof"}
        achievement = dict(new["credentialSubject"]["achievement"])
        achievement.pop("creditsUnit")
        new["credentialSubject"] = {**new["credentialSubject"], "achievement": achievement}
        assert canonicalize(new) == canonicalize(_old_style(doc))


def test_the_context_is_served_byte_identical_to_the_bundled_file(client):
    bundled = (CONTEXTS_DIR / CONTEXT_FILES[MICROCREDENTIAL_V1]).read_bytes()
    response = client.get("/contexts/microcredential/v1.jsonld")
    assert response.status_code == 200
    assert response.data == bundled
    assert response.mimetype == "application/ld+json"
