"""The import page: upload or paste, refused with a reason, duplicates noticed."""

from __future__ import annotations

import io
import json

from badges.demo.credentials import library_credential
from badges.kernel.db import db
from badges.passport.models import ImportedCredential
from tests.conftest import csrf_token, post_form
from tests.interop_data import SAMPLES


def _count(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(ImportedCredential))


def test_upload_file_is_verified_and_stored(client, auth, demo, app):
    auth.login("henk@example.nl")
    body = json.dumps(library_credential("henk@example.nl")).encode()
    response = client.post("/passport/import", data={
        "csrf_token": csrf_token(client, "/passport/import"),
        "file": (io.BytesIO(body), "badge.json")}, content_type="multipart/form-data",
        follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Gecontroleerd" in html and "Klik &amp; Tik" in html


def test_pasted_sample_is_labelled_unconfirmed_with_reason(client, auth, demo):
    auth.login("henk@example.nl")
    response = post_form(client, "/passport/import",
                         {"text": (SAMPLES / "simple.json").read_text()}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Niet te bevestigen" in html and "Sleutelbinding niet bevestigd" in html
    assert "Niet te bevestigen" in client.get("/passport").get_data(as_text=True)


def test_tampered_is_refused_with_reason(client, auth, demo, app):
    auth.login("henk@example.nl")
    before = _count(app)
    doc = library_credential("henk@example.nl")
    doc["credentialSubject"]["achievement"]["name"] = "Rijbewijs C"
    response = post_form(client, "/passport/import", {"text": json.dumps(doc)})
    assert response.status_code == 422
    assert "niet toegevoegd" in response.get_data(as_text=True)
    assert _count(app) == before


def test_duplicate_goes_to_the_existing_one(client, auth, demo):
    auth.login("vanessa@example.nl")  # the demo already imported this one for her
    response = post_form(client, "/passport/import",
                         {"text": json.dumps(library_credential("vanessa@example.nl"))})
    assert response.status_code == 302 and "/passport/i/" in response.location


def test_empty_form(client, auth, demo):
    auth.login("henk@example.nl")
    response = post_form(client, "/passport/import", {"text": ""})
    assert response.status_code == 422
