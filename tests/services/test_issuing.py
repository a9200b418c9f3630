"""Issuing, status changes and verification against this service's own keys and lists."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, inspect

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.credentials import data_integrity
from badges.issuing import keystore
from badges.issuing import services as issuing
from badges.issuing.models import Credential, CredentialState, SigningKey
from badges.kernel import audit
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.kernel.errors import Conflict
from badges.kernel.tokens import hash_secret
from badges.organisations.models import Organisation
from badges.verification.services import verify_upload


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

    def test_new_credentials_carry_revocation_and_suspension_entries(self, college):
        cred = _issue(college)
        revocation, suspension = cred.document["credentialStatus"]
        assert (revocation["statusPurpose"], suspension["statusPurpose"]) == (
            "revocation", "suspension")
        assert revocation["statusListCredential"] != suspension["statusListCredential"]
        assert int(suspension["statusListIndex"]) == cred.suspension_index

    def test_an_older_credential_with_only_its_revocation_entry_still_shows_suspension(
            self, college):
        """Credentials issued before both entries were embedded stay verifiable: our
        verifier adds the suspension entry it knows from the credential's row."""
        cred = _issue(college)
        older = {k: v for k, v in cred.document.items() if k != "proof"}
        older["credentialStatus"] = older["credentialStatus"][0]
        key = keystore.signing_key_for(college)
        cred.document = data_integrity.sign(older, key.private_key, key.verification_method)
        assert verify_upload(cred.document)["verdict"] == "valid"
        issuing.change_state(cred, CredentialState.SUSPENDED, "onderzoek", actor_id=None)
        assert verify_upload(cred.document)["verdict"] == "suspended"

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
        revocation = cred.document["credentialStatus"][0]
        assert revocation["statusPurpose"] == "revocation"
        listed = client.get(revocation["statusListCredential"]).get_json()
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


