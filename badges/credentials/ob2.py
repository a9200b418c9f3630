"""Open Badges 2.0: reading and checking older badges learners bring to their passport.

OB 2.0 has two verification models. A *signed* assertion is a compact JWS
(RS256) whose key is a ``CryptographicKey`` document at ``verification.creator``
(its ``publicKeyPem`` and ``owner``). A *hosted* assertion has no signature at
all: it is authentic only if the copy at its own ``id`` URL, on the issuer's
origin, says the same thing. Both therefore need the network to be fully
confirmed; with fetching off (our default) the honest answer is "could not be
checked", and the pipeline reports that as indeterminate instead of valid.

This module holds the OB 2.0 primitives; the checks that use them live in
``verify.checks`` so all verdict logic stays in one place.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlsplit

import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from badges.credentials.fetch import Fetcher, FetchError, fetch_json

from .errors import BilingualError

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


class Ob2Error(BilingualError):
    """An OB 2.0 assertion that cannot be read or verified."""



def is_ob2(doc: Any) -> bool:
    """Heuristic: OB 2.0 context, or the Assertion shape (badge + recipient + verification)."""
    if not isinstance(doc, dict):
        return False
    context = doc.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if any(isinstance(c, str) and c.rstrip("/") == OB2_CONTEXT for c in contexts):
        return True
    return all(k in doc for k in ("badge", "recipient", "verification"))


def verification_type(assertion: dict[str, Any]) -> str:
    """``"signed"`` or ``"hosted"`` (OB 2.0 also spells them SignedBadge/HostedBadge)."""
    verification = assertion.get("verification")
    vtype = verification.get("type") if isinstance(verification, dict) else None
    return "signed" if isinstance(vtype, str) and vtype.lower().startswith("signed") else "hosted"


def _b64url_json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def decode_signed(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, assertion) of a signed OB 2.0 assertion, unverified."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise Ob2Error("malformed_jws", "Dit is geen geldige OB 2.0-handtekening (JWS).",
                       "This is not a valid OB 2.0 signature (JWS).")
    try:
        header, payload = _b64url_json(parts[0]), _b64url_json(parts[1])
    except (ValueError, binascii.Error, RecursionError, UnicodeDecodeError) as exc:
        raise Ob2Error("malformed_jws", "De OB 2.0-handtekening is onleesbaar.",
                       "The OB 2.0 signature cannot be read.") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise Ob2Error("malformed_jws", "De OB 2.0-handtekening bevat geen JSON-object.",
                       "The OB 2.0 signature does not carry a JSON object.")
    return header, payload


def verify_signed(token: str, public_key: str | bytes | RSAPublicKey) -> dict[str, Any]:
    """Check the RS256 signature of a signed assertion; returns the assertion."""
    header, assertion = decode_signed(token)
    if header.get("alg") != "RS256":
        raise Ob2Error("unsupported_alg", "OB 2.0-handtekeningen moeten RS256 gebruiken.",
                       "OB 2.0 signatures must use RS256.")
    try:
        key = public_key if isinstance(public_key, RSAPublicKey) else load_pem_public_key(
            public_key.encode() if isinstance(public_key, str) else public_key)
    except (ValueError, TypeError) as exc:
        raise Ob2Error("bad_key", "De publieke sleutel van de uitgever is onleesbaar.",
                       "The issuer's public key cannot be read.") from exc
    if not isinstance(key, RSAPublicKey):
        raise Ob2Error("bad_key", "De sleutel van de uitgever is geen RSA-sleutel.",
                       "The issuer's key is not an RSA key.")
    try:
        pyjwt.decode(token.strip(), key=key, algorithms=["RS256"],
                     options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                              "verify_aud": False, "verify_iss": False, "require": []})
    except (pyjwt.PyJWTError, ValueError, TypeError) as exc:
        raise Ob2Error("bad_signature", "De handtekening van de badge klopt niet.",
                       "The badge signature does not verify.") from exc
    return assertion


@dataclass
class Ob2Parts:
    """An assertion with its BadgeClass and Issuer, embedded or fetched (None if unknown)."""

    assertion: dict[str, Any]
    badge: dict[str, Any] | None = None
    issuer: dict[str, Any] | None = None
    unresolved: list[str] = field(default_factory=list)


def _resolve(value: Any, fetcher: Fetcher | None, unresolved: list[str]) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and fetcher is not None:
        try:
            doc = fetch_json(fetcher, value)
        except FetchError:
            unresolved.append(value)
            return None
        return doc if isinstance(doc, dict) else None
    if isinstance(value, str):
        unresolved.append(value)
    return None


def resolve_parts(assertion: dict[str, Any], fetcher: Fetcher | None = None) -> Ob2Parts:
    """Find the BadgeClass and Issuer, fetching only when a fetcher is given."""
    parts = Ob2Parts(assertion=assertion)
    parts.badge = _resolve(assertion.get("badge"), fetcher, parts.unresolved)
    if parts.badge is not None:
        parts.issuer = _resolve(parts.badge.get("issuer"), fetcher, parts.unresolved)
    return parts


def issuer_id(parts: Ob2Parts) -> str | None:
    if parts.issuer and isinstance(parts.issuer.get("id"), str):
        return cast(str, parts.issuer["id"])
    value = parts.badge.get("issuer") if parts.badge else None
    return value if isinstance(value, str) else None


@dataclass
class Ob2Key:
    """The signing key for a signed assertion and whether it is bound to the issuer."""

    pem: str | None
    confirmed: bool
    source: str


def find_signing_key(parts: Ob2Parts, *, fetcher: Fetcher | None = None,
                     known_keys: dict[str, str] | None = None) -> Ob2Key:
    """Locate ``verification.creator``'s public key.

    A key from ``known_keys`` (configured by the operator) is trusted. A
    fetched ``CryptographicKey`` counts as bound when its ``owner`` is the
    issuer and it is served from the issuer's origin; otherwise the signature
    can still be checked but the binding stays unconfirmed.
    """
    verification = parts.assertion.get("verification")
    creator = verification.get("creator") if isinstance(verification, dict) else None
    if not isinstance(creator, str):
        return Ob2Key(None, False, "missing")
    if known_keys and creator in known_keys:
        return Ob2Key(known_keys[creator], True, "known")
    if fetcher is None:
        return Ob2Key(None, False, "not_fetched")
    try:
        key_doc = fetch_json(fetcher, creator)
    except FetchError:
        return Ob2Key(None, False, "not_fetched")
    pem = key_doc.get("publicKeyPem") if isinstance(key_doc, dict) else None
    if not isinstance(pem, str):
        return Ob2Key(None, False, "no_pem")
    owner, issuer = key_doc.get("owner"), issuer_id(parts)
    same_origin = issuer is not None and _origin(creator) == _origin(issuer)
    return Ob2Key(pem, bool(issuer and owner == issuer and same_origin), "fetched")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def fetch_hosted(assertion: dict[str, Any], fetcher: Fetcher) -> dict[str, Any]:
    """The authoritative hosted copy of an assertion (raises FetchError / Ob2Error).

    Guards against a doctored local copy: what counts is what the issuer's
    server says at the assertion's own URL.
    """
    assertion_id = assertion.get("id")
    if not isinstance(assertion_id, str):
        raise Ob2Error("no_id", "De badge heeft geen id-URL om te controleren.",
                       "The badge has no id URL to check against.")
    hosted = fetch_json(fetcher, assertion_id)
    if not isinstance(hosted, dict) or hosted.get("id") != assertion_id:
        raise Ob2Error("hosted_mismatch", "De gehoste badge komt niet overeen met deze badge.",
                       "The hosted badge does not match this badge.")
    return hosted


def hosted_origin_ok(parts: Ob2Parts) -> bool | None:
    """The assertion URL must share the issuer's origin (or an allowedOrigins entry)."""
    issuer, assertion_id = issuer_id(parts), parts.assertion.get("id")
    if not isinstance(assertion_id, str) or issuer is None:
        return None
    verification = parts.badge.get("verification") if parts.badge else None
    allowed = verification.get("allowedOrigins") if isinstance(verification, dict) else None
    allowed = [allowed] if isinstance(allowed, str) else allowed or []
    host = urlsplit(assertion_id).netloc.lower()
    return _origin(assertion_id) == _origin(issuer) or host in [a.lower() for a in allowed]


