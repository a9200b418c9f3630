"""Henk applies, the Vakcollege asks, Henk answers, the assessor approves: mails at each step."""

from __future__ import annotations

import io

from badges.applications.models import Application, ApplicationState
from badges.issuing.models import Credential
from badges.kernel.db import db
from badges.verification.services import verify_upload
from tests.conftest import post_form
from tests.web.applications.conftest import ASSESSOR, HENK, PDF, application_of

CONFIRM = {"submit-understood": "y"}  # what the learner writes goes into the credential


def start(client, achievement_uuid: str) -> str:
    url = f"/passport/aanvragen/nieuw/{achievement_uuid}"
    r = post_form(client, url, {})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return r.headers["Location"].rsplit("/", 1)[1]


def prepared(client, achievement_uuid: str) -> str:
    uuid = start(client, achievement_uuid)
    page = f"/passport/aanvragen/{uuid}"
    post_form(client, f"{page}/beschrijving", {"description": "Twintig jaar in de bouw, "
              "de laatste vijf als leermeester van BBL-leerlingen."}, page=page)
    post_form(client, f"{page}/bestand", {"file": (io.BytesIO(PDF), "verklaring.pdf"),
              "note": "Verklaring van mijn werkgever"}, page=page,
              content_type="multipart/form-data")
    post_form(client, f"{page}/link", {"url": "https://example.org/fotos", "name": "Foto's"},
              page=page)
    post_form(client, f"{page}/verklaring", {"statement-text": "Henk begeleidt al jaren "
              "leerlingen.", "statement-name": "Kees van Houten", "statement-role": "Uitvoerder",
              "statement-agreed": "y", "statement-email": "kees@vanhouten.example"}, page=page)
    return uuid


class TestApplicationFlow:
    def test_the_whole_journey_with_emails(self, app, client, auth, mailer, werkbegeleider):
        auth.login(HENK)
        uuid = prepared(client, werkbegeleider)
        page = f"/passport/aanvragen/{uuid}"
        assert application_of(app, uuid).state == ApplicationState.DRAFT
        post_form(client, f"{page}/indienen", CONFIRM, page=page)
        assert application_of(app, uuid).state == ApplicationState.SUBMITTED
        subjects = {(m.to, m.subject.split(":")[0]) for m in mailer.sent}
        assert (HENK, "Je aanvraag is ingediend") in subjects
        assert (ASSESSOR, "Nieuwe aanvraag") in subjects

        auth.logout()
        auth.login(ASSESSOR)
        assess = f"/issuer/vakcollege-techniek-brabant/aanvragen/{uuid}"
        queue = client.get("/issuer/vakcollege-techniek-brabant/aanvragen").get_data(as_text=True)
        assert "Henk van der Berg" in queue
        html = client.get(assess).get_data(as_text=True)
        assert "verklaring.pdf" in html and "Kees van Houten" in html
        mailer.sent.clear()
        post_form(client, f"{assess}/vraag", {"text": "Hoeveel leerlingen begeleidde je?"},
                  page=assess)
        assert application_of(app, uuid).state == ApplicationState.QUESTION
        assert [m.to for m in mailer.sent] == [HENK]
        assert "vraag" in mailer.sent[0].subject

        auth.logout()
        auth.login(HENK)
        assert "Hoeveel leerlingen" in client.get(page).get_data(as_text=True)
        mailer.sent.clear()
        post_form(client, f"{page}/antwoord", {"text": "Ongeveer twaalf."}, page=page)
        assert application_of(app, uuid).state == ApplicationState.SUBMITTED
        assert ASSESSOR in [m.to for m in mailer.sent]

        auth.logout()
        auth.login(ASSESSOR)
        mailer.sent.clear()
        r = post_form(client, f"{assess}/goedkeuren", {}, page=assess)
        assert r.status_code == 302
        row = application_of(app, uuid)
        assert row.state == ApplicationState.APPROVED and row.decided_by_id
        assert [m.to for m in mailer.sent] == [HENK]
        assert "toegekend" in mailer.sent[0].subject and "/passport" in mailer.sent[0].text
        with app.app_context():
            cred = db.session.get(Credential, row.credential_id)
            assert cred.recipient.email == HENK
            evidence = cred.document["evidence"]
            report = verify_upload(cred.document)
            cred_uuid = cred.uuid
        assert report["verified"], report["checks"]
        names = [e.get("name") for e in evidence]
        assert "verklaring.pdf" in names and "Foto's" in names
        assert any(e.get("id", "").startswith("http://localhost/evidence/") for e in evidence)
        assert any("Kees van Houten" in (e.get("name") or "") for e in evidence)

        auth.logout()
        auth.login(HENK)
        detail = client.get(f"/passport/c/{cred_uuid}").get_data(as_text=True)
        assert "verklaring.pdf" in detail

    def test_decline_sends_the_reason(self, app, client, auth, mailer, werkbegeleider):
        auth.login(HENK)
        uuid = prepared(client, werkbegeleider)
        post_form(client, f"/passport/aanvragen/{uuid}/indienen", CONFIRM,
                  page=f"/passport/aanvragen/{uuid}")
        auth.logout()
        auth.login(ASSESSOR)
        assess = f"/issuer/vakcollege-techniek-brabant/aanvragen/{uuid}"
        mailer.sent.clear()
        post_form(client, f"{assess}/afwijzen", {"reason": "Te weinig praktijkbewijs."},
                  page=assess)
        row = application_of(app, uuid)
        assert row.state == ApplicationState.DECLINED and row.credential_id is None
        assert mailer.sent[0].to == HENK and "Te weinig praktijkbewijs." in mailer.sent[0].text

    def test_withdraw_and_no_submit_without_description(self, app, client, auth, mailer,
                                                        werkbegeleider):
        auth.login(HENK)
        uuid = start(client, werkbegeleider)
        page = f"/passport/aanvragen/{uuid}"
        post_form(client, f"{page}/indienen", CONFIRM, page=page)
        assert application_of(app, uuid).state == ApplicationState.DRAFT
        assert not mailer.sent
        post_form(client, f"{page}/intrekken", {}, page=page)
        assert application_of(app, uuid).state == ApplicationState.WITHDRAWN
        assert "Aanvraag indienen" not in client.get(page).get_data(as_text=True)

    def test_closed_achievement_cannot_be_applied_for(self, app, client, auth, demo):
        from badges.catalogue.models import Achievement

        auth.login(HENK)
        with app.app_context():
            closed = db.session.scalar(db.select(Achievement).filter_by(name="Tekening lezen"))
            uuid = closed.uuid
        assert client.get(f"/passport/aanvragen/nieuw/{uuid}").status_code == 404
        assert "Aanvragen" not in client.get(f"/achievements/{uuid}").get_data(as_text=True)

    def test_achievement_page_has_the_button_when_open(self, client, werkbegeleider):
        html = client.get(f"/achievements/{werkbegeleider}").get_data(as_text=True)
        assert f"/passport/aanvragen/nieuw/{werkbegeleider}" in html

    def test_demo_gives_henk_an_application(self, app, demo):
        with app.app_context():
            rows = db.session.scalars(db.select(Application)).all()
            assert any(r.user.email == HENK and r.state == ApplicationState.SUBMITTED
                       for r in rows)
