"""An organisation's API tokens: created once and shown once; only a hash is stored."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret
from badges.organisations.models import SCOPES, ApiToken, Organisation

TOUCH_EVERY = timedelta(minutes=1)  # last_used_at granularity: no write per request


def scope_string(scopes: Iterable[str] | None) -> str:
    """Known scopes in their canonical order; ``None`` means all of them."""
    wanted = set(SCOPES if scopes is None else scopes)
    return " ".join(s for s in SCOPES if s in wanted)


def _add(organisation: Organisation, name: str, scopes: Iterable[str] | None = None,
         expires_at: datetime | None = None, oauth_client_id: int | None = None) -> str:
    token = "sp_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            organisation_id=organisation.id,
            name=name,
            prefix=token[:10],
            token_hash=hash_secret(token),
            scopes=scope_string(scopes),
            expires_at=expires_at,
            oauth_client_id=oauth_client_id,
        )
    )
    return token


def create_api_token(organisation: Organisation, name: str = "", *,
                     scopes: Iterable[str] | None = None,
                     expires_at: datetime | None = None) -> str:
    """Create an API token; only its hash is stored, the token is shown once."""
    token = _add(organisation, name, scopes, expires_at)
    db.session.commit()
    return token


def issue_api_token(organisation: Organisation, name: str, *, actor_id: int | None,
                    scopes: Iterable[str] | None = None,
                    expires_at: datetime | None = None) -> str:
    """An admin creates a token on the workspace page: the token and its audit row land together."""
    token = _add(organisation, name, scopes, expires_at)
    audit.record("token.create", actor_id=actor_id, organisation_id=organisation.id,
                 subject_type="api_token", subject_id=token[:10], name=name,
                 scopes=scope_string(scopes),
                 expires=expires_at.date().isoformat() if expires_at else None)
    db.session.commit()
    return token


def tokens_of(organisation: Organisation) -> list[ApiToken]:
    """The organisation's own tokens, newest first (revoked ones too; not OAuth access tokens)."""
    return list(db.session.scalars(db.select(ApiToken).filter_by(
        organisation_id=organisation.id, oauth_client_id=None)
        .order_by(ApiToken.created_at.desc())))


def revoke_api_token(row: ApiToken, *, actor_id: int | None) -> bool:
    """Stop a token working at once; ``False`` if it was revoked already."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    audit.record("token.revoke", actor_id=actor_id, organisation_id=row.organisation_id,
                 subject_type="api_token", subject_id=row.prefix)
    db.session.commit()
    return True


def find_api_token(token: str) -> ApiToken | None:
    row = db.session.scalar(db.select(ApiToken).filter_by(token_hash=hash_secret(token)))
    if row is None or row.revoked_at is not None:
        return None
    return row


class Expired(Exception):
    """The token is known but past its expiry date."""


def authenticate(token: str) -> tuple[ApiToken, Organisation] | None:
    """The live token and its organisation, or ``None``; notes when it was last used.

    Raises ``Expired`` for a token past its ``expires_at``. ``last_used_at`` is written at
    most once a minute per token, not on every request.
    """
    row = find_api_token(token)
    if row is None:
        return None
    now = utcnow()
    if row.expires_at is not None and row.expires_at <= now:
        raise Expired(row.expires_at)
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        row.last_used_at = now
        db.session.commit()
    org = db.session.get(Organisation, row.organisation_id)
    if org is None:  # pragma: no cover - a token's organisation is a foreign key
        return None
    return row, org

