"""eddsa-rdfc-2022 and eddsa-jcs-2022 against the W3C and OB 3.0 vectors, byte for byte."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import base58
import pytest
from _interop import OB_VECTOR, SAMPLES, W3C, load_json, read_text
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.credentials import data_integrity as di
from badges.credentials import keys
from badges.credentials.bench import sample_credential
from badges.credentials.canon import canonicalize

SUITES = [("eddsa-rdfc-2022", "DataInt"), ("eddsa-jcs-2022", "JCS")]


@pytest.mark.parametrize(("suite", "tag"), SUITES)
def test_w3c_vectors_byte_for_byte(suite, tag, w3c_keys):
    priv, pub = w3c_keys
    folder = W3C / suite
    unsigned = load_json(W3C / "unsigned.json")
    config = load_json(folder / f"proofConfig{tag}.json")
    if suite == di.RDFC:
        assert canonicalize(unsigned) == read_text(folder / f"canonDoc{tag}.txt")
        assert canonicalize(config) == read_text(folder / f"proofCanon{tag}.txt")
    data = di.hash_data(unsigned, config, suite)
    assert data[:32].hex() == read_text(folder / f"proofHash{tag}.txt").strip()
    assert data[32:].hex() == read_text(folder / f"docHash{tag}.txt").strip()
    assert data.hex() == read_text(folder / f"combinedHash{tag}.txt").strip()
    signature = priv.sign(data)
    assert signature.hex() == read_text(folder / f"sigHex{tag}.txt").strip()
    assert "z" + base58.b58encode(signature).decode() == read_text(
        folder / f"sigBTC58{tag}.txt").strip()
    signed = load_json(folder / f"signed{tag}.json")
    di.verify_proof(signed, signed["proof"], pub)


def test_sign_reproduces_w3c_signed_document(w3c_keys):
    priv, _ = w3c_keys
    expected = load_json(W3C / "eddsa-rdfc-2022" / "signedDataInt.json")
    signed = di.sign(load_json(W3C / "unsigned.json"), priv,
                     expected["proof"]["verificationMethod"],
                     created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC))
    assert signed == expected


def test_ob_impl_guide_vector():
    vector = load_json(OB_VECTOR / "key-and-hashes.json")
    seed = bytes.fromhex(vector["privateKeyHex(seed||pub)"])[:32]
    priv = Ed25519PrivateKey.from_private_bytes(seed)
    pub = priv.public_key()
    assert keys.public_key_multibase(pub) == vector["publicKeyMultibase"]
    signed = load_json(OB_VECTOR / "signed-credential.json")
    proof = signed["proof"]
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    config = {"@context": signed["@context"],
              **{k: v for k, v in proof.items() if k != "proofValue"}}
    assert hashlib.sha256(canonicalize(unsigned).encode()).hexdigest() == vector["documentHashHex"]
    assert hashlib.sha256(canonicalize(config).encode()).hexdigest() == vector["proofHashHex"]
    data = di.hash_data(unsigned, config, di.RDFC)
    assert priv.sign(data).hex() == vector["signatureHex"]
    di.verify_proof(signed, proof, pub)
    again = di.sign(unsigned, priv, proof["verificationMethod"],
                    created=datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC))
    assert again["proof"]["proofValue"] == proof["proofValue"]


def _sample_key(proof):
    return keys.public_key_from_multibase(proof["verificationMethod"].split("#")[-1])


def test_samples_verify_and_broken_one_fails():
    for name in ("simple.json", "simple-multiple-proofs.json"):
        doc = load_json(SAMPLES / name)
        for proof in di.proofs_of(doc):
            if proof.get("cryptosuite") == di.RDFC:
                di.verify_proof(doc, proof, _sample_key(proof))
    doc = load_json(SAMPLES / "simple-err-proof-value.json")
    proof = di.proofs_of(doc)[0]
    with pytest.raises(di.ProofError) as info:
        di.verify_proof(doc, proof, _sample_key(proof))
    assert info.value.code == "invalid_signature"
    assert info.value.message_nl and info.value.message_en


def test_proof_sets_verify_each(w3c_keys):
    priv1, pub1 = w3c_keys
    priv2 = keys.generate_ed25519()
    unsigned = load_json(W3C / "unsigned.json")
    once = di.sign(unsigned, priv1, "did:example:1#k")
    twice = di.sign(once, priv2, "did:example:2#k")
    assert isinstance(twice["proof"], list) and len(twice["proof"]) == 2
    di.verify_proof(twice, twice["proof"][0], pub1)
    di.verify_proof(twice, twice["proof"][1], priv2.public_key())
    by_vm = {"did:example:1#k": pub1, "did:example:2#k": priv2.public_key()}
    di.verify_all(twice, lambda p: by_vm[p["verificationMethod"]])
    with pytest.raises(di.ProofError):
        di.verify_proof(twice, twice["proof"][1], pub1)


def test_w3c_proof_set_vectors():
    pairs = load_json(W3C / "proof-set-chain" / "multiKeyPairs.json")
    pubs = {}
    for pair in pairs.values():
        pub = keys.public_key_from_multibase(pair["publicKeyMultibase"])
        pubs[pair["publicKeyMultibase"]] = pub
    for name in ("signedProofSet2.json", "signedProofChain2.json"):
        doc = load_json(W3C / "proof-set-chain" / name)
        for proof in di.proofs_of(doc):
            key = proof["verificationMethod"].split("#")[-1]
            di.verify_proof(doc, proof, pubs[key])


@pytest.mark.parametrize("change", ["type", "cryptosuite", "proofValue"])
def test_malformed_proofs(change, w3c_keys):
    priv, pub = w3c_keys
    signed = di.sign(load_json(W3C / "unsigned.json"), priv, "did:example:1#k")
    signed["proof"][change] = {"type": "EcdsaSecp256k1Signature2019", "cryptosuite": "ecdsa-rdfc-2019",
                               "proofValue": "uAAAA"}[change]
    with pytest.raises(di.ProofError) as info:
        di.verify_proof(signed, signed["proof"], pub)
    assert info.value.code in ("unsupported_cryptosuite", "malformed_proof")


def test_sign_refuses_undefined_terms(w3c_keys):
    priv, _ = w3c_keys
    doc = sample_credential()
    doc["credentialSubject"]["geheim"] = "niet getekend"
    with pytest.raises(di.ProofError) as info:
        di.sign(doc, priv, "did:example:1#k")
    assert info.value.code == "canonicalization_failed"
