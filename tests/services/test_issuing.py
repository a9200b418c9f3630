"""Issuing, status changes and verification against this service's own keys and lists."""

from __future__ import annotations

import copy

import pytest

from badges.extensions import db
from badges.models import Achievement, CredentialState, Organisation, SigningKey
from badges.services import issuing, keystore
from badges.services.verification import verify_upload


@pytest.fixture
def college(app, demo):
    with app.app_context():
        yield db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))


def _achievement(org, name="Basiszorg"):
    return db.session.scalar(db.select(Achievement).filter_by(organisation_id=org.id, name=name))


def _issue(org, email="nieuw@example.nl", **kw):
    req = issuing.IssueRequest(achievement=_achievement(org), recipient_email=email,
                               recipient_name="Nieuwe Lerende", **kw)
    return issuing.issue(org, req).credential


class TestIssue:
    def test_issued_credential_verifies_as_valid(self, college):
        cred = _issue(college, result={"value": "goed"},
                      evidence=[{"url": "https://portfolio.example/1", "name": "Portfolio"}])
        report = verify_upload(cred.document)
        assert report["verdict"] == "valid", report
        assert report["verified"] is True
        assert "nieuw@example.nl" not in str(cred.document)

    def test_recipient_email_check(self, college):
        cred = _issue(college)
        assert verify_upload(cred.document, recipient_email="Nieuw@Example.nl")["verified"]
        assert not verify_upload(cred.document, recipient_email="ander@example.nl")["verified"]

    def test_known_learner_gets_it_directly_others_by_claim_link(self, college):
        vanessa = _issue(college, email="vanessa@example.nl")
        assert vanessa.recipient_user_id is not None and vanessa.claim_token_hash is None
        other = _issue(college, email="onbekend@example.nl")
        assert other.recipient_user_id is None and other.claim_token_hash

    def test_dedup_key_issues_nothing_twice(self, college):
        a = _achievement(college)
        key = issuing.dedup_key("x@example.nl", a, "2026-P1")
        req = issuing.IssueRequest(achievement=a, recipient_email="x@example.nl", dedup_key=key)
        assert len(issuing.issue_many(college, [req, req])) == 1
        assert issuing.issue_many(college, [req]) == []

    def test_status_indexes_are_unique(self, college):
        reqs = [issuing.IssueRequest(achievement=_achievement(college),
                                     recipient_email=f"l{i}@example.nl") for i in range(50)]
        done = issuing.issue_many(college, reqs)
        indexes = {(d.credential.revocation_list_id, d.credential.revocation_index) for d in done}
        assert len(indexes) == 50

    def test_refuses_achievement_of_another_organisation(self, college):
        other = db.session.scalar(db.select(Organisation).filter_by(slug="sv-osc-28"))
        with pytest.raises(Exception, match="hoort niet bij"):
            issuing.issue(other, issuing.IssueRequest(achievement=_achievement(college),
                                                      recipient_email="a@example.nl"))


class TestStatus:
    @pytest.mark.parametrize("state,verdict", [
        (CredentialState.REVOKED, "revoked"),
        (CredentialState.SUSPENDED, "suspended"),
    ])
    def test_state_change_shows_in_verification(self, college, state, verdict):
        cred = _issue(college)
        issuing.change_state(cred, state, "test", actor_id=None)
        assert verify_upload(cred.document)["verdict"] == verdict

    def test_reinstated_credential_is_valid_again(self, college):
        cred = _issue(college)
        issuing.change_state(cred, CredentialState.SUSPENDED, "onderzoek", actor_id=None)
        issuing.change_state(cred, CredentialState.ACTIVE, "klaar", actor_id=None)
        assert verify_upload(cred.document)["verdict"] == "valid"

    def test_revoked_stays_revoked(self, college):
        cred = _issue(college)
        issuing.change_state(cred, CredentialState.REVOKED, "fraude", actor_id=None)
        with pytest.raises(Exception, match="ingetrokken"):
            issuing.change_state(cred, CredentialState.ACTIVE, "oeps", actor_id=None)


class TestKeys:
    def test_tampered_copy_is_invalid(self, college):
        doc = copy.deepcopy(_issue(college).document)
        doc["credentialSubject"]["achievement"]["name"] = "Basiszorh"
        assert verify_upload(doc)["verdict"] == "invalid"

    def test_rotation_keeps_old_credentials_valid(self, college):
        old = _issue(college)
        keystore.rotate(college)
        new = _issue(college, email="tweede@example.nl")
        assert old.document["proof"]["verificationMethod"] != new.document["proof"]["verificationMethod"]
        assert verify_upload(old.document)["verdict"] == "valid"
        assert verify_upload(new.document)["verdict"] == "valid"

    def test_compromised_key_invalidates_its_credentials(self, college):
        cred = _issue(college)
        row = db.session.get(SigningKey, cred.signing_key_id)
        keystore.mark_compromised(row)
        assert verify_upload(cred.document)["verified"] is False
        assert verify_upload(_issue(college, email="later@example.nl").document)["verified"]

    def test_private_key_is_encrypted_at_rest(self, college):
        _issue(college)
        row = keystore.current_key_row(college)
        seed = keystore.decrypt(row).private_bytes_raw()
        assert seed not in row.private_encrypted


class TestPublishedDocuments:
    def test_issuer_id_dereferences_to_controller_document(self, college, client):
        cred = _issue(college)
        vm = cred.document["proof"]["verificationMethod"]
        issuer_url = cred.document["issuer"]["id"].replace("http://localhost", "")
        doc = client.get(issuer_url, headers={"Accept": "application/ld+json"}).get_json()
        assert vm in doc["assertionMethod"]
        assert doc["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")
        html = client.get(issuer_url, headers={"Accept": "text/html"})
        assert html.mimetype == "text/html"

    def test_status_list_is_signed_and_reflects_revocation(self, college, client):
        cred = _issue(college)
        issuing.change_state(cred, CredentialState.REVOKED, "x", actor_id=None)
        url = cred.document["credentialStatus"]["statusListCredential"].replace("http://localhost", "")
        listed = client.get(url).get_json()
        assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert listed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"

    def test_credential_url_returns_signed_document(self, college, client):
        cred = _issue(college)
        got = client.get(f"/credentials/{cred.uuid}", headers={"Accept": "application/json"})
        assert got.get_json() == cred.document

    def test_jwks(self, college, client):
        _issue(college)
        keys = client.get("/issuers/maasvallei-zorg-welzijn/jwks.json").get_json()["keys"]
        assert keys[0]["crv"] == "Ed25519"
