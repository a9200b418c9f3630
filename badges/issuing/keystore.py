"""Issuer signing keys: created on demand, encrypted at rest, rotated, revoked.

The private key never leaves this module unencrypted except as the return
value of :func:`signing_key_for`, used at once to sign. The encryption
secret comes from configuration (``BADGES_KEY_ENCRYPTION_SECRET``); older
secrets listed in ``BADGES_KEY_ENCRYPTION_OLD_SECRETS`` still decrypt, and
``badges keys reencrypt`` moves every key to the current secret.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

from badges.credentials import keys
from badges.issuing.models import SigningKey
from badges.kernel import audit, urls
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation


@dataclass(frozen=True)
class ActiveKey:
    row: SigningKey
    private_key: Ed25519PrivateKey
    verification_method: str


def _secret() -> str:
    return current_app.config["BADGES"]["KEY_ENCRYPTION_SECRET"]


def _old_secrets() -> list[str]:
    raw = current_app.config["BADGES"]["KEY_ENCRYPTION_OLD_SECRETS"]
    return [s for s in raw.split(",") if s]


def decrypt(row: SigningKey) -> Ed25519PrivateKey:
    for secret in [_secret(), *_old_secrets()]:
        try:
            return keys.decrypt_private_key(row.private_encrypted, secret)
        except keys.KeyDecryptionError:
            continue
    raise keys.KeyDecryptionError(f"no configured secret decrypts signing key {row.id}")


def current_key_row(org: Organisation) -> SigningKey | None:
    return db.session.scalar(
        db.select(SigningKey)
        .filter_by(organisation_id=org.id, retired_at=None, compromised_at=None)
        .order_by(SigningKey.id.desc())
        .limit(1)
    )


def _create_key(org: Organisation) -> SigningKey:
    count = db.session.scalar(
        db.select(db.func.count(SigningKey.id)).filter_by(organisation_id=org.id)
    )
    private = keys.generate_ed25519()
    row = SigningKey(
        organisation_id=org.id,
        kid=f"key-{count + 1}",
        public_multibase=keys.public_key_multibase(private.public_key()),
        private_encrypted=keys.encrypt_private_key(private, _secret()),
    )
    db.session.add(row)
    db.session.flush()
    return row


def _active(org: Organisation, row: SigningKey) -> ActiveKey:
    return ActiveKey(row, decrypt(row), urls.verification_method(org.slug, row.kid))


def current_key(org: Organisation) -> ActiveKey | None:
    """The key that signs for ``org`` now, or None; never makes one (readers call this)."""
    row = current_key_row(org)
    return None if row is None else _active(org, row)


def signing_key_for(org: Organisation) -> ActiveKey:
    """The key that signs for ``org`` now, generated on first use."""
    return current_key(org) or _active(org, _create_key(org))


def rotate(org: Organisation, actor_id: int | None = None) -> SigningKey:
    """A new key signs from now on; the old one stays published for old credentials."""
    old = current_key_row(org)
    if old is not None:
        old.retired_at = utcnow()
    row = _create_key(org)
    audit.record("key.rotate", actor_id=actor_id, organisation_id=org.id,
                 subject_type="signing_key", subject_id=row.kid)
    db.session.commit()
    return row


def mark_compromised(row: SigningKey, actor_id: int | None = None) -> None:
    """Credentials signed with this key no longer verify; a new key takes over."""
    row.compromised_at = utcnow()
    row.retired_at = row.retired_at or utcnow()
    audit.record("key.compromised", actor_id=actor_id, organisation_id=row.organisation_id,
                 subject_type="signing_key", subject_id=row.kid)
    db.session.commit()


def reencrypt_all(old_secret: str, new_secret: str) -> int:
    """Re-encrypt every private key under a new secret (rotation of the secret).

    Keys already under ``new_secret`` (made after the switch, or by an earlier
    run) are left alone, so a second run is harmless. All or nothing: a key
    that neither secret opens raises before anything is committed.
    """
    count = 0
    for row in db.session.scalars(db.select(SigningKey)):
        try:
            keys.decrypt_private_key(row.private_encrypted, new_secret)
            continue
        except keys.KeyDecryptionError:
            pass
        row.private_encrypted = keys.reencrypt_private_key(
            row.private_encrypted, old_secret, new_secret
        )
        count += 1
    db.session.commit()
    return count


def published_keys(org: Organisation) -> list[SigningKey]:
    """Every key that was ever used and is not compromised: old credentials need them."""
    return list(db.session.scalars(
        db.select(SigningKey)
        .filter_by(organisation_id=org.id, compromised_at=None)
        .order_by(SigningKey.id)
    ))


def controller_document(org: Organisation) -> dict:
    controller = urls.issuer_id(org.slug)
    methods = [
        keys.multikey_method(
            urls.verification_method(org.slug, row.kid), controller,
            keys.public_key_from_multibase(row.public_multibase),
        )
        for row in published_keys(org)
    ]
    return keys.controller_document(controller, methods)


def jwks(org: Organisation) -> dict:
    return {"keys": [
        keys.jwk_from_public(keys.public_key_from_multibase(row.public_multibase),
                             urls.verification_method(org.slug, row.kid))
        for row in published_keys(org)
    ]}
