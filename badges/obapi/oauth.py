"""OAuth 2.0 for the Open Badges 3.0 API, on Authlib's server components.

Apps register themselves (RFC 7591), the learner consents on our page, the app
swaps the code for tokens with PKCE S256 (RFC 7636, always required) and rotates
its refresh token. Secrets, codes and tokens are stored as hashes only: Authlib
hands us each fresh value once, in ``save_*``, and we look values up by hash.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast
from urllib.parse import urlparse

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.integrations.flask_oauth2.requests import FlaskJsonRequest
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError, InvalidScopeError, grants
from authlib.oauth2.rfc6749.resource_protector import ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7591 import ClientRegistrationEndpoint, InvalidClientMetadataError
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Response, request

from badges.accounts.models import User
from badges.kernel import audit, urls
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret
from badges.obapi import activity
from badges.obapi.models import ObAuthorizationCode, ObClient, ObToken

SCOPE_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CREDENTIAL_READ = SCOPE_BASE + "credential.readonly"
CREDENTIAL_UPSERT = SCOPE_BASE + "credential.upsert"
PROFILE_READ = SCOPE_BASE + "profile.readonly"
PROFILE_UPDATE = SCOPE_BASE + "profile.update"
SCOPES = [CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE]
ACCESS_LIFETIME = timedelta(hours=1)
REFRESH_LIFETIME = timedelta(days=90)
CODE_LIFETIME = timedelta(minutes=5)
AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
_HOST_PORT = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:]+\](:[0-9]{1,5})?")


# --- the authorization server ---------------------------------------------------------------


def _query_client(client_id: str) -> ObClient | None:
    return db.session.scalar(db.select(ObClient).filter_by(client_id=client_id))


def _save_token(token: dict[str, Any], oauth_request: Any) -> None:
    refresh = token.get("refresh_token")
    now = utcnow()
    db.session.add(ObToken(
        client_id=oauth_request.client.id, user_id=oauth_request.user.id,
        access_hash=hash_secret(token["access_token"]),
        refresh_hash=hash_secret(refresh) if refresh else None,
        scope=token.get("scope") or "", issued_at=now, expires_in=int(token["expires_in"]),
        refresh_expires_at=now + REFRESH_LIFETIME if refresh else None))
    # committed by the grant, together with spending its code or refresh token: all or nothing


def _spend(statement: Any) -> None:
    """Use up a code or refresh token and commit the new token with it, or, when a simultaneous
    request used it first, keep nothing and refuse."""
    if cast(Any, db.session.execute(statement)).rowcount != 1:
        db.session.rollback()
        raise InvalidGrantError("the code or refresh token was already used")
    db.session.commit()


class PkceS256(CodeChallenge):
    """PKCE for every client, confidential ones too, and only S256 (plain would add nothing)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]  # noqa: RUF012 (Authlib's class attribute)
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge (S256)")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256")
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code: ObAuthorizationCode) -> str:
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code: ObAuthorizationCode) -> str:
        return authorization_code.code_challenge_method


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def save_authorization_code(self, code: str, oauth_request: Any) -> None:
        client: ObClient = oauth_request.client
        data = oauth_request.payload.data
        db.session.add(ObAuthorizationCode(
            code_hash=hash_secret(code), client_id=client.id, user_id=oauth_request.user.id,
            redirect_uri=oauth_request.payload.redirect_uri or client.get_default_redirect_uri() or "",
            scope=client.get_allowed_scope(oauth_request.payload.scope or ""),
            code_challenge=data.get("code_challenge"), code_challenge_method="S256",
            expires_at=utcnow() + CODE_LIFETIME))
        audit.record("obapi.consent", actor_id=oauth_request.user.id, subject_type="ob_client",
                     subject_id=client.client_id)
        activity.note(oauth_request.user.id, client.id, "consent")
        db.session.commit()

    def query_authorization_code(self, code: str, client: ObClient) -> ObAuthorizationCode | None:
        row = db.session.scalar(db.select(ObAuthorizationCode).filter_by(
            code_hash=hash_secret(code), client_id=client.id).with_for_update())
        if row is None or row.expires_at <= utcnow():
            return None
        return row

    def delete_authorization_code(self, authorization_code: ObAuthorizationCode) -> None:
        # A code works once: spent together with the token saved. Two requests racing with the
        # same code (SQLite takes no row lock) find it gone here, and the later one gets nothing.
        _spend(db.delete(ObAuthorizationCode).where(ObAuthorizationCode.id == authorization_code.id))

    def authenticate_user(self, authorization_code: ObAuthorizationCode) -> User:
        return authorization_code.user


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation: each refresh token works once

    def authenticate_refresh_token(self, refresh_token: str) -> ObToken | None:
        row = db.session.scalar(db.select(ObToken).filter_by(
            refresh_hash=hash_secret(refresh_token)).with_for_update())
        return row if row is not None and row.is_refresh_token_valid() else None

    def authenticate_user(self, refresh_token: ObToken) -> User:
        return refresh_token.user

    def revoke_old_credential(self, refresh_token: ObToken) -> None:
        _spend(db.update(ObToken).where(ObToken.id == refresh_token.id, ObToken.revoked_at.is_(None))
               .values(revoked_at=utcnow()))


