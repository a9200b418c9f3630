"""Multibase base58btc is decoded strictly: ``z`` and the alphabet, nothing else.

The ``base58`` package strips surrounding whitespace before decoding, so a
``proofValue`` with a trailing CR, space or newline decoded to the original
signature and the altered credential verified. Every byte of a proof counts.
"""

from __future__ import annotations

import pytest
from _interop import W3C, load_json

from badges.credentials import data_integrity as di
from badges.credentials import keys

ALTERATIONS = ["{}\r", "{} ", "{}\n", "{}\r\n", "{}\t", "{}\u00a0", "{}0", "{}l"]


@pytest.fixture(scope="module")
def signed(w3c_keys):
    priv, _ = w3c_keys
    return di.sign(load_json(W3C / "unsigned.json"), priv, "did:example:1#k")


@pytest.mark.parametrize("alteration", ALTERATIONS, ids=repr)
def test_proof_value_with_extra_characters_is_refused(signed, w3c_keys, alteration):
    _, pub = w3c_keys
    di.verify_proof(signed, signed["proof"], pub)
    altered = {**signed, "proof": {**signed["proof"],
                                   "proofValue": alteration.format(signed["proof"]["proofValue"])}}
    with pytest.raises(di.ProofError) as refused:
        di.verify_proof(altered, altered["proof"], pub)
    assert refused.value.code == "invalid_signature"  # shown as "altered", not as a glitch


def test_proof_value_with_a_leading_space_is_refused(signed, w3c_keys):
    _, pub = w3c_keys
    altered = {**signed, "proof": {**signed["proof"],
                                   "proofValue": " " + signed["proof"]["proofValue"]}}
    with pytest.raises(di.ProofError):
        di.verify_proof(altered, altered["proof"], pub)


@pytest.mark.parametrize("alteration", ["{}\r", "{} ", "{}\n", " {}", "{}0", "{}l"], ids=repr)
def test_multikey_values_are_decoded_strictly(w3c_keys, alteration):
    _, pub = w3c_keys
    good = keys.public_key_multibase(pub)
    with pytest.raises(keys.KeyFormatError):
        keys.public_key_from_multibase(alteration.format(good))
    secret = load_json(W3C / "keyPair.json")["privateKeyMultibase"]
    with pytest.raises(keys.KeyFormatError):
        keys.private_key_from_multibase(alteration.format(secret))


def test_strict_decoder():
    assert keys.decode_base58btc_multibase("z2NEpo7TZRRrLZSi2U") == b"Hello World!"
    assert keys.decode_base58btc_multibase("z1112") == b"\x00\x00\x00\x01"
    for bad in ["", "z", "2NEpo7TZRRrLZSi2U", "z2NEpo7TZRRrLZSi2U\n", "z 2", "zO0Il", None]:
        with pytest.raises(ValueError):
            keys.decode_base58btc_multibase(bad)
