"""Remembered proof outcomes and proof-configuration hashes: a remembered answer is the
answer a fresh check gives, for exactly that document, proof and key; and ``sign`` hands
back a faithful copy of what it signed, never the caller's own objects."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import base58
import pytest

from badges.credentials import data_integrity as di
from badges.credentials.bench import sample_credential
from badges.credentials.data_integrity import ProofError, sign, verify_proof
from badges.credentials.keys import generate_ed25519

VM = "https://skillspas.example.nl/issuers/roc-de-maas#key-1"
CREATED = datetime(2026, 3, 1, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def key():
    return generate_ed25519()


@pytest.fixture(scope="module")
def signed(key) -> dict:
    return sign(sample_credential(number=41), key, VM, created=CREATED)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """An empty outcome memo, and the documents actually checked (not answered from it)."""
    monkeypatch.setattr(di, "_outcomes", {})
    seen: list[dict] = []
    real = di._verify_proof

    def spy(doc, proof, public_key):
        seen.append(doc)
        return real(doc, proof, public_key)

    monkeypatch.setattr(di, "_verify_proof", spy)
    return seen


def _code(doc: dict, public_key) -> str | None:
    try:
        verify_proof(doc, doc["proof"], public_key)
    except ProofError as exc:
        return exc.code
    return None


class TestRememberedOutcomes:
    def test_the_same_document_verifies_twice_and_is_checked_once(
            self, signed, key, checks) -> None:
        verify_proof(signed, signed["proof"], key.public_key())
        verify_proof(copy.deepcopy(signed), copy.deepcopy(signed["proof"]), key.public_key())
        assert len(checks) == 1

    def test_one_changed_letter_fails_right_after_the_original_verified(
            self, signed, key, checks) -> None:
        verify_proof(signed, signed["proof"], key.public_key())
        altered = copy.deepcopy(signed)
        altered["credentialSubject"]["achievement"]["name"] = "Keuzedeel Verkoop in de detailhandeL"
        assert _code(altered, key.public_key()) == "invalid_signature"
        assert len(checks) == 2  # the altered copy was checked, not answered from the memo
        assert _code(signed, key.public_key()) is None

    def test_a_remembered_failure_raises_again_with_the_same_code(
            self, signed, key, checks) -> None:
        altered = copy.deepcopy(signed)
        altered["validFrom"] = "2025-07-02T00:00:00Z"
        with pytest.raises(ProofError) as first:
            verify_proof(altered, altered["proof"], key.public_key())
        with pytest.raises(ProofError) as second:
            verify_proof(altered, altered["proof"], key.public_key())
        assert len(checks) == 1  # the second answer came from the memo ...
        assert second.value is not first.value  # ... as a new exception, not a re-raised one
        assert (second.value.code, second.value.detail, second.value.message_en,
                second.value.message_nl) == (first.value.code, first.value.detail,
                                             first.value.message_en, first.value.message_nl)
        assert second.value.code == "invalid_signature"

    def test_a_remembered_canonicalisation_failure_keeps_its_canon_code(
            self, signed, key, checks) -> None:
        relative = copy.deepcopy(signed)
        relative["credentialSubject"]["achievement"]["id"] = "achievements/k0123"  # relative IRI
        errors = []
        for _ in range(2):
            with pytest.raises(ProofError) as err:
                verify_proof(relative, relative["proof"], key.public_key())
            errors.append(err.value)
        assert len(checks) == 1
        assert [e.code for e in errors] == ["canonicalization_failed"] * 2
        assert [getattr(e, "canon_code", None) for e in errors] == ["undefined_term"] * 2
        assert "achievements/k0123" in errors[0].detail
        assert (errors[1].detail, errors[1].message_en) == (errors[0].detail,
                                                            errors[0].message_en)

    def test_a_signature_error_has_no_canon_code_when_remembered(
            self, signed, key, checks) -> None:
        other = generate_ed25519()
        for _ in range(2):
            with pytest.raises(ProofError) as err:
                verify_proof(signed, signed["proof"], other.public_key())
            assert err.value.code == "invalid_signature"
            assert not hasattr(err.value, "canon_code")
        assert len(checks) == 1

    def test_another_key_for_the_same_document_fails_either_way_round(
            self, signed, key, checks) -> None:
        other = generate_ed25519()
        verify_proof(signed, signed["proof"], key.public_key())
        assert _code(signed, other.public_key()) == "invalid_signature"
        assert _code(signed, key.public_key()) is None
        di._outcomes.clear()
        assert _code(signed, other.public_key()) == "invalid_signature"
        assert _code(signed, key.public_key()) is None

    def test_a_tampered_proof_value_fails(self, signed, key, checks) -> None:
        verify_proof(signed, signed["proof"], key.public_key())
        raw = bytearray(base58.b58decode(signed["proof"]["proofValue"][1:]))
        raw[10] ^= 0x01
        tampered = copy.deepcopy(signed)
        tampered["proof"]["proofValue"] = "z" + base58.b58encode(bytes(raw)).decode()
        assert _code(tampered, key.public_key()) == "invalid_signature"
        assert _code(tampered, key.public_key()) == "invalid_signature"
        truncated = copy.deepcopy(signed)
        truncated["proof"]["proofValue"] = signed["proof"]["proofValue"][:-3]
        assert _code(truncated, key.public_key()) == "malformed_proof"
        assert _code(signed, key.public_key()) is None

    def test_the_proof_is_part_of_what_is_remembered(self, signed, key, checks) -> None:
        verify_proof(signed, signed["proof"], key.public_key())
        other_purpose = copy.deepcopy(signed["proof"])
        other_purpose["proofPurpose"] = "authentication"  # signed over: the hash changes
        with pytest.raises(ProofError) as err:
            verify_proof(signed, other_purpose, key.public_key())
        assert err.value.code == "invalid_signature"
        assert len(checks) == 2


class TestConfigurationHashes:
    @pytest.fixture
    def configs(self, monkeypatch: pytest.MonkeyPatch) -> list[dict]:
        """An empty hash cache, and the proof configurations actually canonicalised."""
        monkeypatch.setattr(di, "_config_hashes", {})
        seen: list[dict] = []
        real = di.canonicalize

        def spy(doc, **kw):
            if "cryptosuite" in doc:
                seen.append(doc)
            return real(doc, **kw)

        monkeypatch.setattr(di, "canonicalize", spy)
        return seen

    def test_one_configuration_signs_many_documents_that_all_verify(self, key, configs) -> None:
        docs = [sample_credential(number=n) for n in (1, 2, 3)]
        out = [sign(d, key, VM, created=CREATED) for d in docs]
        assert len(configs) == 1  # canonicalised once, then remembered
        for doc in out:
            verify_proof(doc, doc["proof"], key.public_key())
        again = sign(docs[0], key, VM, created=CREATED)
        assert again == out[0]  # Ed25519 is deterministic: the same hash, the same signature

    def test_a_different_configuration_is_hashed_anew(self, key, configs) -> None:
        doc = sample_credential(number=1)
        first = sign(doc, key, VM, created=CREATED)
        later = sign(doc, key, VM, created=datetime(2026, 3, 2, tzinfo=UTC))
        other_method = sign(doc, key, VM.replace("key-1", "key-2"), created=CREATED)
        assert len(configs) == 3
        values = {d["proof"]["proofValue"] for d in (first, later, other_method)}
        assert len(values) == 3
        for d in (first, later, other_method):
            verify_proof(d, d["proof"], key.public_key())


class TestSignedCopy:
    def test_an_integer_beyond_64_bits_is_signed_and_kept_exactly(self, key) -> None:
        big = 2**65 + 1
        doc = sample_credential()
        doc["credentialSubject"]["achievement"]["creditsAvailable"] = big
        out = sign(doc, key, VM, created=CREATED)
        kept = out["credentialSubject"]["achievement"]["creditsAvailable"]
        assert kept == big and type(kept) is int
        verify_proof(out, out["proof"], key.public_key())
        assert doc["credentialSubject"]["achievement"]["creditsAvailable"] == big
        assert "proof" not in doc

    def test_the_signed_copy_does_not_alias_the_input(self, key) -> None:
        doc = sample_credential()
        before = copy.deepcopy(doc)
        out = sign(doc, key, VM, created=CREATED)
        out["credentialSubject"]["achievement"]["name"] = "changed"
        out["issuer"]["otherIdentifier"][0]["identifier"] = "99XX"
        out["evidence"].append({"narrative": "more"})
        assert doc == before

    def test_the_big_integer_copy_does_not_alias_the_input_either(self, key) -> None:
        doc = sample_credential()
        doc["credentialSubject"]["achievement"]["creditsAvailable"] = 2**70
        before = copy.deepcopy(doc)
        out = sign(doc, key, VM, created=CREATED)
        out["credentialSubject"]["achievement"]["alignment"][0]["targetCode"] = "changed"
        assert doc == before

    def test_a_second_proof_does_not_alias_the_first_one(self, key) -> None:
        once = sign(sample_credential(), key, VM, created=CREATED)
        before = copy.deepcopy(once)
        second_vm = VM.replace("key-1", "key-2")
        twice = sign(once, key, second_vm, created=CREATED)
        assert [p["verificationMethod"] for p in twice["proof"]] == [VM, second_vm]
        for proof in twice["proof"]:
            verify_proof(twice, proof, key.public_key())
        twice["proof"][0]["proofValue"] = "zchanged"
        assert once == before

    @pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
    def test_a_value_orjson_cannot_write_is_copied_faithfully(self, key, value) -> None:
        # Not JSON, yet canonicalisation accepts it (as "NAN"/"INF"): whatever was
        # signed must be what comes back, or the signature cannot verify.
        doc = sample_credential()
        doc["credentialSubject"]["achievement"]["creditsAvailable"] = value
        out = sign(doc, key, VM, created=CREATED)
        kept = out["credentialSubject"]["achievement"]["creditsAvailable"]
        assert isinstance(kept, float) and repr(kept) == repr(value)
        verify_proof(out, out["proof"], key.public_key())
