"""Remembered answers: kept only while the facts and dates they rest on hold.

``AnswerCache`` is exercised directly (with an explicit ``now``) and through
``verify_outcome.verify``; the clock of a whole verification is moved by
replacing ``datetime`` in the two modules that read it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from badges.issuing import keystore
from badges.issuing import services as issuing
from badges.issuing.models import CredentialState, SigningKey, StatusList
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.verification import outcome as verify_outcome
from badges.verification import services as verification
from badges.verification.outcome import AnswerCache, answers
from badges.verification.services import verify_with_facts
from tests._verify_cache_support import HostedBadge, count_verifications, frozen_clock, sql_log
from tests._verify_support import SAMPLES, revoke


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list:
    """The verifications actually made (a remembered answer makes none)."""
    return count_verifications(monkeypatch)


def _bytes(credential) -> bytes:
    return json.dumps(credential.document).encode()


def _sample() -> bytes:
    return (SAMPLES / "simple.json").read_bytes()


class TestAnswerCache:
    def test_an_answer_is_kept_while_its_facts_are_unchanged(self, ours):
        cache, now = AnswerCache(), datetime.now(UTC)
        checked = verify_with_facts(_bytes(ours))
        outcome = verify_outcome.verify(_bytes(ours))
        cache.put(("k",), outcome, checked)
        with sql_log() as log:
            assert cache.get(("k",), now) is outcome
        assert len(log.queries) == 1  # the facts, read again
        assert cache.get(("other",), now) is None

    def test_a_revocation_drops_the_answer(self, ours):
        cache, now = AnswerCache(), datetime.now(UTC)
        cache.put(("k",), verify_outcome.verify(_bytes(ours)), verify_with_facts(_bytes(ours)))
        revoke(ours)
        assert cache.get(("k",), now) is None
        assert ("k",) not in cache._answers

    def test_an_answer_resting_on_a_remote_document_is_not_kept(self, app, monkeypatch):
        hosted = HostedBadge()
        monkeypatch.setattr(verification, "fetcher", hosted.fetcher)
        with app.app_context():
            checked = verify_with_facts(hosted.local_copy)
            assert checked.report.verdict == "valid"
            assert checked.fetched_remotely is True and checked.cacheable is False
            cache = AnswerCache()
            cache.put(("k",), object(), checked)  # type: ignore[arg-type]
            assert cache.get(("k",), datetime.now(UTC)) is None

    def test_a_credential_from_elsewhere_is_kept_reading_only_whether_its_name_is_ours(self, app):
        # One query, no more: has an organisation here taken the issuer's name since
        # (an impersonation must never be answered from memory as "unconfirmed")?
        with app.app_context():
            checked = verify_with_facts(_sample())
            assert (checked.report.verdict, checked.cacheable) == ("indeterminate", True)
            cache, marker = AnswerCache(), object()
            cache.put(("k",), marker, checked)  # type: ignore[arg-type]
            with sql_log() as log:
                assert cache.get(("k",), datetime.now(UTC)) is marker
            assert len(log.queries) == 1 and "name_key" in log.queries[0]

    def test_the_least_recently_used_answer_goes_first(self, app):
        with app.app_context():
            checked, now = verify_with_facts(_sample()), datetime.now(UTC)
            cache = AnswerCache(size=2)
            first, second, third = object(), object(), object()
            cache.put(("1",), first, checked)  # type: ignore[arg-type]
            cache.put(("2",), second, checked)  # type: ignore[arg-type]
            assert cache.get(("1",), now) is first  # "1" is now the most recent
            cache.put(("3",), third, checked)  # type: ignore[arg-type]
            assert cache.get(("2",), now) is None
            assert cache.get(("1",), now) is first and cache.get(("3",), now) is third


class TestDates:
    def test_an_answer_is_not_reused_once_valid_until_has_come(self, make_credential):
        until = (utcnow() + timedelta(hours=1)).replace(microsecond=0)
        cred = make_credential(valid_until=until)
        checked = verify_with_facts(_bytes(cred))
        assert checked.report.verdict == "valid" and checked.cacheable
        cache, marker = AnswerCache(), object()
        cache.put(("k",), marker, checked)  # type: ignore[arg-type]
        assert cache.get(("k",), until - timedelta(seconds=1)) is marker
        assert cache.get(("k",), until) is None  # expired at that very moment
        assert cache.get(("k",), until - timedelta(seconds=1)) is None  # dropped, not hidden

    def test_the_same_input_checked_after_valid_until_is_expired(self, make_credential, runs,
                                                                 monkeypatch):
        until = (utcnow() + timedelta(hours=1)).replace(microsecond=0)
        body = _bytes(make_credential(valid_until=until))
        assert verify_outcome.verify(body).kind == "valid"
        frozen_clock(monkeypatch, until - timedelta(minutes=1))
        assert verify_outcome.verify(body).kind == "valid"
        assert len(runs) == 1  # still remembered a minute before
        frozen_clock(monkeypatch, until + timedelta(minutes=1))
        late = verify_outcome.verify(body)
        assert (late.kind, late.verdict) == ("expired", "expired")
        assert len(runs) == 2

    def test_a_credential_not_yet_valid_becomes_valid_when_its_day_comes(self, make_credential,
                                                                         runs, monkeypatch):
        start = (utcnow() + timedelta(days=2)).replace(microsecond=0)
        body = _bytes(make_credential(valid_from=start))
        assert verify_outcome.verify(body).kind == "not_yet_valid"
        assert verify_outcome.verify(body).kind == "not_yet_valid"
        assert len(runs) == 1
        frozen_clock(monkeypatch, start)
        assert verify_outcome.verify(body).kind == "valid"
        assert len(runs) == 2


class TestOutcome:
    def test_a_remembered_answer_is_the_same_answer(self, ours, runs):
        first = verify_outcome.verify(_bytes(ours), source="file")
        again = verify_outcome.verify(_bytes(ours), source="text")
        assert len(runs) == 1
        assert again.as_api() == first.as_api()
        assert again.api_json() is first.api_json()  # made once, then shared
        assert json.loads(first.api_json()) == first.as_api()
        assert again.source == "text" and again.checked_at >= first.checked_at
        assert again.local_uuid == first.local_uuid == ours.uuid

    def test_an_answer_resting_on_a_remote_document_sees_that_document_change(
            self, app, monkeypatch, runs):
        hosted = HostedBadge()
        monkeypatch.setattr(verification, "fetcher", hosted.fetcher)
        with app.app_context():
            # valid, signed by an issuer that is not on this platform
            assert verify_outcome.verify(hosted.local_copy).kind == "signed_unconfirmed"
            hosted.revoke()  # the issuer's server now says so
            assert verify_outcome.verify(hosted.local_copy).kind == "revoked"
        assert len(runs) == 2
        assert all(hosted.url in f.calls for f in hosted.fetchers)

    def test_any_status_change_is_seen_by_the_next_check(self, ours, runs):
        body = _bytes(ours)
        assert verify_outcome.verify(body).kind == "valid"
        issuing.change_state(ours, CredentialState.SUSPENDED, "onderzoek", actor_id=None)
        assert verify_outcome.verify(body).kind == "suspended"
        issuing.change_state(ours, CredentialState.ACTIVE, "klaar", actor_id=None)
        assert verify_outcome.verify(body).kind == "valid"
        revoke(ours)
        assert verify_outcome.verify(body).kind == "revoked"
        assert verify_outcome.verify(body).kind == "revoked"
        assert len(runs) == 4  # the last one remembered


class TestVerificationDoesNotWrite:
    def test_a_list_changed_since_it_was_published_is_not_stored_by_verifying(self, ours,
                                                                               client):
        row = db.session.get(StatusList, ours.revocation_list_id)
        path = ours.document["credentialStatus"][0]["statusListCredential"].replace(
            "http://localhost", "")
        assert client.get(path).status_code == 200  # published: signed and stored
        db.session.refresh(row)
        published = row.signed_version
        assert published == row.version and row.signed_document is not None
        revoke(ours)
        db.session.refresh(row)
        assert row.version > published
        with sql_log() as log:
            answer = client.post("/api/v1/verify", data=_bytes(ours),
                                 content_type="application/json").get_json()
        assert answer["status"] == "revoked"
        assert log.writes == []
        db.session.refresh(row)
        assert row.signed_version == published  # not re-signed into the row
        listed = client.get(path).get_json()
        db.session.refresh(row)
        assert row.signed_version == row.version  # the published list is
        assert row.signed_document == listed

    def test_an_issuer_without_a_usable_key_gets_no_new_key_from_a_verifier(self, ours):
        keystore.mark_compromised(db.session.get(SigningKey, ours.signing_key_id))
        keys = db.session.scalar(db.select(db.func.count(SigningKey.id)))
        with sql_log() as log:
            outcome = verify_outcome.verify(_bytes(ours))
        assert outcome.kind == "compromised_key"
        assert log.writes == []
        assert db.session.scalar(db.select(db.func.count(SigningKey.id))) == keys

    def test_credentials_of_an_older_key_still_verify_without_writing(self, ours, client):
        college = ours.organisation
        keystore.rotate(college)  # ours was signed by the key before this one
        keystore.mark_compromised(keystore.current_key_row(college))
        with sql_log() as log:
            outcome = verify_outcome.verify(_bytes(ours))
        assert outcome.kind == "valid"
        assert log.writes == []
        # Publishing the list is a writer's job: it signs with a fresh, usable key.
        path = ours.document["credentialStatus"][0]["statusListCredential"].replace(
            "http://localhost", "")
        listed = client.get(path).get_json()
        method = listed["proof"]["verificationMethod"]
        compromised = db.session.scalars(db.select(SigningKey.kid).where(
            SigningKey.organisation_id == college.id, SigningKey.compromised_at.is_not(None)))
        assert method.rsplit("#", 1)[1] not in set(compromised)
        assert keystore.current_key_row(college) is not None


def test_clear_empties_the_apps_cache(ours):
    verify_outcome.verify(_bytes(ours))
    assert answers()._answers
    answers().clear()
    assert not answers()._answers
