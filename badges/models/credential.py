"""Issued credentials: who received what, its signed document and its status."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.models.achievement import Achievement
from badges.models.base import Base, CreatedAt, new_uuid, value_enum
from badges.models.organisation import Organisation
from badges.models.user import User


class CredentialState(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Credential(CreatedAt, Base):
    __tablename__ = "credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id"))
    recipient_email: Mapped[str | None] = mapped_column(String(254))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    issued_at: Mapped[datetime]
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assessor: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[CredentialState] = mapped_column(
        value_enum(CredentialState), default=CredentialState.ACTIVE
    )
    state_reason: Mapped[str | None] = mapped_column(Text)
    state_changed_at: Mapped[datetime | None]
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # the signed credential
    signing_key_id: Mapped[int | None] = mapped_column(ForeignKey("signing_key.id"))
    revocation_list_id: Mapped[int | None] = mapped_column(ForeignKey("status_list.id"))
    revocation_index: Mapped[int | None]
    suspension_list_id: Mapped[int | None] = mapped_column(ForeignKey("status_list.id"))
    suspension_index: Mapped[int | None]
    claim_token_hash: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    # One credential per recipient × achievement lineage × period per issuer:
    # re-uploading a CSV or retrying an API call issues nothing twice.
    dedup_key: Mapped[str | None] = mapped_column(String(64))
    imported: Mapped[bool] = mapped_column(default=False)  # added by the learner
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()
    achievement: Mapped[Achievement] = relationship()
    recipient: Mapped[User | None] = relationship(foreign_keys=[recipient_user_id])

    def uuid_or_new(self) -> str:
        """The public id, assigned now if the row is not flushed yet (it is in the URL we sign)."""
        if self.uuid is None:
            self.uuid = new_uuid()
        return self.uuid

    __table_args__ = (
        UniqueConstraint("organisation_id", "dedup_key"),
        UniqueConstraint("revocation_list_id", "revocation_index"),
        UniqueConstraint("suspension_list_id", "suspension_index"),
        Index("ix_credential_recipient_user_id", "recipient_user_id"),
        Index("ix_credential_recipient_email", "recipient_email"),
        Index("ix_credential_achievement_id", "achievement_id"),
        Index("ix_credential_organisation_id_issued_at", "organisation_id", "issued_at"),
    )
