from __future__ import annotations

import pytest

from badges.credentials import keys


def test_multibase_round_trip_and_prefix():
    priv = keys.generate_ed25519()
    mb = keys.public_key_multibase(priv.public_key())
    assert mb.startswith("z6Mk")
    assert keys.public_key_multibase(keys.public_key_from_multibase(mb)) == mb
    assert keys.private_key_multibase(keys.private_key_from_multibase(
        keys.private_key_multibase(priv))) == keys.private_key_multibase(priv)


def test_w3c_key_pair(w3c_keys):
    priv, pub = w3c_keys
    assert keys.public_key_multibase(priv.public_key()) == keys.public_key_multibase(pub)


@pytest.mark.parametrize("bad", ["", "6Mk", "zzzz", "z" + "1" * 40, 42])
def test_bad_multibase(bad):
    with pytest.raises(keys.KeyFormatError):
        keys.public_key_from_multibase(bad)


def test_encryption_round_trip_rotation_and_tampering():
    priv = keys.generate_ed25519()
    blob = keys.encrypt_private_key(priv, "geheim-1")
    assert blob[0] == keys.BLOB_VERSION
    assert blob != keys.encrypt_private_key(priv, "geheim-1")  # fresh salt and nonce
    same = keys.decrypt_private_key(blob, "geheim-1")
    assert keys.private_key_multibase(same) == keys.private_key_multibase(priv)
    with pytest.raises(keys.KeyDecryptionError):
        keys.decrypt_private_key(blob, "verkeerd")
    for i in range(len(blob)):
        tampered = bytearray(blob)
        tampered[i] ^= 0x01
        with pytest.raises(keys.KeyDecryptionError):
            keys.decrypt_private_key(bytes(tampered), "geheim-1")
    with pytest.raises(keys.KeyDecryptionError):
        keys.decrypt_private_key(blob[:-1], "geheim-1")
    rotated = keys.reencrypt_private_key(blob, "geheim-1", "geheim-2")
    with pytest.raises(keys.KeyDecryptionError):
        keys.decrypt_private_key(rotated, "geheim-1")
    again = keys.decrypt_private_key(rotated, "geheim-2")
    assert keys.private_key_multibase(again) == keys.private_key_multibase(priv)


def test_controller_document_jwk_and_did_key():
    priv = keys.generate_ed25519()
    pub = priv.public_key()
    issuer = "https://skillspas.example.nl/issuers/roc"
    method = keys.multikey_method(issuer + "#key-1", issuer, pub)
    doc = keys.controller_document(issuer, [method], extra={"name": "ROC"})
    assert doc["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    assert doc["assertionMethod"] == [issuer + "#key-1"]
    assert doc["verificationMethod"][0]["publicKeyMultibase"] == keys.public_key_multibase(pub)
    with pytest.raises(ValueError):
        keys.controller_document(issuer, [method], extra={"id": "x"})
    jwk = keys.jwk_from_public(pub, "k1")
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["kid"] == "k1"
    assert keys.jwk_from_public(keys.public_key_from_jwk(jwk), "k1") == jwk
    did = keys.did_key_from_public(pub)
    assert did.startswith("did:key:z6Mk")
    assert keys.did_key_from_public(keys.public_key_from_did_key(did + "#" + did[8:])) == did


def test_controller_document_canonicalises():
    from badges.credentials.canon import canonicalize

    pub = keys.generate_ed25519().public_key()
    issuer = "https://skillspas.example.nl/issuers/roc"
    doc = keys.controller_document(issuer, [keys.multikey_method(issuer + "#key-1", issuer, pub)])
    assert "assertionMethod" in canonicalize(doc)
