"""An organisation's API tokens: created once and shown once; only a hash is stored."""

from __future__ import annotations

import secrets

from badges.kernel.db import db
from badges.kernel.tokens import hash_secret
from badges.organisations.models import ApiToken, Organisation


def create_api_token(organisation: Organisation, name: str = "") -> str:
    """Create an API token; only its hash is stored, the token is shown once."""
    token = "sp_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            organisation_id=organisation.id,
            name=name,
            prefix=token[:10],
            token_hash=hash_secret(token),
        )
    )
    db.session.commit()
    return token


def find_api_token(token: str) -> ApiToken | None:
    row = db.session.scalar(db.select(ApiToken).filter_by(token_hash=hash_secret(token)))
    if row is None or row.revoked_at is not None:
        return None
    return row
