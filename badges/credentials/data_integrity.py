"""Data Integrity proofs: ``eddsa-rdfc-2022`` (sign and verify), ``eddsa-jcs-2022`` (verify).

Implements W3C *Data Integrity EdDSA Cryptosuites v1.0*: the proof
configuration (the proof without ``proofValue``, carrying the document's
``@context``) and the document without its proof are each canonicalised
(RDFC-1.0, or JCS for ``eddsa-jcs-2022``) and hashed with SHA-256; the
signature covers ``proofHash || documentHash`` and is encoded as base58btc
multibase. The W3C test vectors reproduce byte for byte (see the tests).

Verification failures raise :class:`ProofError` with a stable ``code`` and a
message in Dutch and English, because the verification page shows them to
people, not only to programs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import base58
import orjson
from c14n.Canonicalize import canonicalize as jcs_canonicalize
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .canon import CanonicalizationError, canonicalize
from .keys import decode_base58btc_multibase

PROOF_TYPE = "DataIntegrityProof"
RDFC = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"
SUPPORTED_CRYPTOSUITES = (RDFC, JCS)
#: The legacy proof type many wallets still hold (verified, never made): the same
#: computation as eddsa-rdfc-2022 — RDFC-1.0, SHA-256, Ed25519 — under an older name.
LEGACY_ED25519_2020 = "Ed25519Signature2020"

_MESSAGES: dict[str, tuple[str, str]] = {
    "missing_proof": ("Het credential heeft geen bewijs (proof).",
                      "The credential has no proof."),
    "malformed_proof": ("Het bewijs (proof) is onvolledig of ongeldig opgebouwd.",
                        "The proof is incomplete or malformed."),
    "unsupported_cryptosuite": ("Dit soort digitale handtekening wordt niet ondersteund.",
                                "This kind of digital signature is not supported."),
    "context_mismatch": ("De context van het bewijs past niet bij die van het credential.",
                         "The proof's context does not match the credential's context."),
    "canonicalization_failed": ("Het credential kan niet betrouwbaar worden verwerkt.",
                                "The credential cannot be processed reliably."),
    "invalid_signature": ("De digitale handtekening klopt niet: het credential is gewijzigd "
                          "of niet met deze sleutel ondertekend.",
                          "The digital signature does not match: the credential was altered "
                          "or not signed with this key."),
}


class ProofError(Exception):
    """A proof could not be created or does not verify."""

    def __init__(self, code: str, detail: str = "") -> None:
        nl, en = _MESSAGES.get(code, ("Het bewijs is ongeldig.", "The proof is invalid."))
        self.code = code
        self.detail = detail
        self.message_nl = nl
        self.message_en = en + (f" ({detail})" if detail else "")
        super().__init__(self.message_en)


def format_datetime(moment: datetime) -> str:
    """XML Schema dateTime in UTC, seconds precision, ``Z`` suffix."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _multibase_b58(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def _decode_proof_value(value: Any) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("malformed_proof", "proofValue must be base58btc multibase")
    try:
        raw = decode_base58btc_multibase(value)
    except ValueError as exc:
        # Every character of a proof is signed data: one more (a trailing CR, a space)
        # means the credential is not what was signed.
        raise ProofError("invalid_signature", "proofValue is not exactly base58btc") from exc
    if len(raw) != 64:
        raise ProofError("malformed_proof", "an Ed25519 signature is 64 bytes")
    return raw


def proofs_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's proofs as a list (``proof`` may be an object or a list)."""
    proof = doc.get("proof")
    if proof is None:
        return []
    proofs = proof if isinstance(proof, list) else [proof]
    if not all(isinstance(p, dict) for p in proofs):
        raise ProofError("malformed_proof", "proof must be an object or a list of objects")
    return proofs


#: sha256 of canonical proof configurations by their ``repr``: a batch signs thousands of
#: documents with one configuration, and a verifier sees the same few again and again.
_config_hashes: dict[tuple[str, str, bool], bytes] = {}


