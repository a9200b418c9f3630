"""What a verification reads from the database: named up front, read in one query.

``wanted_for`` names our organisations, status lists and credentials a
credential refers to; ``Facts.load`` reads them in one statement; a lookup of
something not named still answers but marks the facts incomplete (so the
answer is never remembered); ``stamp`` is the state an answer rests on.
"""

from __future__ import annotations

import copy
import json

import pytest

from badges.issuing import keystore
from badges.issuing import services as issuing
from badges.issuing.models import CredentialState, SigningKey, StatusList
from badges.kernel import urls
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.organisations.names import name_key
from badges.verification.facts import Facts, KeyFact, SuspensionFact, Wanted, wanted_for
from badges.verification.services import verify_with_facts
from tests._verify_cache_support import sql_log
from tests._verify_support import SAMPLES, issue

SLUG = "maasvallei-zorg-welzijn"  # the college ``ours`` is issued by (platform-verified)
OTHER = "sv-osc-28"


def _lists(credential) -> tuple[StatusList, StatusList]:
    return (db.session.get(StatusList, credential.revocation_list_id),
            db.session.get(StatusList, credential.suspension_list_id))


def _loaded(credential) -> Facts:
    facts = Facts()
    facts.load(wanted_for(credential.document))
    return facts


def _stamp(credential) -> tuple:
    return _loaded(credential).stamp()


class TestWhatACredentialNames:
    def test_our_credential_names_its_issuer_both_its_lists_and_itself(self, ours):
        revocation, suspension = _lists(ours)
        wanted = wanted_for(ours.document)
        assert wanted.orgs == {SLUG}
        assert wanted.lists == {revocation.uuid, suspension.uuid}  # both are in the document
        assert wanted.credentials == {ours.uuid}

    def test_loading_adds_the_suspension_list_from_the_credentials_row(self, ours):
        revocation, suspension = _lists(ours)
        assert revocation.uuid != suspension.uuid
        facts = _loaded(ours)
        assert facts.wanted.lists == {revocation.uuid, suspension.uuid}
        assert facts.suspensions[ours.uuid] == SuspensionFact(suspension.uuid, "suspension",
                                                              ours.suspension_index)

    def test_a_credential_from_elsewhere_names_nothing_of_ours_but_its_issuer_name(self, app):
        # Only the issuer's name is looked up: one of ours by that name would make it an
        # impersonation.
        with app.app_context():
            wanted = wanted_for(json.loads((SAMPLES / "simple.json").read_text()))
        assert wanted == Wanted(names={name_key("Example Corp")})

    def test_only_our_own_urls_of_the_right_kind_count(self, app):
        with app.app_context():
            doc = {
                "issuer": {"id": urls.issuer_id("a") + "/nested"},  # not an issuer URL
                "proof": [{"verificationMethod": urls.verification_method("b", "key-1")},
                          {"verificationMethod": "https://elsewhere.example/issuers/c#key-1"},
                          "not a proof"],
                "credentialStatus": [{"statusListCredential": urls.status_list_url("l1")},
                                     {"statusListCredential": urls.credential_url("x")}],
                "id": urls.status_list_url("not-a-credential"),
            }
            wanted = wanted_for(doc)
        assert wanted == Wanted(orgs={"b"}, lists={"l1"}, credentials=set())


class TestOneQuery:
    def test_load_sends_one_statement_and_reads_everything_named(self, ours):
        revocation, suspension = _lists(ours)
        college = db.session.scalar(db.select(Organisation).filter_by(slug=SLUG))
        keys = list(db.session.scalars(db.select(SigningKey).filter_by(organisation_id=college.id)))
        facts = Facts()
        with sql_log() as log:
            facts.load(wanted_for(ours.document))
        assert len(log.queries) == 1, log.queries
        assert log.writes == []

        org = facts.orgs[SLUG]
        assert (org.name, org.verified, org.brin) == (college.name, True, "25QM")
        assert {kid for (_slug, kid) in facts.keys} == {k.kid for k in keys}
        signer = db.session.get(SigningKey, ours.signing_key_id)
        assert facts.keys[(SLUG, signer.kid)] == KeyFact(signer.public_multibase, False)
        assert facts.lists == {revocation.uuid: revocation.version,
                               suspension.uuid: suspension.version}
        assert facts.local_credentials == {ours.uuid: True}
        assert facts.complete is True

    def test_loading_what_is_loaded_already_sends_nothing(self, ours):
        facts = _loaded(ours)
        with sql_log() as log:
            facts.load(wanted_for(ours.document))
            facts.prepare(ours.document)
        assert log.queries == []

    def test_several_organisations_keys_are_told_apart(self, ours):
        other = issue(OTHER, email="ander@example.nl")
        facts = Facts()
        wanted = wanted_for(ours.document)
        wanted.add(wanted_for(other.document))
        with sql_log() as log:
            facts.load(wanted)
        assert len(log.queries) == 1
        assert set(facts.orgs) == {SLUG, OTHER}
        for cred, slug in ((ours, SLUG), (other, OTHER)):
            signer = db.session.get(SigningKey, cred.signing_key_id)
            assert facts.key(slug, signer.kid) == KeyFact(signer.public_multibase, False)
            assert facts.local_credentials[cred.uuid] is True
        assert facts.complete is True

    def test_things_that_do_not_exist_read_as_absent(self, app, demo):
        with app.app_context():
            facts = Facts()
            facts.load(Wanted(orgs={"no-such-college"}, lists={"no-such-list"},
                              credentials={"no-such-credential"}))
            assert facts.organisation("no-such-college") is None
            assert facts.key("no-such-college", "key-1") is None
            assert facts.list_version("no-such-list") is None
            assert facts.suspension("no-such-credential") is None
            assert facts.is_local_credential("no-such-credential") is False
            assert facts.complete is True  # named, so read: nothing missing


