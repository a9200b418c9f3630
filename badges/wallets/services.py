"""OpenID4VCI 1.0 issuance, pre-authorized code flow: offer, token, nonce, credential.

The learner makes an offer on a credential's page; the wallet scans it, sends
the pre-authorized code with the transaction code shown on the screen and gets
an access token; with it and a key proof it gets a copy of the credential bound
to its key (``credentialSubject.id``), signed now by the issuer with the same
status entry. The original stays in the passport unchanged.

Refusals are ``OAuthError`` with the error code the specification defines;
the API turns them into its JSON error answers.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _

from badges.accounts.models import User
from badges.credentials import data_integrity
from badges.credentials.holder import HolderProofError, bind_to_holder, verify_key_proof
from badges.credentials.jwt import sign_vc_jwt
from badges.issuing import keystore
from badges.issuing.models import Credential, CredentialState
from badges.kernel import audit, urls
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret
from badges.wallets.models import WalletDelivery, WalletNonce, WalletOffer

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER_LIFETIME = timedelta(minutes=10)
TOKEN_LIFETIME = timedelta(minutes=5)
NONCE_LIFETIME = timedelta(minutes=5)
TX_CODE_LENGTH = 6
MAX_TX_TRIES = 5  # then the offer is spent: six digits must not be guessable
OB_CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
OB_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
# configuration id → format; the offer names both, the wallet picks one
CONFIGURATIONS = {"OpenBadgeCredential_ldp_vc": "ldp_vc",
                  "OpenBadgeCredential_jwt_vc_json": "jwt_vc_json"}


class OAuthError(Exception):
    """A refusal with an OAuth 2.0 / OpenID4VCI error code (RFC 6749 5.2, OpenID4VCI 8.3.1)."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


# --- the public metadata -----------------------------------------------------------------


def issuer_identifier() -> str:
    return urls.base_url()


def _display(name_nl: str, name_en: str) -> list[dict[str, str]]:
    return [{"name": name_nl, "locale": "nl-NL"}, {"name": name_en, "locale": "en-US"}]


def issuer_metadata() -> dict[str, Any]:
    """Credential issuer metadata (OpenID4VCI 1.0 section 12.2)."""
    base = issuer_identifier()
    common = {
        "cryptographic_binding_methods_supported": ["did:key", "did:jwk", "jwk"],
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["EdDSA", "ES256"]}},
        "credential_metadata": {"display": _display("Open Badge van Skillspas",
                                                    "Open Badge from Skillspas")},
    }
    return {
        "credential_issuer": base,
        "credential_endpoint": f"{base}/oid4vci/credential",
        "nonce_endpoint": f"{base}/oid4vci/nonce",
        "display": _display("Skillspas", "Skillspas"),
        "credential_configurations_supported": {
            "OpenBadgeCredential_ldp_vc": {
                "format": "ldp_vc",
                "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
                "credential_definition": {"@context": OB_CONTEXTS, "type": OB_TYPES},
                **common,
            },
            "OpenBadgeCredential_jwt_vc_json": {
                "format": "jwt_vc_json",
                "credential_signing_alg_values_supported": ["EdDSA"],
                "credential_definition": {"type": OB_TYPES},
                **common,
            },
        },
    }


def authorization_server_metadata() -> dict[str, Any]:
    """OAuth 2.0 authorization server metadata (RFC 8414) for the pre-authorized code flow."""
    base = issuer_identifier()
    return {
        "issuer": base,
        "token_endpoint": f"{base}/oid4vci/token",
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": True,
        "token_endpoint_auth_methods_supported": ["none"],
        "response_types_supported": [],
    }


# --- the learner's side: making an offer -------------------------------------------------


@dataclass(frozen=True)
class NewOffer:
    offer: WalletOffer
    tx_code: str
    uri: str  # openid-credential-offer://?credential_offer=… (by value: a link on the same device)
    qr_uri: str  # openid-credential-offer://?credential_offer_uri=… (by reference: a small QR code)


