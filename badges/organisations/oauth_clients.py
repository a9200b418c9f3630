"""OAuth 2.0 clients of an organisation (client credentials grant, RFC 6749 section 4.4).

An admin registers a client on the API page: its ``client_id`` and secret are shown once,
only the secret's hash is stored, and it gets a set of scopes. ``POST /oauth/token``
(``oauth_server``) trades the client's credentials for a short-lived bearer token: an
``ApiToken`` row with ``oauth_client_id`` and ``expires_at`` set, so every API route
checks it exactly as it checks a token made by hand (scope, expiry, audit actor).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta

from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret
from badges.organisations.api_tokens import scope_string
from badges.organisations.models import ApiToken, OAuthClient, Organisation

TOKEN_LIFETIME = timedelta(hours=1)


def register_client(organisation: Organisation, name: str, scopes: Iterable[str], *,
                    actor_id: int | None) -> tuple[str, str]:
    """A new client; returns ``(client_id, client_secret)``, the secret shown only now."""
    client_id = "spc_" + secrets.token_urlsafe(12)
    secret = secrets.token_urlsafe(32)
    db.session.add(OAuthClient(organisation_id=organisation.id, name=name, client_id=client_id,
                               secret_hash=hash_secret(secret), scopes=scope_string(scopes)))
    audit.record("oauth_client.create", actor_id=actor_id, organisation_id=organisation.id,
                 subject_type="oauth_client", subject_id=client_id, name=name,
                 scopes=scope_string(scopes))
    db.session.commit()
    return client_id, secret


def clients_of(organisation: Organisation) -> list[OAuthClient]:
    return list(db.session.scalars(db.select(OAuthClient).filter_by(
        organisation_id=organisation.id).order_by(OAuthClient.created_at.desc())))


def revoke_client(row: OAuthClient, *, actor_id: int | None) -> bool:
    """Stop the client and every access token it holds; ``False`` if revoked already."""
    if row.revoked_at is not None:
        return False
    now = utcnow()
    row.revoked_at = now
    db.session.execute(db.update(ApiToken).where(ApiToken.oauth_client_id == row.id,
                                                 ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now))
    audit.record("oauth_client.revoke", actor_id=actor_id, organisation_id=row.organisation_id,
                 subject_type="oauth_client", subject_id=row.client_id)
    db.session.commit()
    return True


def live_client(client_id: str) -> OAuthClient | None:
    row = db.session.scalar(db.select(OAuthClient).filter_by(client_id=client_id))
    if row is None or row.revoked_at is not None:
        return None
    return row


def secret_matches(row: OAuthClient, secret: str) -> bool:
    return hmac.compare_digest(row.secret_hash, hash_secret(secret))


def save_access_token(row: OAuthClient, access_token: str, scopes: str, expires_in: int) -> None:
    """Store the hash of an access token handed to ``row``; it works for ``expires_in`` s."""
    db.session.add(ApiToken(organisation_id=row.organisation_id, name=row.name,
                            prefix=access_token[:10], token_hash=hash_secret(access_token),
                            scopes=scope_string(scopes.split()),
                            expires_at=utcnow() + timedelta(seconds=expires_in),
                            oauth_client_id=row.id))
    audit.record("oauth_client.token", organisation_id=row.organisation_id,
                 subject_type="oauth_client", subject_id=row.client_id, scopes=scopes)
    db.session.commit()
