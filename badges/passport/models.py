"""What a learner keeps beside issued credentials: imported credentials and share links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.accounts.models import User
from badges.issuing.models import Credential
from badges.kernel.models import Base, CreatedAt, new_uuid, utcnow


class ImportedCredential(Base):
    __tablename__ = "imported_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # the credential as uploaded: JSON text, or a compact JWT / OB 2.0 JWS
    raw: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))  # json-ld | jwt | ob2-signed | ob2-hosted
    container: Mapped[str | None] = mapped_column(String(10))  # png | svg | None
    # sha256 of the credential id (or of the raw text when it has none): duplicates
    fingerprint: Mapped[str] = mapped_column(String(64))
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    verdict: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    issuer_name: Mapped[str] = mapped_column(String(200), default="")
    issuer_id: Mapped[str] = mapped_column(String(500), default="")
    issued_on: Mapped[datetime | None]
    achievement_type: Mapped[str] = mapped_column(String(80), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_checked_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "fingerprint"),
        Index("ix_imported_credential_user_id_imported_at", "user_id", "imported_at"),
    )


share_link_credential = Table(
    "share_link_credential",
    Base.metadata,
    Column("share_link_id", ForeignKey("share_link.id", ondelete="CASCADE"), primary_key=True),
    Column("credential_id", ForeignKey("credential.id", ondelete="CASCADE"), primary_key=True),
)


share_link_imported = Table(
    "share_link_imported",
    Base.metadata,
    Column("share_link_id", ForeignKey("share_link.id", ondelete="CASCADE"), primary_key=True),
    Column("imported_credential_id", ForeignKey("imported_credential.id", ondelete="CASCADE"),
           primary_key=True),
)


class ShareLink(CreatedAt, Base):
    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    view_count: Mapped[int] = mapped_column(default=0)
    last_viewed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    credentials: Mapped[list[Credential]] = relationship(secondary=share_link_credential)
    imported: Mapped[list[ImportedCredential]] = relationship(secondary=share_link_imported)
    views: Mapped[list[ShareView]] = relationship(
        back_populates="link", cascade="all, delete-orphan", passive_deletes=True
    )

    def is_active(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    __table_args__ = (Index("ix_share_link_user_id", "user_id"),)


class RetiredShareToken(Base):
    """A share link whose owner deleted their account: its page answers 410 Gone, not 404.

    Only the token's SHA-256 is kept, nothing about the person or what was shared.
    """

    __tablename__ = "retired_share_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    retired_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShareView(Base):
    """One opening of a share link: when, nothing else."""

    __tablename__ = "share_view"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("share_link.id", ondelete="CASCADE"))
    viewed_at: Mapped[datetime] = mapped_column(default=utcnow)

    link: Mapped[ShareLink] = relationship(back_populates="views")

    __table_args__ = (Index("ix_share_view_link_id_viewed_at", "link_id", "viewed_at"),)
