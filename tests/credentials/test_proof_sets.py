"""Proof sets (W3C Data Integrity): one independent proof per co-issuing organisation.

A co-issued praktijkverklaring carries a proof by the college and one by the
leerbedrijf, each with its own key, each over the same unsecured document (no
``previousProof``: a set, not a chain). The verifier checks every proof and
names each signer.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from badges.credentials import data_integrity as di
from badges.credentials import keys
from badges.credentials.bench import sample_credential
from badges.credentials.verify import ResolvedKey, StaticKeyResolver, verify_credential_dict

COLLEGE = "https://skillspas.test/issuers/roc-x"
BUILDER = "https://skillspas.test/issuers/bouw-y"
CREATED = datetime(2026, 5, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def signed():
    college, builder = keys.generate_ed25519(), keys.generate_ed25519()
    doc = di.sign_proof_set(sample_credential(issuer_id=COLLEGE),
                            [(college, f"{COLLEGE}#key-1"), (builder, f"{BUILDER}#key-1")],
                            created=CREATED)
    return doc, college, builder


def _resolver(college, builder) -> StaticKeyResolver:
    return StaticKeyResolver({
        f"{COLLEGE}#key-1": ResolvedKey(college.public_key(), COLLEGE, confirmed=True),
        f"{BUILDER}#key-1": ResolvedKey(builder.public_key(), BUILDER, confirmed=True)})


def test_each_organisation_signs_the_same_document_independently(signed):
    doc, college, builder = signed
    assert isinstance(doc["proof"], list) and len(doc["proof"]) == 2
    assert [p["verificationMethod"] for p in doc["proof"]] == [f"{COLLEGE}#key-1",
                                                               f"{BUILDER}#key-1"]
    assert all("previousProof" not in p and p["cryptosuite"] == di.RDFC for p in doc["proof"])
    first, second = doc["proof"]
    di.verify_proof(doc, first, college.public_key())
    di.verify_proof(doc, second, builder.public_key())
    # independent: either proof alone still verifies the document
    for proof, key in ((first, college), (second, builder)):
        alone = {**doc, "proof": proof}
        di.verify_proof(alone, proof, key.public_key())
    with pytest.raises(di.ProofError):  # each proof is bound to its own key
        di.verify_proof(doc, second, college.public_key())


def test_an_empty_signer_list_is_refused():
    with pytest.raises(di.ProofError):
        di.sign_proof_set(sample_credential(issuer_id=COLLEGE), [])


def test_verifier_checks_every_proof_and_names_each_signer(signed):
    doc, college, builder = signed
    report = verify_credential_dict(doc, key_resolver=_resolver(college, builder), now=NOW)
    assert report.check("proof").status == "pass"
    assert report.check("issuer_match").status == "pass"
    signers = report.to_dict()["signers"]
    assert [(s["controller"], s["status"]) for s in signers] == [(COLLEGE, "verified"),
                                                                 (BUILDER, "verified")]
    assert [s["role"] for s in signers] == ["issuer", "co-signer"]


def test_a_broken_co_signature_makes_the_credential_invalid(signed):
    doc, college, builder = signed
    forged = {**doc, "proof": [doc["proof"][0], {**doc["proof"][1],
                                                 "proofValue": doc["proof"][0]["proofValue"]}]}
    report = verify_credential_dict(forged, key_resolver=_resolver(college, builder), now=NOW)
    assert report.check("proof").status == "fail"
    assert report.verdict == "invalid"


def test_a_co_signer_whose_key_we_cannot_find_is_named_unchecked(signed):
    doc, college, _builder = signed
    resolver = StaticKeyResolver({
        f"{COLLEGE}#key-1": ResolvedKey(college.public_key(), COLLEGE, confirmed=True)})
    report = verify_credential_dict(doc, key_resolver=resolver, now=NOW)
    assert report.check("proof").status == "pass"
    signers = report.to_dict()["signers"]
    assert [(s["verificationMethod"], s["status"]) for s in signers] == [
        (f"{COLLEGE}#key-1", "verified"), (f"{BUILDER}#key-1", "unchecked")]


def test_a_co_signers_compromised_key_fails_the_key_check(signed):
    doc, college, builder = signed
    resolver = StaticKeyResolver({
        f"{COLLEGE}#key-1": ResolvedKey(college.public_key(), COLLEGE, confirmed=True),
        f"{BUILDER}#key-1": ResolvedKey(builder.public_key(), BUILDER, confirmed=True,
                                        compromised=True)})
    report = verify_credential_dict(doc, key_resolver=resolver, now=NOW)
    assert report.check("key_binding").status == "fail"
    assert "co-signer" in report.check("key_binding").message_en
    assert report.verdict == "invalid"