def _registration_metadata() -> dict[str, Any]:
    return {"scopes_supported": SCOPES, "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_methods_supported": AUTH_METHODS}


def _allowed_redirect(uri: str) -> bool:
    """HTTPS, or plain HTTP to the app's own machine (native apps, RFC 8252); no fragments."""
    parts = urlparse(uri)
    # a plain host[:port]: no user info, nothing that could leak into the consent page's CSP
    if parts.fragment or not _HOST_PORT.fullmatch(parts.netloc):
        return False
    return parts.scheme == "https" or (parts.scheme == "http"
                                       and parts.hostname in ("127.0.0.1", "localhost", "::1"))


class RegistrationEndpoint(ClientRegistrationEndpoint):
    """Open registration, as the Open Badges 3.0 API expects (no initial access token)."""

    def authenticate_token(self, oauth_request: Any) -> bool:
        return True

    def get_server_metadata(self) -> dict[str, Any]:
        return _registration_metadata()

    def generate_client_secret(self, oauth_request: Any) -> str:
        return secrets.token_urlsafe(32)

    def save_client(self, client_info: dict[str, Any], client_metadata: dict[str, Any],
                    oauth_request: Any) -> ObClient:
        uris = client_metadata.get("redirect_uris") or []
        if not uris or not all(isinstance(u, str) and _allowed_redirect(u) for u in uris):
            raise InvalidClientMetadataError("redirect_uris: one or more https URLs are required")
        name = client_metadata.get("client_name")
        if not isinstance(name, str) or not name.strip():
            raise InvalidClientMetadataError("client_name is required: learners see it on the consent page")
        for field in ("client_uri", "logo_uri", "tos_uri", "policy_uri"):  # learners may follow these
            value = client_metadata.get(field)
            if value is not None and (not isinstance(value, str)
                                      or urlparse(value).scheme not in ("https", "http")):
                raise InvalidClientMetadataError(f"{field} must be an https URL")
        scope = " ".join(s for s in str(client_metadata.get("scope") or "").split() if s in SCOPES)
        if not scope:
            raise InvalidClientMetadataError("scope: name one or more Open Badges 3.0 scopes")
        client_metadata["scope"] = scope
        client_metadata.setdefault("grant_types", ["authorization_code"])
        client_metadata.setdefault("response_types", ["code"])
        if client_metadata["token_endpoint_auth_method"] not in AUTH_METHODS:
            raise InvalidClientMetadataError("token_endpoint_auth_method: use client_secret_basic")
        client = ObClient(client_id=client_info["client_id"],
                          secret_hash=hash_secret(client_info["client_secret"]),
                          name=name.strip()[:200], client_uri=client_metadata.get("client_uri"),
                          scope=scope, client_metadata=client_metadata)
        db.session.add(client)
        db.session.flush()
        audit.record("obapi.register", subject_type="ob_client", subject_id=client.client_id)
        db.session.commit()
        return client


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> ObToken | None:
        digest = hash_secret(token_string)
        return db.session.scalar(db.select(ObToken).where(
            (ObToken.access_hash == digest) | (ObToken.refresh_hash == digest)))

    def revoke_token(self, token: ObToken, oauth_request: Any) -> None:
        token.revoked_at = token.revoked_at or utcnow()
        db.session.commit()


