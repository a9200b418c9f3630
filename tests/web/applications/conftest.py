from __future__ import annotations

import pytest

from badges.applications.models import Application
from badges.catalogue.models import Achievement
from badges.kernel.db import db
from badges.kernel.mail import LogMailer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HENK, ASSESSOR = "henk@example.nl", "examen@vakcollege.example"


@pytest.fixture
def mailer(app):
    app.extensions["badges.mailer"] = box = LogMailer()
    yield box
    app.extensions.pop("badges.mailer", None)


def achievement_uuid(app, name: str) -> str:
    with app.app_context():
        return db.session.scalar(db.select(Achievement.uuid).filter_by(name=name, version=1))


def application_of(app, uuid: str) -> Application:
    with app.app_context():
        row = db.session.scalar(db.select(Application).filter_by(uuid=uuid))
        db.session.expunge(row)
        return row


@pytest.fixture
def werkbegeleider(app, demo) -> str:
    return achievement_uuid(app, "Werkbegeleider in de bouw")