@contextmanager
def selects() -> Iterator[list[str]]:
    """The SELECT statements sent while the block runs."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _requests(org, emails, period="batch-tests"):
    a = _achievement(org)
    return [issuing.IssueRequest(achievement=a, recipient_email=email,
                                 recipient_name=f"Lerende {n}",
                                 dedup_key=issuing.dedup_key(email, a, period))
            for n, email in enumerate(emails)]


def _in_session(ids) -> list[Credential]:
    return [o for o in db.session.identity_map.values()
            if isinstance(o, Credential) and o.id in ids]


def _count_by_key(keys) -> dict[str, int]:
    return dict(db.session.execute(
        db.select(Credential.dedup_key, db.func.count()).where(Credential.dedup_key.in_(keys))
        .group_by(Credential.dedup_key)).all())


class TestBatches:
    def test_without_objects_each_issued_item_loads_its_credential_when_asked(self, college):
        reqs = _requests(college, ["vanessa@example.nl", "een@example.nl", "twee@example.nl"])
        done = issuing.issue_many(college, reqs, objects=False)
        ids = {item.id for item in done}
        assert len(done) == 3 and len(ids) == 3
        assert _in_session(ids) == []  # no ORM objects were made
        for item, req in zip(done, reqs, strict=True):
            with selects() as sent:
                cred = item.credential
                assert item.credential is cred  # loaded once, then kept
            assert len(sent) == 1
            assert (cred.id, cred.uuid, cred.dedup_key, cred.recipient_email,
                    cred.achievement_id, cred.recipient_user_id) == (
                item.id, item.uuid, req.dedup_key, req.recipient_email, req.achievement.id,
                item.recipient_user_id)
            assert item.achievement is req.achievement
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        assert done[0].recipient_user_id == vanessa.id and done[0].claim_token is None
        assert done[0].credential.claim_token_hash is None
        for item in done[1:]:  # strangers claim by the emailed link, whose hash is stored
            assert item.recipient_user_id is None and item.claim_token
            assert item.credential.claim_token_hash == hash_secret(item.claim_token)

    def test_with_objects_credentials_are_complete_in_the_session_and_verify(self, college):
        reqs = _requests(college, [f"object{n}@example.nl" for n in range(3)])
        done = issuing.add(college, reqs)  # the caller commits
        columns = [attr.key for attr in inspect(Credential).column_attrs]
        with selects() as sent:
            creds = [item.credential for item in done]
            values = [{key: getattr(cred, key) for key in columns} for cred in creds]
        assert sent == []
        for item, cred, row in zip(done, creds, values, strict=True):
            assert inspect(cred).persistent
            assert (row["id"], row["uuid"], row["dedup_key"]) == (item.id, item.uuid, item.dedup_key)
            assert row["state"] is CredentialState.ACTIVE
            assert row["document"]["id"].endswith(item.uuid)
            assert row["issued_at"].tzinfo is not None
        db.session.commit()  # adopted objects are not written a second time
        assert _count_by_key([r.dedup_key for r in reqs]) == {r.dedup_key: 1 for r in reqs}
        for cred in creds:
            report = verify_upload(cred.document)
            assert report["verdict"] == "valid", report

    def test_two_batches_in_one_transaction_issue_a_shared_request_once(self, college):
        a, b, c = _requests(college, ["a@example.nl", "b@example.nl", "c@example.nl"])
        first = issuing.start_batch(college, [a, b])
        second = issuing.start_batch(college, [b, c], taken=first.dedup_keys)
        assert first is not None and second is not None
        assert [row["dedup_key"] for row in second.rows] == [c.dedup_key]
        done = issuing.finish_batch(first) + issuing.finish_batch(second)
        db.session.commit()
        assert len({item.id for item in done}) == 3
        assert [item.credential.uuid for item in done] == [item.uuid for item in done]
        assert sorted(item.dedup_key for item in done) == sorted([a.dedup_key, b.dedup_key,
                                                                 c.dedup_key])
        assert _count_by_key([a.dedup_key, b.dedup_key, c.dedup_key]) == {
            a.dedup_key: 1, b.dedup_key: 1, c.dedup_key: 1}
        for item in done:
            assert verify_upload(item.credential.document)["verdict"] == "valid"

    def test_batch_that_only_repeats_taken_requests_is_nothing(self, college):
        a, b = _requests(college, ["a@example.nl", "b@example.nl"])
        first = issuing.start_batch(college, [a, b])
        assert issuing.start_batch(college, [b, a], taken=first.dedup_keys) is None
        issuing.finish_batch(first)

    def test_unstored_batch_is_invisible_without_taken_and_its_clash_is_a_conflict(self, college):
        a, b, c = _requests(college, ["a@example.nl", "b@example.nl", "c@example.nl"])
        first = issuing.start_batch(college, [a, b])
        second = issuing.start_batch(college, [b, c])  # not told what the first one takes
        assert [row["dedup_key"] for row in second.rows] == [b.dedup_key, c.dedup_key]
        issuing.finish_batch(first)
        with pytest.raises(Conflict):
            issuing.finish_batch(second)
        assert _count_by_key([a.dedup_key, b.dedup_key, c.dedup_key]) == {}  # rolled back

    def test_every_issued_credential_has_one_issue_event(self, college):
        actor = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        reqs = _requests(college, [f"audit{n}@example.nl" for n in range(4)])
        done = issuing.issue_many(college, reqs, actor_id=actor.id, objects=False)
        uuids = [item.uuid for item in done]
        events = db.session.scalars(db.select(AuditEvent).filter(
            AuditEvent.action == "credential.issue", AuditEvent.subject_id.in_(uuids))).all()
        assert sorted(e.subject_id for e in events) == sorted(uuids)
        for e in events:
            assert (e.subject_type, e.organisation_id, e.actor_user_id) == (
                "credential", college.id, actor.id)
            assert e.details == {"achievement": _achievement(college).id}
            assert e.created_at.tzinfo is not None

    def test_record_many_writes_one_event_per_subject(self, college):
        audit.record_many("test.many", ["s1", 2], organisation_id=college.id,
                          subject_type="thing", details=[{"n": 1}, {"n": 2}])
        audit.record_many("test.many.plain", ["s3"])
        audit.record_many("test.many.none", [])
        got = db.session.execute(db.select(
            AuditEvent.action, AuditEvent.subject_id, AuditEvent.subject_type,
            AuditEvent.organisation_id, AuditEvent.details)
            .filter(AuditEvent.action.like("test.many%")).order_by(AuditEvent.id)).all()
        assert [tuple(r) for r in got] == [
            ("test.many", "s1", "thing", college.id, {"n": 1}),
            ("test.many", "2", "thing", college.id, {"n": 2}),
            ("test.many.plain", "s3", "", None, {}),
        ]


class TestPlans:
    def test_batches_plan_their_lookups_afresh_on_postgresql_only(self, college):
        sent: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            sent.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            issuing.add(college, _requests(college, ["plan1@example.nl"]))
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        asked = [s for s in sent if "plan_cache_mode" in s]
        if db.engine.dialect.name == "postgresql":
            # SET LOCAL: the batch's own transaction, not the pooled connection
            assert asked == ["SET LOCAL plan_cache_mode = force_custom_plan"]
            assert db.session.scalar(db.text("SHOW plan_cache_mode")) == "force_custom_plan"
        else:
            assert asked == []
        db.session.rollback()