class _Server(AuthorizationServer):
    def handle_response(self, status_code: int, payload: Any, headers: Any) -> Response:
        response = super().handle_response(status_code, payload, headers)
        response.headers["Cache-Control"] = "no-store"
        return response


server = _Server(query_client=_query_client, save_token=_save_token)
server.load_config({
    "OAUTH2_REFRESH_TOKEN_GENERATOR": True,
    "OAUTH2_TOKEN_EXPIRES_IN": {"authorization_code": int(ACCESS_LIFETIME.total_seconds()),
                                "refresh_token": int(ACCESS_LIFETIME.total_seconds())},
    "OAUTH2_SCOPES_SUPPORTED": SCOPES,
})
server.register_grant(AuthorizationCodeGrant, [PkceS256(required=True)])
server.register_grant(RefreshTokenGrant)
server.register_endpoint(RegistrationEndpoint)
server.register_endpoint(Revocation)


def register_response() -> Response:
    return server.create_endpoint_response("client_registration")


def token_response() -> Response:
    response = server.create_token_response()
    db.session.rollback()  # nothing half-done stays after a refusal
    return response


def revocation_response() -> Response:
    return server.create_endpoint_response(RevocationEndpoint.ENDPOINT_NAME)


# --- the consent page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Consent:
    grant: Any
    client: ObClient
    scopes: list[str]

    @property
    def redirect_origin(self) -> str:
        """Where the answer goes (the registered redirect URI Authlib checked), as an origin."""
        parts = urlparse(self.grant.redirect_uri)
        return f"{parts.scheme}://{parts.netloc}"


def consent_request(user: User) -> Consent:
    """The app's authorization request, checked; raises ``OAuth2Error`` when it is bad."""
    grant = server.get_consent_grant(end_user=user)
    client: ObClient = grant.client
    scopes = client.get_allowed_scope(grant.request.payload.scope or "").split()
    if not scopes:
        raise InvalidScopeError(redirect_uri=grant.redirect_uri, state=grant.request.payload.state)
    return Consent(grant, client, scopes)


def decide(consent: Consent, user: User, allow: bool) -> Response:
    """The learner's answer: a redirect back to the app with a code, or with access_denied."""
    return server.create_authorization_response(grant_user=user if allow else None, grant=consent.grant)


def error_redirect(error: OAuth2Error) -> Response | None:
    """Back to the app with the error, when its redirect URI is known to be the app's."""
    if not error.redirect_uri:
        return None
    return server.handle_error_response(None, error)


# --- the resource server ----------------------------------------------------------------------


class _BearerValidator(BearerTokenValidator):
    def authenticate_token(self, token_string: str) -> ObToken | None:
        return db.session.scalar(db.select(ObToken).filter_by(access_hash=hash_secret(token_string)))


protector = ResourceProtector()
protector.register_token_validator(_BearerValidator())


class ApiRefusal(Exception):
    """A refused API call: HTTP status, the spec's ``imsx_codeMinor`` value and why."""

    def __init__(self, status: int, minor: str, description: str):
        super().__init__(description)
        self.status, self.minor, self.description = status, minor, description


def authenticate(scope: str) -> ObToken:
    """The valid access token of this request, which must hold ``scope``."""
    try:
        token: ObToken = protector.validate_request([scope], FlaskJsonRequest(request))
    except OAuth2Error as exc:
        if exc.status_code == 403:
            raise ApiRefusal(403, "forbidden", f"this token lacks the scope {scope}") from exc
        raise ApiRefusal(401, "unauthorizedrequest",
                         exc.description or "a valid Bearer access token is required") from exc
    token.last_used_at = utcnow()  # committed with what the call does
    return token


def discovery_urls() -> dict[str, str]:
    base = urls.base_url() + "/ims/ob/v3p0"
    return {"authorize": base + "/authorize", "token": base + "/token", "register": base + "/register",
            "revoke": base + "/revoke", "base": base}
