"""Credentials a learner brought from elsewhere (OB 3.0 or 2.0), with their last check.

Nothing here is trusted: the raw document is kept exactly as uploaded so it
can be re-verified later, and the summary columns are only for listing.
``verdict`` is whatever the verifier said last; invalid documents are never
stored (the import service refuses them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.models.base import Base, new_uuid, utcnow
from badges.models.user import User


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
