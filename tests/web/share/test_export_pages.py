"""Export and account pages: downloads, signed CLR, AVG export, deleting the account."""

from __future__ import annotations

import io
import json
import zipfile

from badges.accounts.models import User
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload
from tests.conftest import post_form


class TestExportPages:
    def test_pages_and_downloads(self, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        assert "CLR downloaden" in client.get("/passport/export").get_data(as_text=True)
        pdf = client.get("/passport/export/skillspas.pdf")
        assert pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
        archive = zipfile.ZipFile(io.BytesIO(client.get("/passport/export/skillspas.zip").data))
        assert "index.json" in archive.namelist()
        bundle = client.get("/passport/export/skillspas.json").get_json()
        assert {c["id"] for c in bundle["credentials"]} >= set(vanessa)

    def test_clr_of_a_selection_is_signed_by_the_platform_and_verifies(self, app, client, auth,
                                                                        vanessa):
        auth.login("vanessa@example.nl")
        r = post_form(client, "/passport/export/clr", {"credentials": vanessa[:2]},
                      page="/passport/export")
        assert r.status_code == 200, r.get_data(as_text=True)[:1500]
        doc = json.loads(r.data)
        assert doc["type"] == ["VerifiableCredential", "ClrCredential"]
        assert doc["issuer"]["id"] == "http://localhost/issuers/skillspas"
        embedded = doc["credentialSubject"]["verifiableCredential"]
        assert {e["id"].rsplit("/", 1)[1] for e in embedded} == set(vanessa[:2])
        with app.app_context():
            report = verify_upload(doc)
            assert report["verified"], report["checks"]
            platform = db.session.scalar(db.select(Organisation).filter_by(slug="skillspas"))
            assert platform.kind.value == "training_provider"
            embedded[0]["credentialSubject"]["achievement"]["name"] = "Vervalst"
            assert not verify_upload(doc)["verified"]

    def test_clr_needs_a_choice(self, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        r = post_form(client, "/passport/export/clr", {}, page="/passport/export")
        assert r.status_code == 400 and "Kies minstens één bewijs" in r.get_data(as_text=True)

    def test_clr_of_a_pathway(self, app, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        page = client.get("/passport/export").get_data(as_text=True)
        import re

        match = re.search(r'<option value="(\d+)">', page)
        assert match, "Vanessa has started a pathway"
        r = post_form(client, "/passport/export/clr", {"pathway": match.group(1)},
                      page="/passport/export")
        assert r.status_code == 200, r.get_data(as_text=True)[:1500]
        doc = json.loads(r.data)
        assert doc["credentialSubject"]["verifiableCredential"]
        with app.app_context():
            assert verify_upload(doc)["verified"]


class TestAccount:
    def test_personal_data_download(self, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        data = client.get("/passport/account/mijn-gegevens.json").get_json()
        assert data["account"]["email"] == "vanessa@example.nl"

    def test_delete_needs_password_and_confirmation(self, app, client, auth, vanessa):
        auth.login("vanessa@example.nl")
        page = client.get("/passport/account").get_data(as_text=True)
        assert "blijven echt" in page
        r = post_form(client, "/passport/account/delete",
                      {"understood": "y", "password": "wrong"}, page="/passport/account")
        assert r.status_code == 400 and "wachtwoord klopt niet" in r.get_data(as_text=True)
        r = post_form(client, "/passport/account/delete", {"password": "skillspas-demo"},
                      page="/passport/account")
        assert r.status_code == 400
        r = post_form(client, "/passport/account/delete",
                      {"understood": "y", "password": "skillspas-demo"},
                      page="/passport/account")
        assert r.status_code == 302
        with app.app_context():
            assert db.session.scalar(db.select(User).filter_by(
                email="vanessa@example.nl")) is None
        assert client.get("/passport/share").status_code == 302  # logged out
