"""Apps registered for the Open Badges 3.0 API, their authorization codes and tokens.

Only hashes of secrets are stored: the client secret, the authorization code and
the access and refresh tokens. The Authlib mixins let its grants read these rows.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.accounts.models import User
from badges.kernel.models import Base, CreatedAt, utcnow
from badges.kernel.tokens import hash_secret


def _scopes(scope: str | None) -> set[str]:
    return set((scope or "").split())


class ObClient(CreatedAt, Base):
    """An app that registered itself (RFC 7591): its metadata and the hash of its secret."""

    __tablename__ = "ob_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    client_uri: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    # the registered metadata as accepted (redirect_uris, grant_types, logo_uri, ...)
    client_metadata: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # --- Authlib's ClientMixin ---
    def get_client_id(self) -> str:
        return self.client_id

    @property
    def redirect_uris(self) -> list[str]:
        return list(self.client_metadata.get("redirect_uris") or [])

    def get_default_redirect_uri(self) -> str | None:
        uris = self.redirect_uris
        return uris[0] if len(uris) == 1 else None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = _scopes(self.scope)
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris  # exact match, no prefixes

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(hash_secret(client_secret), self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint == "token":
            return method == self.client_metadata.get("token_endpoint_auth_method",
                                                      "client_secret_basic")
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type in (self.client_metadata.get("response_types") or ["code"])

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in (self.client_metadata.get("grant_types") or ["authorization_code"])


class ObAuthorizationCode(Base):
    """A code the learner's consent produced: minutes long, once, bound to the PKCE challenge."""

    __tablename__ = "ob_authorization_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("ob_client.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(10))
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship()

    # --- Authlib's AuthorizationCodeMixin ---
    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


class ObToken(Base):
    """An access token with its refresh token, for one learner and one app."""

    __tablename__ = "ob_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("ob_client.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_in: Mapped[int]
    refresh_expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]  # refreshed (rotated) or withdrawn by the learner
    last_used_at: Mapped[datetime | None]

    client: Mapped[ObClient] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_ob_token_user_id_client_id", "user_id", "client_id"),)

    # --- Authlib's TokenMixin ---
    def check_client(self, client: ObClient) -> bool:
        return self.client_id == client.id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return (utcnow() - self.issued_at).total_seconds() >= self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_user(self) -> User:
        return self.user

    def get_client(self) -> ObClient:
        return self.client

    def is_refresh_token_valid(self) -> bool:
        return self.revoked_at is None and (self.refresh_expires_at is None
                                            or self.refresh_expires_at > utcnow())


class ObActivity(Base):
    """What an app did with the learner's passport, for the learner's "Apps met toegang" page.

    Repeated reads of the same kind on one day are one row (``times`` counts them), so an
    app that polls does not grow the table by the minute.
    """

    __tablename__ = "ob_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("ob_client.id", ondelete="CASCADE"))
    # consent | credentials_read | credential_added | credential_replaced | profile_read
    # | profile_updated | withdrawn
    action: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(String(200), default="")  # a count or a credential's name
    times: Mapped[int] = mapped_column(default=1)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_ob_activity_user_id_client_id_at", "user_id", "client_id", "at"),)
