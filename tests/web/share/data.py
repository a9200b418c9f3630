"""Credentials for sharing/export tests, issued through the real issuing service."""

from __future__ import annotations

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.issuing import services as issuing
from badges.issuing.models import Credential
from badges.kernel.db import db
from badges.organisations.models import Organisation

ZORG = "maasvallei-zorg-welzijn"


def user(email: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=email))


def issue_to(email: str, name: str, achievement_names: list[str],
             org_slug: str = ZORG) -> list[Credential]:
    """Issue one credential per achievement to ``email`` (an account: claimed at once)."""
    org = db.session.scalar(db.select(Organisation).filter_by(slug=org_slug))
    found = []
    for achievement_name in achievement_names:
        achievement = db.session.scalar(db.select(Achievement).filter_by(
            organisation_id=org.id, name=achievement_name))
        issued = issuing.issue_many(org, [issuing.IssueRequest(
            achievement=achievement, recipient_email=email, recipient_name=name)])
        found.append(issued[0].credential)
    return found


def vanessa_credentials() -> list[Credential]:
    return issue_to("vanessa@example.nl", "Vanessa de Groot",
                    ["Basiszorg", "Hygiëne en veiligheid", "Zorg voor mensen met dementie"])
