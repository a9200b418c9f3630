"""Endorsements: one organisation vouching for another organisation's achievement."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.models.achievement import Achievement
from badges.models.base import Base, CreatedAt, new_uuid
from badges.models.organisation import Organisation


class Endorsement(CreatedAt, Base):
    """A signed OB 3.0 ``EndorsementCredential`` by ``endorser`` about ``achievement``.

    Revoking hides it and stops it being shown or embedded; the signed
    document is kept so the audit trail shows what was said.
    """

    __tablename__ = "endorsement"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    endorser_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id", ondelete="CASCADE"))
    comment: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]

    endorser: Mapped[Organisation] = relationship()
    achievement: Mapped[Achievement] = relationship()

    __table_args__ = (
        Index("ix_endorsement_achievement_id", "achievement_id"),
        Index("ix_endorsement_endorser_id", "endorser_id"),
    )
