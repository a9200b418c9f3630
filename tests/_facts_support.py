"""One published achievement of every kind with every fact a page can show filled in,
issued through the real service (for the signed-facts and independent-verifier tests)."""

from __future__ import annotations

from decimal import Decimal

from badges.catalogue.models import Achievement, AchievementKind, AchievementState, Skill
from badges.issuing import services as issuing
from badges.issuing.models import Credential
from badges.kernel import events
from badges.kernel.db import db
from badges.organisations.models import Organisation

ORG = "maasvallei-zorg-welzijn"
MC = {"learning_outcomes": ["Je maakt een begeleidingsplan", "Je geeft feedback"],
      "assessment_type": "Portfolio en praktijkbeoordeling", "participation_form": "blended",
      "quality_assurance": "Examencommissie; Inspectie", "country": "NL",
      "exam_board": "Examencommissie Zorg", "supervision": "onsite", "identity_verified": True,
      "prerequisites": "Werkervaring in de zorg", "grading": "voldoende, goed",
      "stackability": "Telt mee voor het mbo-certificaat", "further_info": "https://example.nl/mc"}


def full_achievement(kind: AchievementKind) -> Achievement:
    org = db.session.scalar(db.select(Organisation).filter_by(slug=ORG))
    details: dict = {}
    if kind == AchievementKind.PRAKTIJKVERKLARING:
        details = {"work_tasks": ["Ondersteunt bij persoonlijke verzorging", "Meet de bloeddruk"],
                   "workplace": "Woonzorgcentrum De Linde, Oss"}
    if kind == AchievementKind.MICROCREDENTIAL:
        details = {"microcredential": dict(MC)}
    a = Achievement(organisation_id=org.id, kind=kind, state=AchievementState.PUBLISHED,
                    name=f"Alles ingevuld: {kind.value}", description="Wat je kunt.",
                    criteria_md="Wat je liet zien.", keuzedeel_code="K0123", crebo="25491",
                    qualification_name="Verzorgende IG", mbo_level="3", nlqf_level="3",
                    eqf_level="4", sbu=252, ec=Decimal("9.00"), language="nl",
                    field_of_study="Zorg en welzijn", details=details,
                    skills=list(db.session.scalars(db.select(Skill).limit(2))))
    db.session.add(a)
    db.session.flush()
    return a


def issue_full(kind: AchievementKind, email: str) -> Credential:
    """A credential of a fully filled achievement, with evidence, a result and an assessor."""
    org = db.session.scalar(db.select(Organisation).filter_by(slug=ORG))
    with events.muted():
        issued = issuing.issue_many(org, [issuing.IssueRequest(
            achievement=full_achievement(kind), recipient_email=email, recipient_name="Iemand",
            evidence=[{"url": "https://portfolio.example/werk", "name": "Portfolio",
                       "narrative": "Verslag van de stage"}],
            result={"value": "goed", "status": "Completed"},
            assessor="J. de Vries, praktijkopleider")])
    return issued[0].credential
