"""Talking to OpenID Providers (eduID, SURFconext): Authlib's Flask client, one per provider.

Authlib does the protocol: discovery from ``<issuer>/.well-known/openid-configuration``,
``state`` and ``nonce`` kept in the session and checked on return, PKCE (S256), the code
exchange, the ID token's signature, issuer, audience, expiry and nonce. This module
turns its outcome into :class:`Claims` or a :class:`SignInRefused` with a reason the page
can explain. An email counts only when the provider says it is verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError

EXTENSION = "badges.oidc"
TIMEOUT = 10  # seconds for each call to the provider


@dataclass(frozen=True)
class Provider:
    name: str
    label: str


@dataclass(frozen=True)
class Claims:
    """What the provider vouched for about the person signing in."""

    provider: str
    subject: str
    email: str | None  # only when the provider says it is verified
    unverified_email: str | None  # given but not verified: shown, never used
    name: str | None
    home_organisation: str | None  # ``schac_home_organization`` (SURFconext, eduID)


class SignInRefused(Exception):
    """The provider's answer is not accepted. ``reason``: denied, state, invalid, unavailable."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def init_app(app: Flask) -> None:
    """One Authlib client per configured provider, on this app only (tests build many apps)."""
    oauth = OAuth(app)
    for name, conf in app.config.get("OIDC_PROVIDERS", {}).items():
        oauth.register(
            name,
            client_id=conf["client_id"],
            client_secret=conf.get("client_secret") or None,
            server_metadata_url=f"{conf['issuer'].rstrip('/')}/.well-known/openid-configuration",
            client_kwargs={"scope": conf.get("scope") or "openid email profile",
                           "code_challenge_method": "S256", "default_timeout": TIMEOUT},
        )
    app.extensions[EXTENSION] = oauth


def providers() -> list[Provider]:
    """The configured providers, in configuration order (for the sign-in buttons)."""
    return [Provider(name, conf.get("label") or name)
            for name, conf in current_app.config.get("OIDC_PROVIDERS", {}).items()]


def provider(name: str) -> Provider | None:
    conf = current_app.config.get("OIDC_PROVIDERS", {}).get(name)
    return Provider(name, conf.get("label") or name) if conf else None


def _client(name: str) -> Any:
    return current_app.extensions[EXTENSION].create_client(name)


def start(name: str, redirect_uri: str) -> Any:
    """The redirect to the provider; state, nonce and the PKCE verifier go into the session."""
    try:
        return _client(name).authorize_redirect(redirect_uri)
    except (requests.RequestException, AuthlibBaseError, ValueError) as exc:
        raise SignInRefused("unavailable", str(exc)) from exc


def finish(name: str) -> Claims:
    """Check the provider's answer on the callback and return who signed in."""
    client = _client(name)
    try:
        token = client.authorize_access_token()
        id_claims = token.get("userinfo")
        if not id_claims:  # no ID token (or no nonce to check it with): not OpenID Connect
            raise SignInRefused("invalid", "no ID token")
        claims = dict(id_claims)
        if client.load_server_metadata().get("userinfo_endpoint"):
            info = client.userinfo(token=token)
            if info.get("sub") != id_claims["sub"]:
                raise SignInRefused("invalid", "userinfo is about someone else")
            claims.update(info)
    except MismatchingStateError as exc:
        raise SignInRefused("state", str(exc)) from exc
    except OAuthError as exc:
        reason = "denied" if exc.error in {"access_denied", "login_required",
                                           "consent_required", "interaction_required"} else "invalid"
        raise SignInRefused(reason, f"{exc.error}: {exc.description}") from exc
    except (AuthlibBaseError, JoseError, KeyError, ValueError) as exc:
        raise SignInRefused("invalid", repr(exc)) from exc
    except requests.RequestException as exc:
        raise SignInRefused("unavailable", str(exc)) from exc
    return _claims(name, claims)


def _claims(name: str, claims: dict[str, Any]) -> Claims:
    email = claims.get("email")
    email = email.strip().lower()[:254] if isinstance(email, str) and "@" in email else None
    verified = claims.get("email_verified") is True  # "true" as a string is not a promise
    display = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part)
    home = claims.get("schac_home_organization")
    return Claims(
        provider=name,
        subject=str(claims["sub"])[:255],
        email=email if verified else None,
        unverified_email=None if verified else email,
        name=str(display)[:200] if display else None,
        home_organisation=str(home).strip().lower()[:200] if home else None,
    )