def _code_for(handle: str) -> str:
    """The pre-authorized code belonging to an offer's handle (so only hashes need storing)."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    digest = hmac.new(secret, f"oid4vci-offer:{handle}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def offer_payload(code: str) -> dict[str, Any]:
    """The credential offer (OpenID4VCI 1.0 section 4.1.1)."""
    return {
        "credential_issuer": issuer_identifier(),
        "credential_configuration_ids": list(CONFIGURATIONS),
        "grants": {PRE_AUTHORIZED_GRANT: {
            "pre-authorized_code": code,
            "tx_code": {"input_mode": "numeric", "length": TX_CODE_LENGTH,
                        "description": _("Typ de code die Skillspas je laat zien.")},
        }},
    }


def offer_uri(code: str) -> str:
    """The offer by value."""
    text = json.dumps(offer_payload(code), separators=(",", ":"), ensure_ascii=False)
    return "openid-credential-offer://?credential_offer=" + quote(text, safe="")


def offer_by_reference(handle: str) -> dict[str, Any] | None:
    """The offer a ``credential_offer_uri`` points at, while it can still be redeemed."""
    code = _code_for(handle)
    offer = db.session.scalar(db.select(WalletOffer).where(WalletOffer.code_hash == hash_secret(code)))
    if offer is None or offer.redeemed_at or offer.withdrawn_at or offer.expires_at <= utcnow() \
            or offer.failed_tries >= MAX_TX_TRIES:
        return None
    return offer_payload(code)


def create_offer(user: User, credential: Credential) -> NewOffer:
    """A fresh offer for the learner's own credential; older open offers for it stop working."""
    if credential.recipient_user_id != user.id:
        raise ServiceError(_("Dit is niet jouw bewijs."), code="not_yours")
    if credential.state == CredentialState.REVOKED:
        raise ServiceError(_("Dit bewijs is ingetrokken. Je kunt het niet meer naar een wallet sturen."),
                           code="revoked")
    now = utcnow()
    db.session.execute(db.update(WalletOffer).where(
        WalletOffer.credential_id == credential.id, WalletOffer.redeemed_at.is_(None),
        WalletOffer.withdrawn_at.is_(None)).values(withdrawn_at=now))
    handle = secrets.token_urlsafe(24)
    code = _code_for(handle)
    tx_code = "".join(secrets.choice("0123456789") for _i in range(TX_CODE_LENGTH))
    offer = WalletOffer(user_id=user.id, credential_id=credential.id, code_hash=hash_secret(code),
                        tx_code_hash=hash_secret(f"{code}:{tx_code}"), expires_at=now + OFFER_LIFETIME)
    db.session.add(offer)
    db.session.flush()
    audit.record("wallet.offer", actor_id=user.id, subject_type="credential",
                 subject_id=credential.uuid, organisation_id=credential.organisation_id)
    db.session.commit()
    by_reference = f"{issuer_identifier()}/oid4vci/offers/{handle}"
    return NewOffer(offer, tx_code, offer_uri(code),
                    "openid-credential-offer://?credential_offer_uri=" + quote(by_reference, safe=""))


def deliveries_of(user_id: int, credential_id: int) -> list[WalletDelivery]:
    """What went to wallets from this credential, newest first (only the owner's)."""
    return list(db.session.scalars(db.select(WalletDelivery).where(
        WalletDelivery.user_id == user_id, WalletDelivery.credential_id == credential_id)
        .order_by(WalletDelivery.delivered_at.desc(), WalletDelivery.id.desc())))


# --- the wallet's side: token, nonce, credential ------------------------------------------


def _new_nonce(now: datetime) -> tuple[str, int]:
    # spent and stale nonces are of no use to anyone: the table holds minutes of them, not years
    db.session.execute(db.delete(WalletNonce).where(WalletNonce.expires_at <= now))
    value = secrets.token_urlsafe(24)
    db.session.add(WalletNonce(value_hash=hash_secret(value), expires_at=now + NONCE_LIFETIME))
    return value, int(NONCE_LIFETIME.total_seconds())


def new_nonce() -> dict[str, Any]:
    """The nonce endpoint's answer (OpenID4VCI 1.0 section 7)."""
    value, _seconds = _new_nonce(utcnow())
    db.session.commit()
    return {"c_nonce": value}


