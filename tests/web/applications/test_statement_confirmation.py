"""The employer confirms the statement a learner gives in its name (#16 item 10).

Before, the learner typed a statement and the credential attributed it to the
employer. Now the employer gets a link; until it confirms, the statement is
labelled "niet bevestigd door werkgever" and is never signed as the employer's.
"""

from __future__ import annotations

import re

from badges.applications.models import ApplicationEvidence
from badges.issuing.models import Credential
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from tests.conftest import post_form
from tests.web.applications.conftest import ASSESSOR, HENK
from tests.web.applications.test_application_flow import start

EMPLOYER = "kees@vanhouten.example"


def _with_statement(client, achievement_uuid) -> str:
    uuid = start(client, achievement_uuid)
    page = f"/passport/aanvragen/{uuid}"
    post_form(client, f"{page}/beschrijving", {"description": "Twintig jaar in de bouw."},
              page=page)
    r = post_form(client, f"{page}/verklaring", {
        "statement-text": "Henk begeleidt al jaren leerlingen.",
        "statement-name": "Kees van Houten", "statement-role": "Uitvoerder",
        "statement-email": EMPLOYER, "statement-agreed": "y"}, page=page)
    assert r.status_code == 302
    return uuid


def _approve(client, auth, uuid) -> dict:
    post_form(client, f"/passport/aanvragen/{uuid}/indienen", {"submit-understood": "y"},
              page=f"/passport/aanvragen/{uuid}")
    auth.logout()
    auth.login(ASSESSOR)
    assess = f"/issuer/vakcollege-techniek-brabant/aanvragen/{uuid}"
    assert "niet bevestigd door werkgever" in client.get(assess).get_data(as_text=True)
    assert post_form(client, f"{assess}/goedkeuren", {}, page=assess).status_code == 302
    auth.logout()


def _evidence_of(app, uuid) -> list[dict]:
    from badges.applications.models import Application

    with app.app_context():
        row = db.session.scalar(db.select(Application).filter_by(uuid=uuid))
        return db.session.get(Credential, row.credential_id).document["evidence"]


def _link(mailer) -> str:
    mail = next(m for m in mailer.sent if m.to == EMPLOYER)
    return re.search(r"http://localhost(/verklaring/\S+)", mail.text).group(1)


def test_unconfirmed_statement_is_labelled_and_not_signed_as_the_employers(
        app, client, auth, mailer, werkbegeleider):
    auth.login(HENK)
    uuid = _with_statement(client, werkbegeleider)
    page = client.get(f"/passport/aanvragen/{uuid}").get_data(as_text=True)
    assert "niet bevestigd door werkgever" in page
    assert _link(mailer)  # the employer was asked
    _approve(client, auth, uuid)
    statement = next(e for e in _evidence_of(app, uuid) if "Kees van Houten" in e["name"])
    assert "niet bevestigd door werkgever" in statement["name"]
    assert "volgens de aanvrager" in statement["name"]


def test_employer_confirms_by_the_mailed_link(app, client, auth, mailer, werkbegeleider):
    auth.login(HENK)
    uuid = _with_statement(client, werkbegeleider)
    auth.logout()
    link = _link(mailer)
    assert client.get("/verklaring/not-a-token").status_code == 404
    shown = client.get(link).get_data(as_text=True)
    assert "Henk begeleidt al jaren leerlingen." in shown
    assert post_form(client, link, {}).status_code == 302
    with app.app_context():
        row = db.session.scalar(db.select(ApplicationEvidence).filter_by(
            confirm_email=EMPLOYER))
        assert row.confirmed_at is not None
        assert db.session.scalar(db.select(AuditEvent).filter_by(
            action="application.statement_confirmed")) is not None
    auth.login(HENK)
    assert "bevestigd door werkgever" in client.get(
        f"/passport/aanvragen/{uuid}").get_data(as_text=True)
    # approve: the statement is now signed as the employer's, confirmed
    post_form(client, f"/passport/aanvragen/{uuid}/indienen", {"submit-understood": "y"},
              page=f"/passport/aanvragen/{uuid}")
    auth.logout()
    auth.login(ASSESSOR)
    assess = f"/issuer/vakcollege-techniek-brabant/aanvragen/{uuid}"
    post_form(client, f"{assess}/goedkeuren", {}, page=assess)
    statement = next(e for e in _evidence_of(app, uuid) if "Kees van Houten" in e["name"])
    assert statement["name"] == "Verklaring van Kees van Houten (Uitvoerder), bevestigd door " \
                                "de werkgever"
