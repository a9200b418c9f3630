"""VC-JWT: Open Badges 3.0 credentials secured as compact JWS (enveloping proof).

OB 3.0 (section 8.2) and VC-JOSE-COSE put the credential itself in the JWT
payload, next to the registered claims ``iss``, ``jti``, ``sub``, ``nbf`` and
``exp``. Older issuers (VCDM 1.1, OB 3.0 drafts) wrap it in a ``vc`` claim, so
verification accepts both shapes while signing produces only the current one.

We sign with EdDSA only (our keys are Ed25519) but verify EdDSA, ES256 and
RS256 because the 1EdTech samples and other platforms use them. ``none`` and
the HMAC algorithms are refused outright: with HS256 an attacker could use a
*public* key as the shared secret and forge any credential (algorithm
confusion).

Dates are deliberately not enforced here: an expired credential still has a
correct signature, and the report must say "expired", not "invalid".
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any, cast

import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from badges.credentials.data_integrity import ProofError

ALLOWED_ALGORITHMS = frozenset({"EdDSA", "ES256", "RS256"})
REGISTERED_CLAIMS = ("iss", "jti", "sub", "nbf", "iat", "exp", "aud", "cnf")
MAX_TOKEN_LENGTH = 2_000_000  # a credential, not a video: matches the JSON input cap
_KEY_TYPES: dict[str, type[Ed25519PublicKey] | type[EllipticCurvePublicKey] | type[RSAPublicKey]] = {
    "EdDSA": Ed25519PublicKey,
    "ES256": EllipticCurvePublicKey,
    "RS256": RSAPublicKey,
}


def _error(code: str, nl: str, en: str) -> ProofError:
    """A ProofError with our own, more specific, nl/en messages."""
    err = ProofError(code)
    err.message_nl, err.message_en = nl, en
    err.args = (en,)
    return err


def _b64url_decode(part: str) -> bytes:
    """Strict base64url without padding (RFC 7515); refuses anything else."""
    if "=" in part or any(c in part for c in "+/ \n\r\t"):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _timestamp(value: Any) -> int | None:
    """Seconds since the epoch for an XML Schema dateTime, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def _issuer_id(doc: dict[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _subject_id(doc: dict[str, Any]) -> str | None:
    subject = doc.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if isinstance(subject, dict) and isinstance(subject.get("id"), str):
        return cast(str, subject["id"])
    return None


def sign_vc_jwt(doc: dict[str, Any], key: Ed25519PrivateKey, kid: str) -> str:
    """Secure ``doc`` as a VC-JWT signed with EdDSA.

    ``kid`` is the verification method URL, so a verifier can dereference the
    issuer's key exactly as it would for a Data Integrity proof. An embedded
    ``proof`` is dropped: a JWT is an enveloping proof and mixing both would
    leave a verifier guessing which one counts.
    """
    payload: dict[str, Any] = {k: v for k, v in doc.items() if k != "proof"}
    claims: dict[str, Any] = {
        "iss": _issuer_id(doc),
        "jti": doc.get("id") if isinstance(doc.get("id"), str) else None,
        "sub": _subject_id(doc),
        "nbf": _timestamp(doc.get("validFrom")),
        "iat": _timestamp(doc.get("validFrom")),
        "exp": _timestamp(doc.get("validUntil")),
    }
    payload.update({k: v for k, v in claims.items() if v is not None})
    return pyjwt.encode(payload, key, algorithm="EdDSA", headers={"kid": kid, "typ": "JWT"})


def decode_vc_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Split a compact JWT into header, payload and credential, without verifying.

    Used for format detection and to find the key (``kid``/``jwk``) before the
    signature can be checked. Raises ProofError (code ``malformed_jwt``) for
    anything that is not a three-part JWS with JSON objects in it.
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise _error("malformed_jwt", "Het JWT is te groot of geen tekst.",
                     "The JWT is too large or not text.")
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise _error("malformed_jwt", "Dit is geen geldig compact JWT (drie delen).",
                     "This is not a valid compact JWT (three parts).")
    try:
        header = json.loads(_b64url_decode(parts[0]))
        payload = json.loads(_b64url_decode(parts[1]))
    except (ValueError, binascii.Error, RecursionError, UnicodeDecodeError) as exc:
        raise _error("malformed_jwt", "De kop of inhoud van het JWT is onleesbaar.",
                     "The JWT header or payload cannot be read.") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise _error("malformed_jwt", "De kop en inhoud van het JWT moeten JSON-objecten zijn.",
                     "The JWT header and payload must be JSON objects.")
    return header, payload, _credential_from_payload(payload)


def _credential_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The credential inside a payload: the ``vc`` claim (VCDM 1.1) or the payload itself."""
    if isinstance(payload.get("vc"), dict):
        credential = dict(payload["vc"])
        # VC-JWT 1.1 lets the registered claims stand in for credential members.
        if "issuer" not in credential and isinstance(payload.get("iss"), str):
            credential["issuer"] = payload["iss"]
        if "id" not in credential and isinstance(payload.get("jti"), str):
            credential["id"] = payload["jti"]
        return credential
    return {k: v for k, v in payload.items() if k not in REGISTERED_CLAIMS}


def public_key_from_jwk(jwk: Any) -> Any:
    """A cryptography public key from a JWK dict (OKP, EC or RSA); ProofError if unusable."""
    if not isinstance(jwk, dict) or "d" in jwk:
        # A private JWK in a header is a leak, never a verification key.
        raise _error("bad_jwk", "De sleutel in het JWT is onbruikbaar.",
                     "The key in the JWT header is unusable.")
    try:
        return pyjwt.PyJWK.from_dict(jwk).key
    except (pyjwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
        raise _error("bad_jwk", "De sleutel in het JWT is onbruikbaar.",
                     "The key in the JWT header is unusable.") from exc


def _check_claims(payload: dict[str, Any], credential: dict[str, Any]) -> None:
    """Registered claims must not contradict the credential they envelope.

    Guards against a token whose ``iss`` names one issuer while the credential
    shown to the user names another.
    """
    pairs = (
        ("iss", _issuer_id(credential)),
        ("jti", credential.get("id")),
        ("sub", _subject_id(credential)),
    )
    for claim, member in pairs:
        if claim in payload and member is not None and payload[claim] != member:
            raise _error(
                "claims_mismatch",
                f"De JWT-claim '{claim}' komt niet overeen met de credential.",
                f"The JWT claim '{claim}' does not match the credential.",
            )


def verify_vc_jwt(token: str, public_key: Any = None) -> dict[str, Any]:
    """Verify a VC-JWT signature and return the credential it carries.

    ``public_key`` is a cryptography public key or a JWK dict. When it is
    None the header's ``jwk`` is used: the signature can then be checked, but
    the key is self-asserted, so the caller must report key binding as
    unconfirmed. Raises ProofError with a code and nl/en messages.
    """
    header, payload, credential = decode_vc_jwt(token)
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
        raise _error(
            "unsupported_alg",
            f"Algoritme {alg!r} wordt niet geaccepteerd (alleen EdDSA, ES256, RS256).",
            f"Algorithm {alg!r} is not accepted (only EdDSA, ES256, RS256).",
        )
    if header.get("crit") or header.get("b64") is False:
        raise _error("unsupported_header", "Het JWT gebruikt niet-ondersteunde kopvelden.",
                     "The JWT uses unsupported critical header parameters.")
    if public_key is None:
        if "jwk" not in header:
            raise _error("no_key", "Er is geen sleutel om de handtekening mee te controleren.",
                         "There is no key to check the signature with.")
        public_key = header["jwk"]
    if isinstance(public_key, dict):
        public_key = public_key_from_jwk(public_key)
    if not isinstance(public_key, _KEY_TYPES[alg]):
        raise _error("key_mismatch",
                     f"De sleutel past niet bij algoritme {alg}.",
                     f"The key does not match algorithm {alg}.")
    try:
        pyjwt.decode(
            token.strip(),
            key=public_key,
            algorithms=[alg],
            options={"verify_signature": True, "verify_exp": False, "verify_nbf": False,
                     "verify_iat": False, "verify_aud": False, "verify_iss": False,
                     "require": []},
        )
    except pyjwt.InvalidSignatureError as exc:
        raise _error("bad_signature", "De handtekening van het JWT klopt niet.",
                     "The JWT signature does not verify.") from exc
    except (pyjwt.PyJWTError, ValueError, TypeError) as exc:
        raise _error("bad_signature", f"Het JWT kon niet worden geverifieerd: {exc}",
                     f"The JWT could not be verified: {exc}") from exc
    _check_claims(payload, credential)
    return credential


def looks_like_jwt(text: str) -> bool:
    """Cheap test for a compact JWS: three base64url segments, header starting '{'."""
    text = text.strip()
    parts = text.split(".")
    if len(parts) != 3 or not parts[0].startswith("eyJ"):
        return False
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return all(set(p) <= allowed for p in parts)
