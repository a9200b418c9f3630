"""Older credentials still in wallets: VC Data Model 1.1, OB 3.0.0's unversioned context,
legacy ``Ed25519Signature2020`` proofs — and an unknown context answered in plain words.

Digital Bazaar's libraries sign the credentials on Node (tests/node_verifier/sign.mjs)
under the W3C test vectors' fixed key, so nothing here was made by the code under test.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from _interop import SAMPLES, W3C, load_json, read_text
from _node import digital_bazaar_sign, w3c_did_key_method, w3c_key_pair

from badges.credentials import data_integrity as di
from badges.credentials import keys
from badges.credentials.bench import sample_credential
from badges.credentials.canon import canonicalize
from badges.credentials.loader import ED25519_2020_V1, OB_V3P0_UNVERSIONED, VC_V1
from badges.credentials.verify import ResolvedKey, StaticKeyResolver, verify_credential_dict

ISSUER = "https://example.edu/issuers/565049"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
ED_SIG = W3C / "Ed25519Signature2020"


def _public_key():
    return keys.public_key_from_multibase(w3c_key_pair()["publicKeyMultibase"])


def _resolver() -> StaticKeyResolver:
    return StaticKeyResolver({w3c_did_key_method(): ResolvedKey(
        _public_key(), controller=ISSUER, confirmed=True, source="test")})


def _vc11(**extra) -> dict:
    """1EdTech's VC 1.1 / OB 3.0.0 sample, with an achievement and an expiry date."""
    doc = load_json(SAMPLES / "simple-noproof.json")
    doc["@context"] = [VC_V1, OB_V3P0_UNVERSIONED]
    doc["credentialSubject"]["achievement"] = {
        "id": "https://example.edu/achievements/1", "type": ["Achievement"],
        "name": "Keuzedeel Verkoop", "description": "Verkoopgesprekken voeren.",
        "criteria": {"narrative": "Examen behaald."}}
    doc["expirationDate"] = "2030-01-01T00:00:00Z"
    doc.update(extra)
    return doc


# --- Ed25519Signature2020: the W3C vector, byte for byte --------------------------------------

def test_w3c_ed25519_signature_2020_vector():
    signed = load_json(ED_SIG / "signedEdSig.json")
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    assert canonicalize(unsecured) == read_text(ED_SIG / "canonDocEdSig.txt")
    assert canonicalize(load_json(ED_SIG / "proofConfigEdSig.json")) == \
        read_text(ED_SIG / "proofCanonEdSig.txt")
    di.verify_proof(signed, signed["proof"], _public_key())
    signed["credentialSubject"]["alumniOf"] = "Another School"
    with pytest.raises(di.ProofError) as refused:
        di.verify_proof(signed, signed["proof"], _public_key())
    assert refused.value.code == "invalid_signature"


# --- an unknown context: indeterminate, in plain words -----------------------------------------

def test_unknown_context_is_indeterminate_with_a_plain_reason():
    key = keys.generate_ed25519()
    vm = "https://skillspas.test/issuers/x#key-1"
    signed = di.sign(sample_credential(issuer_id="https://skillspas.test/issuers/x"), key, vm)
    signed["@context"] = [*signed["@context"], "https://contexts.example/unknown/v1"]
    report = verify_credential_dict(signed, key_resolver=StaticKeyResolver({vm: ResolvedKey(
        key.public_key(), controller="https://skillspas.test/issuers/x", confirmed=True)}),
        now=NOW)
    proof = report.check("proof")
    assert report.verdict == "indeterminate", report.to_dict()
    assert proof.status == "warning"
    assert proof.message_en == ("The credential uses a context we do not know "
                                "(https://contexts.example/unknown/v1), so its signature cannot"
                                " be checked.")
    assert "context die wij niet kennen" in proof.message_nl
    for text in (proof.message_en, proof.message_nl, report.summary_en):
        assert "jsonld" not in text.lower() and "Dereferencing" not in text


# --- signed by Digital Bazaar on Node -----------------------------------------------------------

@pytest.mark.node
@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "Ed25519Signature2020"])
def test_vc11_ob300_credentials_signed_by_digital_bazaar_are_valid(suite):
    [signed] = digital_bazaar_sign([_vc11()], suite=suite)
    expected_context = ED25519_2020_V1 if suite == "Ed25519Signature2020" \
        else "https://w3id.org/security/data-integrity/v2"
    assert signed["@context"] == [VC_V1, OB_V3P0_UNVERSIONED, expected_context]
    assert signed["proof"]["type"] == ("Ed25519Signature2020" if suite == "Ed25519Signature2020"
                                       else "DataIntegrityProof")
    report = verify_credential_dict(signed, key_resolver=_resolver(), now=NOW)
    assert report.check("proof").status == "pass", report.to_dict()
    assert report.verdict == "valid", report.to_dict()

    altered = copy.deepcopy(signed)
    altered["credentialSubject"]["achievement"]["name"] = "Keuzedeel Inkoop"
    assert verify_credential_dict(altered, key_resolver=_resolver(), now=NOW).verdict \
        == "invalid"


@pytest.mark.node
def test_vc11_dates_are_checked():
    [expired] = digital_bazaar_sign([_vc11(expirationDate="2026-01-01T00:00:00Z")])
    assert verify_credential_dict(expired, key_resolver=_resolver(), now=NOW).verdict \
        == "expired"
    [future] = digital_bazaar_sign([_vc11(issuanceDate="2027-01-01T00:00:00Z")])
    assert verify_credential_dict(future, key_resolver=_resolver(), now=NOW).verdict \
        == "not_yet_valid"


@pytest.mark.node
def test_vc20_credential_with_a_legacy_ed25519_signature_2020_proof_is_valid():
    unsigned = sample_credential(issuer_id=ISSUER)
    unsigned.pop("credentialStatus")
    [signed] = digital_bazaar_sign([unsigned], suite="Ed25519Signature2020")
    report = verify_credential_dict(signed, key_resolver=_resolver(), now=NOW)
    assert report.verdict == "valid", report.to_dict()
