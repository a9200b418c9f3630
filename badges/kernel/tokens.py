"""Signed, expiring, single-use links (password reset, confirmation, email change and its
undo) and secret hashing."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

RESET_MAX_AGE = 60 * 60  # one hour
EMAIL_CHANGE_MAX_AGE = 24 * 60 * 60
CONFIRM_MAX_AGE = 3 * 24 * 60 * 60  # confirming a new account's address
EMAIL_UNDO_MAX_AGE = 7 * 24 * 60 * 60  # the old address may undo an email change


class TokenError(Exception):
    def __init__(self, reason: str):  # "expired" | "invalid"
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"badges.{purpose}")


def fingerprint(value: str | None) -> str:
    """A short digest of state that must not have changed when the link is used.

    A reset link carries a fingerprint of the password hash: once the password
    is changed the hash changes, so the link works once only.
    """
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


def make_link_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_link_token(purpose: str, token: str, max_age: int) -> dict[str, Any]:
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError("expired") from exc
    except BadSignature as exc:
        raise TokenError("invalid") from exc


def hash_secret(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