class TestCompleteness:
    def test_a_full_verification_reads_only_what_was_named(self, ours):
        verification = verify_with_facts(json.dumps(ours.document).encode())
        assert verification.report.verdict == "valid"
        assert verification.facts.complete is True
        assert verification.fetched_remotely is False
        assert verification.cacheable is True

    def test_looking_up_an_organisation_not_named_marks_the_facts_incomplete(self, ours):
        facts = _loaded(ours)
        found = facts.organisation(OTHER)
        assert found is not None and found.slug == OTHER  # still answered...
        assert facts.complete is False  # ...but an answer resting on it is not remembered

    @pytest.mark.parametrize("lookup", [
        lambda f: f.key(OTHER, "key-1"),
        lambda f: f.list_version("some-other-list"),
        lambda f: f.suspension("some-other-credential"),
        lambda f: f.is_local_credential("some-other-credential"),
    ])
    def test_any_lookup_outside_the_prefetch_marks_the_facts_incomplete(self, ours, lookup):
        facts = _loaded(ours)
        lookup(facts)
        assert facts.complete is False

    def test_a_verification_on_incomplete_facts_is_not_cacheable(self, ours):
        facts = Facts()
        facts.organisation(OTHER)
        verification = verify_with_facts(ours.document, facts=facts)
        assert verification.report.verdict == "valid"
        assert verification.cacheable is False


class TestStamp:
    def test_unchanged_state_gives_an_equal_stamp(self, ours):
        assert _stamp(ours) == _stamp(ours)

    @pytest.mark.parametrize("state", [CredentialState.REVOKED, CredentialState.SUSPENDED])
    def test_a_status_change_changes_the_stamp(self, ours, state):
        before = _stamp(ours)
        issuing.change_state(ours, state, "test", actor_id=None)
        assert _stamp(ours) != before

    def test_reinstating_changes_the_stamp_again(self, ours):
        issuing.change_state(ours, CredentialState.SUSPENDED, "onderzoek", actor_id=None)
        suspended = _stamp(ours)
        issuing.change_state(ours, CredentialState.ACTIVE, "klaar", actor_id=None)
        assert _stamp(ours) != suspended

    def test_another_credential_on_the_same_list_changes_it_too(self, ours):
        # Bits of one list are one version: the stamp cannot tell whose bit moved,
        # so it must change (an unneeded re-check, never a stale answer).
        neighbour = issue(email="buur@example.nl")
        assert neighbour.revocation_list_id == ours.revocation_list_id
        before = _stamp(ours)
        issuing.change_state(neighbour, CredentialState.REVOKED, "fraude", actor_id=None)
        assert _stamp(ours) != before

    def test_a_compromised_key_changes_the_stamp(self, ours):
        before = _stamp(ours)
        keystore.mark_compromised(db.session.get(SigningKey, ours.signing_key_id))
        after = _loaded(ours)
        assert after.stamp() != before
        signer = db.session.get(SigningKey, ours.signing_key_id)
        assert after.keys[(SLUG, signer.kid)].compromised is True

    def test_a_new_key_changes_the_stamp(self, ours):
        before = _stamp(ours)
        keystore.rotate(ours.organisation)
        assert _stamp(ours) != before

    def test_the_organisations_verified_flag_changes_the_stamp(self, ours):
        college = ours.organisation
        before = _stamp(ours)
        college.verified = False
        db.session.commit()
        assert _stamp(ours) != before
        college.verified = True
        db.session.commit()
        assert _stamp(ours) == before

    def test_what_is_not_named_does_not_change_it(self, ours):
        before = _stamp(ours)
        other = issue(OTHER, email="ander@example.nl")
        issuing.change_state(other, CredentialState.REVOKED, "fraude", actor_id=None)
        assert _stamp(ours) == before

    def test_a_tampered_copy_names_the_same_things(self, ours):
        copy_ = copy.deepcopy(ours.document)
        copy_["credentialSubject"]["achievement"]["name"] += "!"
        assert wanted_for(copy_) == wanted_for(ours.document)
