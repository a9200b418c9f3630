"""Henk never loses his text (#22 item 5): one form for the description and new evidence,
a refused post keeps what he typed, a warning before leaving, and credentials already in
his passport can be attached as evidence."""

from __future__ import annotations

import io
import re

from badges.applications.models import Application, EvidenceKind
from badges.issuing.models import Credential
from badges.kernel.db import db
from tests.conftest import csrf_token, post_form
from tests.web.applications.conftest import HENK, PDF
from tests.web.applications.test_application_flow import start

TEXT = "Twintig jaar in de bouw, de laatste vijf als leermeester."


def _application(app, uuid: str) -> Application:
    with app.app_context():
        row = db.session.scalar(db.select(Application).filter_by(uuid=uuid))
        row.evidence  # noqa: B018 - loaded before the session closes
        db.session.expunge_all()
        return row


def test_description_and_file_are_one_form(app, client, auth, werkbegeleider):
    auth.login(HENK)
    page = f"/passport/aanvragen/{start(client, werkbegeleider)}"
    html = client.get(page).get_data(as_text=True)
    assert '<form id="application-form"' in html
    for name in ("description", "file", "note", "url", "statement-text", "submit-understood"):
        tag = re.search(rf'<(?:textarea|input)[^>]*name="{name}"[^>]*>', html)
        assert tag and 'form="application-form"' in tag.group(0), name
    assert f'formaction="{page}/bestand"' in html
    assert "js/keep-text.js" in html  # warns before leaving with unsaved text


def test_adding_a_file_saves_the_typed_description(app, client, auth, werkbegeleider):
    auth.login(HENK)
    uuid = start(client, werkbegeleider)
    page = f"/passport/aanvragen/{uuid}"
    response = post_form(client, f"{page}/bestand", {
        "description": TEXT, "file": (io.BytesIO(PDF), "verklaring.pdf"), "note": "Werkgever"},
        page=page, content_type="multipart/form-data")
    assert response.status_code == 302
    application = _application(app, uuid)
    assert application.description == TEXT
    assert [e.kind for e in application.evidence] == [EvidenceKind.FILE]


def test_a_refused_post_keeps_everything_typed(app, client, auth, werkbegeleider):
    auth.login(HENK)
    uuid = start(client, werkbegeleider)
    page = f"/passport/aanvragen/{uuid}"
    # "Link toevoegen" without an address: the description is kept, the statement too
    response = post_form(client, f"{page}/link", {
        "description": TEXT, "url": "", "statement-text": "Henk begeleidt leerlingen."},
        page=page)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vul een webadres in." in html
    assert TEXT in html and "Henk begeleidt leerlingen." in html
    assert _application(app, uuid).description == TEXT


def test_attach_a_credential_from_the_passport(app, client, auth, werkbegeleider):
    auth.login(HENK)
    uuid = start(client, werkbegeleider)
    page = f"/passport/aanvragen/{uuid}"
    with app.app_context():
        henk_id = db.session.scalar(db.text("SELECT id FROM user_account WHERE email = :e"),
                                    {"e": HENK})
        own = db.session.scalar(db.select(Credential).filter_by(recipient_user_id=henk_id))
        other = db.session.scalar(db.select(Credential).where(
            Credential.recipient_user_id != henk_id))
        own_uuid, own_name, other_uuid = own.uuid, own.achievement.name, other.uuid
    html = client.get(page).get_data(as_text=True)
    assert f'<option value="{own_uuid}">' in html and other_uuid not in html
    response = post_form(client, f"{page}/uit-mijn-pas", {"credential": own_uuid,
                                                           "description": TEXT}, page=page)
    assert response.status_code == 302
    evidence = _application(app, uuid).evidence
    assert [(e.name, e.url) for e in evidence] == [
        (own_name, f"http://localhost/verify?credential={own_uuid}")]
    # someone else's credential is not his to attach
    response = post_form(client, f"{page}/uit-mijn-pas", {"credential": other_uuid}, page=page)
    assert response.status_code == 422
    assert "Kies een bewijs uit je pas." in response.get_data(as_text=True)
    assert len(_application(app, uuid).evidence) == 1
    # the evidence page lists it; the assessor opens the public check
    assert f"/verify?credential={own_uuid}" in client.get(page).get_data(as_text=True)
    assert csrf_token(client, page)


def test_a_too_long_description_stops_the_post_and_keeps_the_text(app, client, auth,
                                                                   werkbegeleider):
    auth.login(HENK)
    uuid = start(client, werkbegeleider)
    page = f"/passport/aanvragen/{uuid}"
    long_text = "lang " * 2001
    response = post_form(client, f"{page}/link", {
        "description": long_text, "url": "https://example.org/werk"}, page=page)
    assert response.status_code == 400
    assert "Je beschrijving is te lang." in response.get_data(as_text=True)
    assert _application(app, uuid).evidence == []  # nothing half done
