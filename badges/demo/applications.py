"""Demo step: achievements open for applications, Henk's application, an adviser for Vanessa.

Idempotent like the rest of the demo: everything is looked up by a natural key
(achievement name, account email, learner × achievement, learner × adviser)
before it is created. Writes go straight to the session (no emails).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from badges.accounts.models import User
from badges.accounts.passwords import hash_password
from badges.applications.models import (
    AdviserGrant,
    Application,
    ApplicationEvidence,
    ApplicationState,
    EvidenceKind,
)
from badges.applications.services import set_open_for_applications
from badges.demo import world as demo_world
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations.models import Membership, Organisation, Role

OPEN_FOR_APPLICATIONS = ("Werkbegeleider in de bouw", "Jeugdtrainer")
ADVISER = {"email": "adviseur@oss.example", "name": "Loopbaanadviseur Leerwerkloket",
           "org": "lerende-stad-oss"}
HENK_APPLICATION = {
    "achievement": "Jeugdtrainer",
    "description": "Sinds 2019 train ik elke woensdag de JO11 van OSC. Ik maak de "
                   "trainingen zelf en begeleid de wedstrijden op zaterdag.",
    "statement": ("Henk is al vijf seizoenen een betrouwbare en geliefde trainer.",
                  "Jeroen Peters", "Hoofd jeugdopleiding OSC"),
}


def seed_applications(context: dict[str, Any]) -> None:
    achievements = context["achievements"]
    for name in OPEN_FOR_APPLICATIONS:
        set_open_for_applications(achievements[name], True)
    users = {u.email: u for u in db.session.scalars(db.select(User))}
    henk, vanessa = users["henk@example.nl"], users["vanessa@example.nl"]
    _henk_application(henk, achievements[HENK_APPLICATION["achievement"]])
    adviser = _adviser(users.get(ADVISER["email"]))
    exists = db.session.scalar(db.select(AdviserGrant).filter_by(
        learner_id=vanessa.id, adviser_id=adviser.id))
    if exists is None:
        org = db.session.scalar(db.select(Organisation).filter_by(slug=ADVISER["org"]))
        db.session.add(AdviserGrant(learner_id=vanessa.id, adviser_id=adviser.id,
                                    organisation_id=org.id, expires_at=utcnow() + timedelta(
                                        days=180)))
    db.session.flush()


def _henk_application(henk: User, achievement: Any) -> None:
    if db.session.scalar(db.select(Application).filter_by(
            user_id=henk.id, achievement_id=achievement.id)) is not None:
        return
    text, name, role = HENK_APPLICATION["statement"]
    application = Application(
        user_id=henk.id, achievement_id=achievement.id,
        organisation_id=achievement.organisation_id, state=ApplicationState.SUBMITTED,
        description=HENK_APPLICATION["description"], submitted_at=utcnow())
    application.evidence.append(ApplicationEvidence(kind=EvidenceKind.STATEMENT, text=text,
                                                    name=name, role=role))
    db.session.add(application)


def _adviser(user: User | None) -> User:
    if user is None:
        user = User(email=ADVISER["email"], name=ADVISER["name"],
                    password_hash=hash_password(demo_world.DEMO_PASSWORD),
                    email_confirmed_at=utcnow())
        db.session.add(user)
        db.session.flush()
    org = db.session.scalar(db.select(Organisation).filter_by(slug=ADVISER["org"]))
    if db.session.scalar(db.select(Membership).filter_by(user_id=user.id,
                                                         organisation_id=org.id)) is None:
        db.session.add(Membership(user=user, organisation=org, role=Role.VIEWER))
    return user