def revocation(parts: Ob2Parts, fetcher: Fetcher | None = None) -> tuple[bool | None, str]:
    """(revoked?, reason). None when an issuer revocation list exists but can't be read."""
    if parts.assertion.get("revoked") is True:
        return True, str(parts.assertion.get("revocationReason") or "")
    list_url = parts.issuer.get("revocationList") if parts.issuer else None
    if not isinstance(list_url, str) or verification_type(parts.assertion) != "signed":
        return False, ""
    if fetcher is None:
        return None, ""
    try:
        doc = fetch_json(fetcher, list_url)
    except FetchError:
        return None, ""
    entries = doc.get("revokedAssertions", []) if isinstance(doc, dict) else []
    for entry in entries if isinstance(entries, list) else []:
        entry_id = entry.get("id") if isinstance(entry, dict) else entry
        if entry_id == parts.assertion.get("id"):
            reason = entry.get("revocationReason", "") if isinstance(entry, dict) else ""
            return True, str(reason)
    return False, ""


def hash_identity(identity: str, salt: str = "", algorithm: str = "sha256") -> str:
    """OB hashed identity: ``sha256$`` + hex(sha256(identity + salt))."""
    digest = hashlib.new(algorithm, (identity + salt).encode("utf-8")).hexdigest()
    return f"{algorithm}${digest}"


def identity_matches(identity: str, hashed: bool, salt: str | None, claimed: str) -> bool:
    """Does ``claimed`` (e.g. an e-mail) match a possibly hashed recipient identity?

    Emails compare case-insensitively: OB implementations hash the lower-case
    address, and people type their address in any case.
    """
    claimed = claimed.strip()
    if not hashed:
        return identity.strip().lower() == claimed.lower()
    algorithm, _, _ = identity.partition("$")
    if algorithm.lower() not in ("sha256", "md5"):
        return False
    candidates = {claimed, claimed.lower()}
    return any(hmac.compare_digest(hash_identity(c, salt or "", algorithm.lower()).lower(),
                                   identity.lower()) for c in candidates)
