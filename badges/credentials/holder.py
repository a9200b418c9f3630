"""The holder side of OpenID4VCI: a wallet's key proof, and a credential bound to that holder.

OpenID4VCI 1.0, appendix F.1: the wallet signs a JWT (``typ``
``openid4vci-proof+jwt``) whose ``aud`` is the credential issuer and whose
``nonce`` is one the issuer handed out; its key is named by ``kid`` (a
``did:key`` / ``did:jwk`` DID URL) or given as ``jwk``. What the proof shows
is the holder's DID, which becomes the ``credentialSubject.id`` of the copy
issued to the wallet. Nonce bookkeeping needs storage, so the caller does it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from badges.credentials.keys import KeyFormatError, public_key_from_did_key

PROOF_TYP = "openid4vci-proof+jwt"
PROOF_ALGS = ("EdDSA", "ES256")
MAX_PROOF_AGE = 300  # seconds: a proof is made just before the request
LEEWAY = 60  # clock skew between phone and server
_PUBLIC_JWK_MEMBERS = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y")}


class HolderProofError(ValueError):
    """A key proof we cannot accept; ``code`` is the OpenID4VCI error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Holder:
    id: str  # the DID the credential is bound to
    nonce: str | None
    client_id: str | None  # ``iss`` of the proof: the wallet, when it names itself


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _public_jwk(jwk: Any) -> dict[str, Any]:
    """Only the public members (RFC 7638 order); a private key in a proof is refused."""
    if not isinstance(jwk, dict) or "d" in jwk:
        raise HolderProofError("invalid_proof", "the proof's jwk is not a public key")
    members = _PUBLIC_JWK_MEMBERS.get(jwk.get("kty", ""))
    if members is None or not all(isinstance(jwk.get(m), str) for m in members):
        raise HolderProofError("invalid_proof", "the proof's jwk is not an OKP or EC public key")
    return {m: jwk[m] for m in members}


def did_jwk(jwk: dict[str, Any]) -> str:
    """``did:jwk:…`` of a public JWK (members sorted, no whitespace)."""
    text = json.dumps(_public_jwk(jwk), separators=(",", ":"), sort_keys=True)
    return "did:jwk:" + _b64url(text.encode("utf-8"))


def _jwk_of_did_jwk(did: str) -> dict[str, Any]:
    encoded = did[len("did:jwk:"):].split("#", 1)[0]
    try:
        value = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise HolderProofError("invalid_proof", "the proof's did:jwk does not decode") from exc
    return _public_jwk(value)


def _holder_key(header: dict[str, Any]) -> tuple[str, Any]:
    """(holder DID, verification key) from the proof header's ``jwk`` or ``kid``."""
    jwk, kid = header.get("jwk"), header.get("kid")
    if (jwk is None) == (kid is None):
        raise HolderProofError("invalid_proof", "the proof must name its key by exactly one of kid or jwk")
    try:
        if jwk is not None:
            public = _public_jwk(jwk)
            return did_jwk(public), pyjwt.PyJWK(public).key
        if not isinstance(kid, str):
            raise HolderProofError("invalid_proof", "the proof's kid is not a string")
        if kid.startswith("did:key:"):
            return kid.split("#", 1)[0], public_key_from_did_key(kid)
        if kid.startswith("did:jwk:"):
            public = _jwk_of_did_jwk(kid)
            return did_jwk(public), pyjwt.PyJWK(public).key
    except (KeyFormatError, pyjwt.PyJWKError, pyjwt.InvalidKeyError) as exc:
        raise HolderProofError("invalid_proof", f"the proof's key is not usable: {exc}") from exc
    raise HolderProofError("invalid_proof", "the proof's kid must be a did:key or did:jwk DID URL")


def _fits(key: Any, alg: str) -> bool:
    """EdDSA needs an Ed25519 key, ES256 a P-256 key (no algorithm confusion)."""
    if alg == "EdDSA":
        return isinstance(key, Ed25519PublicKey)
    return isinstance(key, EllipticCurvePublicKey) and isinstance(key.curve, SECP256R1)


def verify_key_proof(token: Any, *, audience: str, now: datetime | None = None) -> Holder:
    """Check a ``jwt`` key proof: type, algorithm, signature, audience and age.

    Raises ``HolderProofError`` (``invalid_proof``). The nonce is returned, not
    checked: whether it is one we issued and still fresh is the caller's to know.
    """
    if not isinstance(token, str) or token.count(".") != 2:
        raise HolderProofError("invalid_proof", "the proof is not a compact JWT")
    try:
        header = pyjwt.get_unverified_header(token)
    except pyjwt.PyJWTError as exc:
        raise HolderProofError("invalid_proof", "the proof's header does not decode") from exc
    if header.get("typ") != PROOF_TYP:
        raise HolderProofError("invalid_proof", f"the proof's typ must be {PROOF_TYP}")
    alg = header.get("alg")
    if alg not in PROOF_ALGS:
        raise HolderProofError("invalid_proof", f"the proof's alg must be one of {', '.join(PROOF_ALGS)}")
    holder_id, key = _holder_key(header)
    if not _fits(key, alg):
        raise HolderProofError("invalid_proof", f"the proof's key is not a key for {alg}")
    try:
        claims = pyjwt.decode(token, key, algorithms=[alg], audience=audience,
                              options={"require": ["aud", "iat"], "verify_exp": True})
    except pyjwt.InvalidAudienceError as exc:
        raise HolderProofError("invalid_proof", "the proof's aud is not this credential issuer") from exc
    except pyjwt.InvalidSignatureError as exc:
        raise HolderProofError("invalid_proof", "the proof's signature does not match its key") from exc
    except (pyjwt.PyJWTError, TypeError, ValueError) as exc:
        raise HolderProofError("invalid_proof", f"the proof is not valid: {exc}") from exc
    moment = (now or datetime.now(UTC)).timestamp()
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or not (moment - MAX_PROOF_AGE - LEEWAY <= iat <= moment + LEEWAY):
        raise HolderProofError("invalid_proof", "the proof's iat is too old or in the future")
    nonce, iss = claims.get("nonce"), claims.get("iss")
    return Holder(id=holder_id, nonce=nonce if isinstance(nonce, str) else None,
                  client_id=iss if isinstance(iss, str) else None)


def bind_to_holder(document: dict[str, Any], holder_id: str) -> dict[str, Any]:
    """An unsigned copy of ``document`` whose subject is the holder's DID.

    Everything else (id, issuer, achievement, dates, ``credentialStatus``)
    stays as issued, so the copy is the same credential and revoking the
    original revokes it too. The embedded proof is dropped: the copy is signed anew.
    """
    copy: dict[str, Any] = json.loads(json.dumps({k: v for k, v in document.items() if k != "proof"}))
    subject = copy.get("credentialSubject")
    if not isinstance(subject, dict):
        raise ValueError("the credential has no single credentialSubject")
    subject["id"] = holder_id
    return copy
