"""Importing credentials from elsewhere: verified first, never shown as valid unless valid."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from badges.accounts.models import User
from badges.credentials import baking
from badges.credentials.fetch import NullFetcher
from badges.demo.credentials import library_credential
from badges.kernel.db import db
from badges.kernel.media import images
from badges.passport import importing
from badges.passport import services as passport
from badges.passport.models import ImportedCredential
from badges.verification import services as verification
from tests.interop_data import SAMPLES


@pytest.fixture
def henk(app, demo) -> Iterator[User]:
    with app.test_request_context():
        yield db.session.scalar(db.select(User).filter_by(email="henk@example.nl"))


def _count(user: User) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(ImportedCredential).where(
        ImportedCredential.user_id == user.id))


class TestOb3:
    def test_did_key_credential_is_valid(self, henk):
        row = importing.import_credential(henk, json.dumps(library_credential(henk.email)))
        assert row.verdict == "valid" and row.format == "json-ld"
        assert row.issuer_name == "Bibliotheek Maasland" and row.issuer_id.startswith("did:key:")
        assert row.name == "Klik & Tik: online zoeken" and row.issued_on.year == 2024
        assert passport.imported_status(row.verdict) == "checked"
        key_check = next(c for c in row.report["checks"] if c["id"] == "key_binding")
        assert key_check["status"] == "pass"

    def test_1edtech_sample_is_kept_as_unconfirmed_with_reason(self, henk):
        row = importing.import_credential(henk, (SAMPLES / "simple.json").read_text())
        assert row.verdict == "indeterminate"
        assert passport.imported_status(row.verdict) == "unconfirmed"
        assert passport.STATUS["unconfirmed"][0] == "Niet te bevestigen"
        assert importing.reason(row.report) == ("We konden niet bevestigen dat de sleutel echt van "
                                               "de uitgever is.")

    def test_tampered_credential_is_refused_and_not_stored(self, henk):
        doc = library_credential(henk.email)
        doc["credentialSubject"]["achievement"]["name"] = "Diploma arts"
        with pytest.raises(importing.ImportRefused) as err:
            importing.import_credential(henk, json.dumps(doc))
        assert "ongeldig" in err.value.message
        assert _count(henk) == 0

    def test_sample_with_bad_proof_is_refused(self, henk):
        with pytest.raises(importing.ImportRefused):
            importing.import_credential(henk, (SAMPLES / "simple-err-proof-value.json").read_text())

    def test_jwt_sample(self, henk):
        row = importing.import_credential(henk, (SAMPLES / "simple.jwt").read_text())
        assert row.format == "jwt" and row.verdict != "valid"
        assert row.raw.count(".") == 2

    def test_duplicate_is_detected(self, henk):
        text = json.dumps(library_credential(henk.email))
        first = importing.import_credential(henk, text)
        with pytest.raises(importing.DuplicateImport) as err:
            importing.import_credential(henk, text)
        assert err.value.existing_uuid == first.uuid
        assert _count(henk) == 1

    def test_baked_png(self, henk):
        doc = library_credential(henk.email)
        png = baking.bake_png(images.default_png("Klik & Tik", "#3b3f8c"), doc)
        row = importing.import_credential(henk, png)
        assert row.container == "png" and row.verdict == "valid"
        assert json.loads(row.raw)["id"] == doc["id"]  # the credential, not the image

    def test_baked_sample_png_and_svg(self, henk):
        png = importing.import_credential(henk, (SAMPLES / "simple-jwt.png").read_bytes())
        assert png.container == "png"
        with pytest.raises(importing.DuplicateImport):  # same credential inside
            importing.import_credential(henk, (SAMPLES / "simple-jwt.svg").read_bytes())

    def test_recheck_updates_the_stored_report(self, henk):
        row = importing.import_credential(henk, json.dumps(library_credential(henk.email)))
        before = row.last_checked_at
        importing.recheck(row)
        assert row.verdict == "valid" and row.last_checked_at >= before

    def test_not_a_credential(self, henk):
        with pytest.raises(importing.ImportRefused):
            importing.import_credential(henk, "hallo")


ISSUER, KEY_URL, BADGE_URL = ("https://oldbadges.test/issuer", "https://oldbadges.test/key",
                              "https://oldbadges.test/badge")


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _ob2(key: rsa.RSAPrivateKey) -> tuple[str, dict]:
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    assertion = {
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": "urn:uuid:0b2e7c4a-1111-4c1e-8f00-000000000001",
        "recipient": {"type": "email", "hashed": False, "identity": "henk@example.nl"},
        "badge": BADGE_URL, "issuedOn": "2019-06-01T00:00:00Z",
        "verification": {"type": "SignedBadge", "creator": KEY_URL},
    }
    docs = {
        KEY_URL: {"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
                  "id": KEY_URL, "owner": ISSUER, "publicKeyPem": pem},
        BADGE_URL: {"type": "BadgeClass", "id": BADGE_URL, "name": "Heftruck rijden",
                    "description": "Veilig heftruck rijden", "issuer": ISSUER,
                    "criteria": {"narrative": "Praktijkexamen"},
                    "alignment": [{"targetName": "Heftruck besturen",
                                   "targetUrl": "https://esco.example/heftruck"}]},
        ISSUER: {"type": "Issuer", "id": ISSUER, "name": "Opleider BV", "publicKey": KEY_URL},
    }
    return pyjwt.encode(assertion, key, algorithm="RS256"), docs


class TestOb2:
    def test_signed_assertion_with_reachable_key_is_valid(self, henk, rsa_key, monkeypatch):
        token, docs = _ob2(rsa_key)
        monkeypatch.setattr(verification, "fetcher", lambda: NullFetcher(docs))
        row = importing.import_credential(henk, token)
        assert row.format == "ob2-signed" and row.verdict == "valid"
        assert row.name == "Heftruck rijden" and row.issuer_name == "Opleider BV"

    def test_offline_signed_assertion_is_unconfirmed(self, henk, rsa_key):
        token, _docs = _ob2(rsa_key)
        row = importing.import_credential(henk, token)  # fetching is off by default
        assert row.verdict == "indeterminate"
        assert importing.reason(row.report)

    def test_tampered_ob2_is_refused(self, henk, rsa_key, monkeypatch):
        token, docs = _ob2(rsa_key)
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        _t, other_docs = _ob2(other)
        monkeypatch.setattr(verification, "fetcher", lambda: NullFetcher(
            {**docs, KEY_URL: other_docs[KEY_URL]}))
        with pytest.raises(importing.ImportRefused):
            importing.import_credential(henk, token)
        assert _count(henk) == 0

    def test_hosted_assertion_offline_is_kept_unconfirmed(self, henk, rsa_key):
        _token, docs = _ob2(rsa_key)
        hosted = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                  "id": "https://oldbadges.test/assertions/7",
                  "recipient": {"type": "email", "hashed": False, "identity": "henk@example.nl"},
                  "badge": copy.deepcopy(docs[BADGE_URL]), "issuedOn": "2020-01-01T00:00:00Z",
                  "verification": {"type": "HostedBadge"}}
        row = importing.import_credential(henk, json.dumps(hosted))
        assert row.format == "ob2-hosted" and row.verdict == "indeterminate"


class TestRecipient:
    def test_badge_of_someone_else_is_refused(self, henk):
        doc = library_credential("iemand.anders@example.nl")
        with pytest.raises(importing.ImportRefused, match="ander e-mailadres"):
            importing.import_credential(henk, json.dumps(doc))
        assert _count(henk) == 0

    def test_badge_to_a_confirmed_extra_address_is_accepted(self, henk):
        from badges.accounts.models import EmailAddress
        from badges.kernel.models import utcnow

        db.session.add(EmailAddress(user_id=henk.id, email="henk@werk.example", confirmed_at=utcnow()))
        db.session.commit()
        row = importing.import_credential(henk, json.dumps(library_credential("henk@werk.example")))
        assert row.verdict == "valid"

    def test_unconfirmed_extra_address_does_not_count(self, henk):
        from badges.accounts.models import EmailAddress

        db.session.add(EmailAddress(user_id=henk.id, email="henk@oud.example"))
        db.session.commit()
        with pytest.raises(importing.ImportRefused):
            importing.import_credential(henk, json.dumps(library_credential("henk@oud.example")))