def _config_hash(proof_config: dict[str, Any], cryptosuite: str, strict: bool) -> bytes:
    fingerprint = repr(proof_config)  # exact for JSON values
    key = (fingerprint, cryptosuite, strict)
    got = _config_hashes.get(key)
    if got is None:
        canon = (canonicalize(proof_config, strict=strict).encode("utf-8")
                 if cryptosuite == RDFC else jcs_canonicalize(proof_config))
        got = hashlib.sha256(canon).digest()
        if len(fingerprint) <= 4096:  # a hostile proof could be huge: not worth keeping
            if len(_config_hashes) >= 256:
                _config_hashes.clear()
            _config_hashes[key] = got
    return got


def hash_data(document: dict[str, Any], proof_config: dict[str, Any], cryptosuite: str,
              *, strict: bool = False) -> bytes:
    """``sha256(canon(proofConfig)) || sha256(canon(document))`` for the cryptosuite."""
    if cryptosuite not in SUPPORTED_CRYPTOSUITES:
        raise ProofError("unsupported_cryptosuite", str(cryptosuite))
    try:
        config_hash = _config_hash(proof_config, cryptosuite, strict)
        if cryptosuite == RDFC:
            doc_canon = canonicalize(document, strict=strict).encode("utf-8")
        else:
            doc_canon = jcs_canonicalize(document)
    except CanonicalizationError as exc:
        err = ProofError("canonicalization_failed", f"{exc.code}: {exc}")
        err.canon_code = exc.code  # type: ignore[attr-defined]
        err.canon_term = exc.term  # type: ignore[attr-defined]
        raise err from exc
    except (TypeError, ValueError) as exc:  # JCS: non-JSON values
        raise ProofError("canonicalization_failed", str(exc)) from exc
    return config_hash + hashlib.sha256(doc_canon).digest()


def sign(doc: dict[str, Any], key: Ed25519PrivateKey, verification_method: str, *,
         created: datetime | None = None, proof_purpose: str = "assertionMethod") -> dict[str, Any]:
    """Return a copy of ``doc`` with an ``eddsa-rdfc-2022`` proof added.

    Canonicalisation is strict: every term must be defined by the contexts,
    so nothing we issue depends on VC 2.0's ``issuer-dependent`` vocabulary.
    An existing proof is kept (the new one joins a proof set).
    """
    if "@context" not in doc:
        raise ProofError("malformed_proof", "the document has no @context")
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "created": format_datetime(created or datetime.now(UTC)),
        "verificationMethod": verification_method,
        "cryptosuite": RDFC,
        "proofPurpose": proof_purpose,
    }
    config = {"@context": doc["@context"], **proof}
    signature = key.sign(hash_data(unsecured, config, RDFC, strict=True))
    proof["proofValue"] = _multibase_b58(signature)
    secured = _copy_json(doc)
    existing = proofs_of(secured)  # the copy's: the caller's proofs must not be shared
    secured["proof"] = [*existing, proof] if existing else proof
    return secured


def sign_proof_set(doc: dict[str, Any],
                   signers: list[tuple[Ed25519PrivateKey, str]], *,
                   created: datetime | None = None) -> dict[str, Any]:
    """Return a copy of ``doc`` with a proof set: one ``eddsa-rdfc-2022`` proof per signer.

    Each ``(key, verificationMethod)`` signs the same unsecured document on its own
    (W3C Data Integrity *proof sets*: no ``previousProof``, so no proof depends on
    another and a verifier may check them in any order). Co-issuing uses it: the
    college and the leerbedrijf each sign a praktijkverklaring with their own key.
    Proofs already on ``doc`` are kept and stay independent of the new ones.
    """
    if not signers:
        raise ProofError("malformed_proof", "a proof set needs at least one signer")
    secured = doc
    for key, method in signers:
        secured = sign(secured, key, method, created=created)
    return secured


