from __future__ import annotations

from collections.abc import Iterator

import pytest

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.issuing import services as issuing
from badges.kernel import events
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.organisations.models import Organisation


def user(email: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=email))


def issue(email: str, achievement_name: str = "Zorg voor mensen met dementie",
          org_slug: str = "maasvallei-zorg-welzijn") -> issuing.Issued:
    """Issue through the real service (no dedup key, so it can be repeated), silently:
    the tests here count the mails the passport sends, not the issuer's announcement."""
    org = db.session.scalar(db.select(Organisation).filter_by(slug=org_slug))
    achievement = db.session.scalar(db.select(Achievement).filter_by(
        organisation_id=org.id, name=achievement_name))
    with events.muted():
        return issuing.issue_many(org, [issuing.IssueRequest(
            achievement=achievement, recipient_email=email, recipient_name="Iemand")])[0]


@pytest.fixture
def mailer(app) -> Iterator[LogMailer]:
    app.extensions["badges.mailer"] = mailer = LogMailer()
    yield mailer
    app.extensions.pop("badges.mailer", None)
