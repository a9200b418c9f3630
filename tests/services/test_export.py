"""Exports (JSON, ZIP, PDF), the AVG data export and account deletion."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import JSON, LargeBinary, String, Text, cast, select

from badges.accounts.models import EmailAddress
from badges.issuing.models import Credential
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.media import pdf as pdf_base
from badges.kernel.models import utcnow
from badges.passport import export, privacy, share
from badges.passport.models import ShareLink, ShareView
from badges.verification.services import verify_upload
from tests.web.share.data import issue_to, user, vanessa_credentials

NAME, EMAIL = "Vanessa de Groot", "vanessa@example.nl"


@pytest.fixture
def world(app, demo):
    with app.app_context():
        creds = vanessa_credentials()
        yield user(EMAIL), creds


class TestBundles:
    def test_json_bundle_holds_signed_documents(self, world):
        vanessa, creds = world
        bundle = export.json_bundle(vanessa)
        ids = {c["id"] for c in bundle["credentials"]}
        assert {c.uuid for c in creds} <= ids
        first = next(c for c in bundle["credentials"] if c["id"] == creds[0].uuid)
        assert verify_upload(first["document"])["verified"]

    def test_zip_has_baked_pngs_and_json(self, world):
        vanessa, _creds = world
        archive = zipfile.ZipFile(io.BytesIO(export.zip_bundle(vanessa)))
        names = archive.namelist()
        pngs = [n for n in names if n.startswith("badges/") and n.endswith(".png")]
        jsons = [n for n in names if n.startswith("json/") and n.endswith(".json")]
        assert len(pngs) >= 3 and len(jsons) >= 3 and "index.json" in names
        assert any(n.startswith("badges/hygiene-en-veiligheid") for n in pngs)
        for name in pngs[:3]:
            assert verify_upload(archive.read(name))["verified"]
        index = json.loads(archive.read("index.json"))
        assert "document" not in index["credentials"][0]

    def test_pdf_overview_with_dutch_characters(self, world):
        vanessa, _creds = world
        vanessa.name = "Vanessa de Groot-Ëlberg"
        pdf = export.pdf_overview(vanessa)
        assert pdf.startswith(b"%PDF")
        # The learner's name is in the document title (UTF-16BE, as PDF stores non-ASCII).
        title = ("Skillspas - overzicht van mijn bewijzen - Vanessa de Groot-Ëlberg"
                 .encode("utf-16-be").hex())
        assert f"/Title <feff{title}>".encode() in pdf

    def test_pdf_falls_back_to_core_font(self, world, monkeypatch, tmp_path):
        vanessa, _creds = world
        monkeypatch.setattr(pdf_base, "FONT_DIR", tmp_path)
        vanessa.name = "Zoë Ğünther"  # ë is latin-1; Ğ is not and becomes "?"
        assert export.pdf_overview(vanessa).startswith(b"%PDF")


class TestPersonalData:
    def test_export_contains_everything(self, world):
        vanessa, creds = world
        share.create_link(vanessa, "Werk", [creds[0].uuid], [])
        link = db.session.scalar(select(ShareLink).filter_by(user_id=vanessa.id))
        share.record_view(link)
        data = privacy.personal_data(vanessa)
        assert data["account"]["email"] == EMAIL and data["account"]["name"] == NAME
        assert {c["id"] for c in data["credentials"]} >= {c.uuid for c in creds}
        assert data["shares"][0]["title"] == "Werk" and len(data["shares"][0]["views"]) == 1
        assert any(e["action"] == "share.create" for e in data["auditEvents"])
        json.dumps(data)  # serialisable as is


def _text_columns(table):
    return [c for c in table.columns
            if isinstance(c.type, String | Text | JSON) and not isinstance(c.type, LargeBinary)]


def _personal_rows(uid: int, needles: list[str]) -> list[str]:
    """Every table: text/JSON columns containing a needle, FK columns pointing at the user."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in _text_columns(table):
            for needle in needles:
                hit = db.session.execute(select(table).where(
                    cast(column, Text).contains(needle)).limit(1)).first()
                if hit:
                    found.append(f"{table.name}.{column.name} contains {needle!r}")
        for fk in table.foreign_keys:
            if fk.column.table.name == "user_account":
                hit = db.session.execute(select(table).where(fk.parent == uid)).first()
                if hit:
                    found.append(f"{table.name}.{fk.parent.name} refers to the user")
    return found


class TestDeleteAccount:
    def test_wrong_password_deletes_nothing(self, world):
        vanessa, _creds = world
        with pytest.raises(ServiceError):
            privacy.delete_account(vanessa, "wrong")
        assert user(EMAIL) is not None

    def test_no_personal_data_left_in_any_table(self, world):
        vanessa, creds = world
        uid = vanessa.id
        db.session.add(EmailAddress(user_id=uid, email="v.degroot@school.example.nl",
                                    confirmed_at=utcnow()))
        db.session.commit()
        issue_to("v.degroot@school.example.nl", NAME, ["Digitale vaardigheden basis"],
                 "roc-de-maasvallei")
        share.create_link(vanessa, "Voor De Linde", [c.uuid for c in creds[:2]], [])
        share.record_view(db.session.scalar(select(ShareLink).filter_by(user_id=uid)))
        cred_ids = [c.id for c in creds]
        needles = [EMAIL, "v.degroot@school.example.nl", NAME]

        assert len(_personal_rows(uid, needles)) > 5  # the scan sees the data before
        privacy.delete_account(vanessa, "skillspas-demo")
        db.session.expire_all()

        assert _personal_rows(uid, needles) == []
        assert db.session.scalar(select(ShareLink).filter_by(user_id=uid)) is None
        assert db.session.scalar(select(db.func.count(ShareView.id))) == 0
        # what others hold still verifies
        for cred_id in cred_ids:
            cred = db.session.get(Credential, cred_id)
            assert cred.recipient_email is None and cred.recipient_user_id is None
            assert verify_upload(cred.document)["verified"]
        assert db.session.scalar(select(AuditEvent).filter_by(action="account.delete"))