def _copy_json(doc: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of JSON data; orjson is several times faster than ``copy.deepcopy``."""
    try:
        copied: dict[str, Any] = orjson.loads(orjson.dumps(doc))
    except TypeError:  # integers beyond 64 bits
        return cast(dict[str, Any], json.loads(json.dumps(doc)))
    if copied != doc:  # orjson writes NaN and ±Infinity as null: not what was signed
        return cast(dict[str, Any], json.loads(json.dumps(doc)))
    return copied


def _unsecured_for(doc: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """The document as it was when ``proof`` was made (proof chains keep earlier proofs)."""
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    previous = proof.get("previousProof")
    if previous is not None:
        wanted = previous if isinstance(previous, list) else [previous]
        chain = [p for p in proofs_of(doc) if p.get("id") in wanted]
        if len(chain) != len(wanted):
            raise ProofError("malformed_proof", "previousProof not found in the document")
        unsecured["proof"] = chain[0] if len(chain) == 1 else chain
    return unsecured


#: Outcomes of proof checks already made: sha256 of (document, proof, public key) → None
#: (it verifies) or the ProofError's arguments. Checking a proof is a pure function of
#: exactly these, so the answer can be reused: an employer's verifier sees the same
#: credentials again, and every credential of an issuer points at the same status lists.
_outcomes: dict[bytes, tuple[str, str, str | None, str | None] | None] = {}
_OUTCOMES_KEPT = 4096
_UNKNOWN: Any = object()


def verify_proof(doc: dict[str, Any], proof: dict[str, Any], public_key: Ed25519PublicKey) -> None:
    """Check one Data Integrity proof of ``doc``; raises :class:`ProofError`."""
    try:
        key_bytes = public_key.public_bytes_raw()
    except AttributeError:  # not an Ed25519 key: let the check itself refuse it
        _verify_proof(doc, proof, public_key)
        return
    memo = hashlib.sha256(repr((doc, proof)).encode("utf-8", "surrogatepass") + key_bytes).digest()
    known = _outcomes.get(memo, _UNKNOWN)  # one lookup: another thread may clear the memo
    if known is not _UNKNOWN:
        if known is None:
            return
        err = ProofError(known[0], known[1])
        if known[2] is not None:
            err.canon_code = known[2]  # type: ignore[attr-defined]
            err.canon_term = known[3]  # type: ignore[attr-defined]
        raise err
    if len(_outcomes) >= _OUTCOMES_KEPT:
        _outcomes.clear()
    try:
        _verify_proof(doc, proof, public_key)
    except ProofError as exc:
        _outcomes[memo] = (exc.code, exc.detail, getattr(exc, "canon_code", None),
                           getattr(exc, "canon_term", None))
        raise
    _outcomes[memo] = None


def _verify_proof(doc: dict[str, Any], proof: dict[str, Any], public_key: Ed25519PublicKey) -> None:
    if not isinstance(proof, dict):
        raise ProofError("malformed_proof", "proof must be an object")
    suite = _suite_of(proof)
    if not isinstance(proof.get("verificationMethod"), str) or not proof.get("proofPurpose"):
        raise ProofError("malformed_proof", "verificationMethod and proofPurpose are required")
    signature = _decode_proof_value(proof.get("proofValue"))
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = _unsecured_for(doc, proof)
    if "@context" in config:
        # A proof may carry its own @context: it must be a prefix of the document's.
        own = config["@context"] if isinstance(config["@context"], list) else [config["@context"]]
        doc_ctx = doc.get("@context")
        doc_ctx = doc_ctx if isinstance(doc_ctx, list) else [doc_ctx]
        if doc_ctx[: len(own)] != own:
            raise ProofError("context_mismatch")
        unsecured["@context"] = config["@context"]
    elif "@context" in doc:
        config = {"@context": doc["@context"], **config}
    elif suite == RDFC:
        raise ProofError("malformed_proof", "the document has no @context")
    try:
        public_key.verify(signature, hash_data(unsecured, config, suite))
    except InvalidSignature as exc:
        raise ProofError("invalid_signature") from exc


def _suite_of(proof: dict[str, Any]) -> str:
    """The cryptosuite that checks ``proof``; raises for a type or suite we do not support."""
    if proof.get("type") == LEGACY_ED25519_2020:
        return RDFC
    if proof.get("type") != PROOF_TYPE:
        raise ProofError("unsupported_cryptosuite", f"proof type {proof.get('type')!r}")
    suite = proof.get("cryptosuite")
    if suite not in SUPPORTED_CRYPTOSUITES:
        raise ProofError("unsupported_cryptosuite", f"cryptosuite {suite!r}")
    return str(suite)


def verify_all(doc: dict[str, Any],
               key_for: Callable[[dict[str, Any]], Ed25519PublicKey]) -> None:
    """Verify every proof of ``doc`` (``key_for(proof)`` supplies each key)."""
    proofs = proofs_of(doc)
    if not proofs:
        raise ProofError("missing_proof")
    for proof in proofs:
        verify_proof(doc, proof, key_for(proof))
