"""Fixtures for the issuer workspace: the demo world, a mailbox and ids to aim at."""

from __future__ import annotations

import pytest

from badges.accounts.models import User
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing import endorsements
from badges.issuing import services as issuing
from badges.kernel.db import db
from badges.organisations import api_tokens
from badges.organisations.models import ApiToken, Membership, Organisation, Role

COLLEGE = "maasvallei-zorg-welzijn"
TEACHER = "docent@rocdemaasvallei.example"  # issuer at COLLEGE
ADMIN = "beheer@rocdemaasvallei.example"  # admin at COLLEGE
OUTSIDER = "examen@vakcollege.example"  # admin of another organisation
VIEWER = "vanessa@example.nl"  # made a viewer of COLLEGE below


def org(slug: str = COLLEGE) -> Organisation:
    return db.session.scalar(db.select(Organisation).filter_by(slug=slug))


@pytest.fixture
def world(app, demo):
    """Things inside COLLEGE every route can point at; VIEWER is a viewer there."""
    with app.test_request_context():
        college = org()
        other = org("vakcollege-techniek-brabant")
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=college.id, state=AchievementState.PUBLISHED).limit(1))
        credential = issuing.issue(college, issuing.IssueRequest(
            achievement=achievement, recipient_email="lerende@example.nl",
            recipient_name="Lerende")).credential
        foreign = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=other.id, state=AchievementState.PUBLISHED).limit(1))
        endorsement = endorsements.endorse(college, foreign, "Mooi.")
        api_tokens.create_api_token(college, "test")
        viewer = db.session.scalar(db.select(User).filter_by(email=VIEWER))
        db.session.add(Membership(user_id=viewer.id, organisation_id=college.id,
                                  role=Role.VIEWER))
        db.session.commit()
        teacher = db.session.scalar(db.select(User).filter_by(email=TEACHER))
        token = db.session.scalar(db.select(ApiToken).filter_by(organisation_id=college.id))
        return {"slug": college.slug, "achievement": achievement.uuid,
                "achievement_id": achievement.id, "credential": credential.uuid,
                "endorsement": endorsement.uuid, "user_id": teacher.id, "token_id": token.id}