def _rolled_back_on_refusal(func: Any) -> Any:
    """A refusal leaves nothing half-done (and releases the row locks taken)."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OAuthError:
            db.session.rollback()
            raise
    return wrapper


@_rolled_back_on_refusal
def exchange_code(form: dict[str, str]) -> dict[str, Any]:
    """The token endpoint: a pre-authorized code and its transaction code for an access token."""
    grant = form.get("grant_type", "")
    if not grant:
        raise OAuthError("invalid_request", "grant_type is missing")
    if grant != PRE_AUTHORIZED_GRANT:
        raise OAuthError("unsupported_grant_type", "only the pre-authorized code grant is supported")
    code, tx_code = form.get("pre-authorized_code", ""), form.get("tx_code", "")
    if not code:
        raise OAuthError("invalid_request", "pre-authorized_code is missing")
    now = utcnow()
    offer = db.session.scalar(db.select(WalletOffer).where(
        WalletOffer.code_hash == hash_secret(code)).with_for_update())
    if offer is None:
        raise OAuthError("invalid_grant", "the pre-authorized code is not known")
    if offer.redeemed_at is not None or offer.withdrawn_at is not None:
        raise OAuthError("invalid_grant", "the pre-authorized code was used or replaced")
    if offer.expires_at <= now:
        raise OAuthError("invalid_grant", "the pre-authorized code has expired")
    if offer.failed_tries >= MAX_TX_TRIES:
        raise OAuthError("invalid_grant", "too many wrong transaction codes: ask for a new offer")
    if not tx_code:
        raise OAuthError("invalid_request", "tx_code is missing")
    if not secrets.compare_digest(hash_secret(f"{code}:{tx_code}"), offer.tx_code_hash):
        offer.failed_tries += 1
        left = MAX_TX_TRIES - offer.failed_tries
        db.session.commit()  # the wrong try counts even though we refuse
        raise OAuthError("invalid_grant", f"the transaction code is wrong ({left} tries left)")
    token = secrets.token_urlsafe(32)
    offer.redeemed_at = now
    offer.token_hash = hash_secret(token)
    offer.token_expires_at = now + TOKEN_LIFETIME
    nonce, nonce_seconds = _new_nonce(now)
    db.session.commit()
    return {
        "access_token": token, "token_type": "Bearer",
        "expires_in": int(TOKEN_LIFETIME.total_seconds()),
        # not in 1.0 (wallets there call the nonce endpoint), still read by draft-13 wallets
        "c_nonce": nonce, "c_nonce_expires_in": nonce_seconds,
    }


def _offer_for_token(authorization: str, now: datetime) -> WalletOffer:
    scheme, _sep, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise OAuthError("invalid_token", "a Bearer access token is required", status=401)
    offer = db.session.scalar(db.select(WalletOffer).where(
        WalletOffer.token_hash == hash_secret(token.strip())).with_for_update())
    if offer is None or offer.token_expires_at is None or offer.token_expires_at <= now:
        raise OAuthError("invalid_token", "the access token is not valid or has expired", status=401)
    if offer.used_at is not None:
        raise OAuthError("invalid_token", "the access token was already used", status=401)
    return offer


@dataclass(frozen=True)
class _Request:
    configuration_id: str
    proof: Any
    draft13: bool  # answer in the shape a draft-13 wallet reads


def _parse_request(body: Any) -> _Request:
    """A 1.0 request (``credential_configuration_id``, ``proofs``) or a draft-13 one
    (``format`` + ``credential_definition``, ``proof``); the answer follows the request."""
    if not isinstance(body, dict):
        raise OAuthError("invalid_credential_request", "send the credential request as a JSON object")
    if "credential_identifier" in body:
        raise OAuthError("unknown_credential_identifier", "this issuer hands out no credential identifiers")
    if "proof" in body and "proofs" in body:
        raise OAuthError("invalid_credential_request", "send proof or proofs, not both")
    if "proofs" in body:
        proofs = body["proofs"]
        jwts = proofs.get("jwt") if isinstance(proofs, dict) else None
        if not isinstance(jwts, list) or len(proofs) != 1 or len(jwts) != 1:
            raise OAuthError("invalid_credential_request",
                             "proofs must hold exactly one jwt proof (no batch issuance)")
        proof = jwts[0]
    elif isinstance(body.get("proof"), dict):
        if body["proof"].get("proof_type") != "jwt":
            raise OAuthError("invalid_proof", "only the jwt proof type is supported")
        proof = body["proof"].get("jwt")
    else:
        raise OAuthError("invalid_proof", "a key proof is required")
    configuration = body.get("credential_configuration_id")
    if configuration is not None:
        if not isinstance(configuration, str) or configuration not in CONFIGURATIONS:
            raise OAuthError("unknown_credential_configuration", "no such credential configuration")
        return _Request(configuration, proof, draft13=False)
    fmt = body.get("format")
    definition = body.get("credential_definition")
    types = definition.get("type") if isinstance(definition, dict) else None
    chosen = [c for c, f in CONFIGURATIONS.items() if f == fmt]
    if not chosen or not isinstance(types, list) or "OpenBadgeCredential" not in types:
        raise OAuthError("unknown_credential_configuration",
                         "name a credential_configuration_id this issuer supports")
    return _Request(chosen[0], proof, draft13=True)


def _use_nonce(value: str | None, now: datetime) -> None:
    if not value:
        raise OAuthError("invalid_nonce", "the proof carries no nonce: get one from the nonce endpoint")
    nonce = db.session.scalar(db.select(WalletNonce).where(
        WalletNonce.value_hash == hash_secret(value)).with_for_update())
    if nonce is None or nonce.used_at is not None or nonce.expires_at <= now:
        raise OAuthError("invalid_nonce", "the proof's nonce is unknown, used or expired")
    nonce.used_at = now


def _signed_copy(credential: Credential, holder_id: str, fmt: str) -> Any:
    key = keystore.current_key(credential.organisation)
    if key is None:
        raise OAuthError("credential_request_denied", "the issuer has no signing key right now")
    try:
        document = bind_to_holder(credential.document, holder_id)
    except ValueError as exc:  # not one subject: nothing we could bind (we never issue such)
        raise OAuthError("credential_request_denied", "this credential cannot be bound to a holder") from exc
    if fmt == "ldp_vc":
        return data_integrity.sign(document, key.private_key, key.verification_method)
    return sign_vc_jwt(document, key.private_key, key.verification_method)


@_rolled_back_on_refusal
def issue_to_wallet(authorization: str, body: Any) -> dict[str, Any]:
    """The credential endpoint: the learner's credential, bound to the wallet's key."""
    now = utcnow()
    offer = _offer_for_token(authorization, now)
    request = _parse_request(body)
    try:
        holder = verify_key_proof(request.proof, audience=issuer_identifier(), now=now)
    except HolderProofError as exc:
        raise OAuthError(exc.code, exc.message) from exc
    _use_nonce(holder.nonce, now)
    credential = offer.credential
    if credential.state == CredentialState.REVOKED:
        raise OAuthError("credential_request_denied", "this credential has been revoked")
    fmt = CONFIGURATIONS[request.configuration_id]
    issued = _signed_copy(credential, holder.id, fmt)
    offer.used_at = now
    db.session.add(WalletDelivery(user_id=offer.user_id, credential_id=credential.id, offer_id=offer.id,
                                  format=fmt, holder_id=holder.id,
                                  client_id=(holder.client_id or "")[:200] or None, delivered_at=now))
    audit.record("wallet.delivered", actor_id=offer.user_id, subject_type="credential",
                 subject_id=credential.uuid, organisation_id=credential.organisation_id, format=fmt)
    if request.draft13:
        nonce, seconds = _new_nonce(now)
        db.session.commit()
        return {"credential": issued, "format": fmt, "c_nonce": nonce, "c_nonce_expires_in": seconds}
    db.session.commit()
    return {"credentials": [{"credential": issued}]}


def fresh_nonce_for_error() -> str:
    """A new nonce to send with ``invalid_nonce`` (draft-13 wallets retry with it)."""
    value, _seconds = _new_nonce(utcnow())
    db.session.commit()
    return value
