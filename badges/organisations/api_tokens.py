"""An organisation's API tokens: created once and shown once; only a hash is stored."""

from __future__ import annotations

import secrets
from datetime import timedelta

from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.kernel.tokens import hash_secret
from badges.organisations.models import ApiToken, Organisation

TOUCH_EVERY = timedelta(minutes=1)  # last_used_at granularity: no write per request


def _add(organisation: Organisation, name: str) -> str:
    token = "sp_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            organisation_id=organisation.id,
            name=name,
            prefix=token[:10],
            token_hash=hash_secret(token),
        )
    )
    return token


def create_api_token(organisation: Organisation, name: str = "") -> str:
    """Create an API token; only its hash is stored, the token is shown once."""
    token = _add(organisation, name)
    db.session.commit()
    return token


def issue_api_token(organisation: Organisation, name: str, *, actor_id: int | None) -> str:
    """An admin creates a token on the workspace page: the token and its audit row land together."""
    token = _add(organisation, name)
    audit.record("token.create", actor_id=actor_id, organisation_id=organisation.id,
                 subject_type="api_token", subject_id=token[:10], name=name)
    db.session.commit()
    return token


def tokens_of(organisation: Organisation) -> list[ApiToken]:
    """The organisation's tokens, newest first (revoked ones too)."""
    return list(db.session.scalars(db.select(ApiToken).filter_by(
        organisation_id=organisation.id).order_by(ApiToken.created_at.desc())))


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


def authenticate(token: str) -> tuple[ApiToken, Organisation] | None:
    """The live token and its organisation, or ``None``; notes when it was last used.

    ``last_used_at`` is written at most once a minute per token, not on every request.
    """
    row = find_api_token(token)
    if row is None:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        row.last_used_at = now
        db.session.commit()
    org = db.session.get(Organisation, row.organisation_id)
    if org is None:  # pragma: no cover - a token's organisation is a foreign key
        return None
    return row, org
