"""Before the learner's words, or a third party's statement, are signed into a credential,
the learner is told they become part of a document others can read, and confirms it."""

from __future__ import annotations

from badges.applications.models import ApplicationEvidence, ApplicationState, EvidenceKind
from badges.kernel.db import db
from tests.conftest import post_form
from tests.web.applications.conftest import HENK, application_of
from tests.web.applications.test_application_flow import CONFIRM, prepared, start

NOTICE = "Let op: wat je hier schrijft, kan in je bewijs komen."


def _statements(app, uuid: str) -> int:
    with app.app_context():
        return len(db.session.scalars(db.select(ApplicationEvidence).filter_by(
            application_id=application_of(app, uuid).id, kind=EvidenceKind.STATEMENT)).all())


class TestSignedNotice:
    def test_the_form_says_what_goes_into_the_credential(self, client, auth, werkbegeleider):
        auth.login(HENK)
        uuid = start(client, werkbegeleider)
        html = client.get(f"/passport/aanvragen/{uuid}").get_data(as_text=True)
        assert NOTICE in html
        assert "iedereen aan wie je het bewijs laat zien, kan hem lezen" in html  # at the field
        assert 'name="statement-agreed"' in html and 'name="submit-understood"' in html
        assert 'aria-describedby="signed-notice"' in html

    def test_a_statement_needs_the_givers_knowledge(self, app, client, auth, werkbegeleider):
        auth.login(HENK)
        uuid = start(client, werkbegeleider)
        page = f"/passport/aanvragen/{uuid}"
        fields = {"statement-text": "Henk werkt zorgvuldig.", "statement-name": "Kees",
                  "statement-role": "Uitvoerder", "statement-email": "kees@vanhouten.example"}
        resp = post_form(client, f"{page}/verklaring", fields, page=page, follow_redirects=True)
        assert "weet dat die in je bewijs komt" in resp.get_data(as_text=True)
        assert _statements(app, uuid) == 0
        post_form(client, f"{page}/verklaring", {**fields, "statement-agreed": "y"}, page=page)
        assert _statements(app, uuid) == 1

    def test_submitting_needs_the_learners_confirmation(self, app, client, auth, mailer,
                                                        werkbegeleider):
        auth.login(HENK)
        uuid = prepared(client, werkbegeleider)
        page = f"/passport/aanvragen/{uuid}"
        resp = post_form(client, f"{page}/indienen", {}, page=page, follow_redirects=True)
        assert "Je aanvraag is nog niet ingediend" in resp.get_data(as_text=True)
        assert application_of(app, uuid).state == ApplicationState.DRAFT
        assert all("verklaring bevestigen" in m.subject for m in mailer.sent)  # only the employer
        post_form(client, f"{page}/indienen", CONFIRM, page=page)
        assert application_of(app, uuid).state == ApplicationState.SUBMITTED


def test_issuer_is_told_the_narrative_is_signed_into_the_credential(client, auth, demo):
    auth.login("docent@rocdemaasvallei.example")
    html = client.get("/issuer/maasvallei-zorg-welzijn/issue").get_data(as_text=True)
    assert "Komt ondertekend in het bewijs" in html
