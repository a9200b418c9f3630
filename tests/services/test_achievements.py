"""Achievements: kind-specific rules, versions that keep issued credentials stable."""

from __future__ import annotations

import pytest

from badges.catalogue import achievements
from badges.catalogue.achievements import AchievementInput, InvalidAchievement
from badges.catalogue.models import AchievementKind, AchievementState, Pathway, Skill
from badges.issuing import services as issuing
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.kernel.errors import InvalidInput
from badges.organisations import profile
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload


@pytest.fixture
def college(app, demo):
    # services speak Dutch through Flask-Babel, which reads the locale from a request
    with app.test_request_context():
        yield db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))


def keuzedeel(**kw) -> AchievementInput:
    data = dict(kind=AchievementKind.KEUZEDEEL, name="Werken met dementie",
                description="Je ondersteunt mensen met dementie.", keuzedeel_code="K0692",
                sbu=240, validity_months=60)
    return AchievementInput(**{**data, **kw})


class TestCreate:
    def test_keuzedeel_is_created_published_with_skills_and_audit(self, college):
        skill = db.session.scalar(db.select(Skill).limit(1))
        a = achievements.create(college, keuzedeel(skill_ids=[skill.id],
                                                   new_skills=["Geduld", " "]), actor_id=None)
        assert a.state == AchievementState.PUBLISHED and a.version == 1
        assert {s.label for s in a.skills} == {skill.label, "Geduld"}
        typed = next(s for s in a.skills if s.label == "Geduld")
        assert typed.framework == ""
        assert db.session.scalar(db.select(AuditEvent).filter_by(
            action="achievement.create", subject_id=a.uuid))

    @pytest.mark.parametrize(("kind", "fields", "missing"), [
        (AchievementKind.KEUZEDEEL, {"keuzedeel_code": "123", "sbu": None},
         {"keuzedeel_code", "sbu"}),
        (AchievementKind.MBO_CERTIFICAAT, {"crebo": "1234"}, {"crebo", "qualification_part"}),
        (AchievementKind.DEELCERTIFICAAT, {"crebo": "abcde"}, {"crebo", "qualification_part"}),
        (AchievementKind.PRAKTIJKVERKLARING, {}, {"crebo", "work_tasks", "workplace",
                                                  "college_slug"}),
        (AchievementKind.LLO_TRAJECT, {}, {"pathway_id"}),
    ])
    def test_kind_specific_required_fields(self, college, kind, fields, missing):
        data = AchievementInput(kind=kind, name="X", description="Y", **fields)
        with pytest.raises(InvalidAchievement) as exc:
            achievements.create(college, data, actor_id=None)
        assert set(exc.value.errors) == missing

    def test_praktijkverklaring_names_college_and_tasks_in_the_criteria(self, college):
        employer = db.session.scalar(db.select(Organisation).filter_by(slug="zorggroep-de-linde"))
        a = achievements.create(employer, AchievementInput(
            kind=AchievementKind.PRAKTIJKVERKLARING, name="Praktijkverklaring zorg",
            description="Zorgtaken op de afdeling.", crebo="25491",
            qualification_name="Verzorgende-IG", work_tasks=["Wondzorg", "", "Medicatie"],
            workplace="Afdeling Linde-Oost", college_slug="maasvallei-zorg-welzijn"),
            actor_id=None)
        assert a.details["work_tasks"] == ["Wondzorg", "Medicatie"]
        assert a.details["college_slug"] == "maasvallei-zorg-welzijn"
        assert "Wondzorg" in a.criteria_md and "Maasvallei" in a.criteria_md
        issued = issuing.issue(employer, issuing.IssueRequest(
            achievement=a, recipient_email="stagiair@example.nl"))
        doc = issued.credential.document
        assert doc["issuer"]["id"].endswith("/issuers/zorggroep-de-linde")
        assert any(al.get("targetCode") == "25491"
                   for al in doc["credentialSubject"]["achievement"]["alignment"])
        assert verify_upload(doc)["verdict"] == "valid"

    def test_llo_traject_creates_its_pathway(self, college):
        a = achievements.create(college, AchievementInput(
            kind=AchievementKind.LLO_TRAJECT, name="Route zorg", description="Stapsgewijs.",
            new_pathway_name="Zorg voor zij-instromers"), actor_id=None)
        pathway = db.session.get(Pathway, a.details["pathway_id"])
        assert pathway.target_achievement_id == a.id and pathway.organisation_id == college.id

    def test_fields_of_another_kind_are_not_kept(self, college):
        a = achievements.create(college, AchievementInput(
            kind=AchievementKind.MODULE, name="M", description="D", keuzedeel_code="K1234",
            crebo="12345"), actor_id=None)
        assert a.keuzedeel_code is None and a.crebo is None


class TestVersions:
    def test_editing_published_creates_version_and_old_credentials_keep_theirs(self, college):
        a = achievements.create(college, keuzedeel(), actor_id=None)
        old_cred = issuing.issue(college, issuing.IssueRequest(
            achievement=a, recipient_email="a@example.nl")).credential
        new = achievements.update(a, keuzedeel(name="Werken met dementie (2026)"), actor_id=None)
        assert new.id != a.id and new.lineage == a.lineage and new.version == 2
        assert a.state == AchievementState.ARCHIVED and new.state == AchievementState.PUBLISHED
        assert old_cred.achievement_id == a.id
        assert old_cred.document["credentialSubject"]["achievement"]["name"] == \
            "Werken met dementie"
        assert verify_upload(old_cred.document)["verdict"] == "valid"
        with pytest.raises(Exception, match="gepubliceerd"):
            issuing.issue(college, issuing.IssueRequest(achievement=a,
                                                        recipient_email="b@example.nl"))
        new_cred = issuing.issue(college, issuing.IssueRequest(
            achievement=new, recipient_email="b@example.nl")).credential
        assert new_cred.document["credentialSubject"]["achievement"]["version"] == "2"
        assert [v.version for v in achievements.versions(a)] == [2, 1]
        assert [x.id for x in achievements.current_of(college) if x.lineage == a.lineage] \
            == [new.id]

    def test_old_version_cannot_be_edited(self, college):
        a = achievements.create(college, keuzedeel(), actor_id=None)
        achievements.update(a, keuzedeel(), actor_id=None)
        with pytest.raises(Exception, match="gearchiveerde"):
            achievements.update(a, keuzedeel(), actor_id=None)

    def test_draft_is_edited_in_place_then_published(self, college):
        a = achievements.create(college, keuzedeel(publish=False), actor_id=None)
        assert a.state == AchievementState.DRAFT
        same = achievements.update(a, keuzedeel(name="Nieuw", publish=True), actor_id=None)
        assert same.id == a.id and same.version == 1 and same.name == "Nieuw"
        assert same.state == AchievementState.PUBLISHED

    def test_archive_stops_issuing(self, college):
        a = achievements.create(college, keuzedeel(), actor_id=None)
        achievements.archive(a, actor_id=None)
        assert a.state == AchievementState.ARCHIVED
        assert a not in achievements.issuable(college)


class TestProfile:
    def test_update_and_refuse_bad_colour(self, college):
        profile.update_profile(college, colour="#AA3300", description="Zorg",
                               website="https://example.nl", actor_id=None)
        assert college.colour == "#aa3300"
        with pytest.raises(InvalidInput) as exc:
            profile.update_profile(college, colour="red", description="",
                                   website="javascript:alert(1)", actor_id=None)
        assert set(exc.value.errors) == {"colour", "website"}
