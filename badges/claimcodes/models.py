"""A claim code for one achievement, and the claims made with it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.catalogue.models import Achievement
from badges.kernel.models import Base, CreatedAt, value_enum
from badges.organisations.models import Organisation


class EvidenceMode(enum.StrEnum):
    NONE = "none"
    TEXT = "text"  # one line of text
    PHOTO = "photo"
    TEXT_OR_PHOTO = "text_or_photo"


class ClaimState(enum.StrEnum):
    UNCONFIRMED = "unconfirmed"  # waits for the claimer to confirm the address by mail
    PENDING = "pending"  # waits for the issuer's approval
    ISSUED = "issued"
    REJECTED = "rejected"


class ClaimCode(CreatedAt, Base):
    __tablename__ = "claim_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id"))
    code: Mapped[str] = mapped_column(String(16), unique=True)  # shown on the poster
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    max_claims: Mapped[int]
    needs_approval: Mapped[bool] = mapped_column(default=False)
    allowed_domains: Mapped[str] = mapped_column(Text, default="")  # "club.nl, school.nl"
    allowed_emails: Mapped[str] = mapped_column(Text, default="")  # one per line
    evidence: Mapped[EvidenceMode] = mapped_column(value_enum(EvidenceMode, 16), default=EvidenceMode.NONE)
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    achievement: Mapped[Achievement] = relationship()
    claims: Mapped[list[CodeClaim]] = relationship(back_populates="claim_code", order_by="CodeClaim.id")


class CodeClaim(CreatedAt, Base):
    __tablename__ = "code_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_code_id: Mapped[int] = mapped_column(ForeignKey("claim_code.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    state: Mapped[ClaimState] = mapped_column(value_enum(ClaimState, 16))
    evidence_text: Mapped[str] = mapped_column(String(500), default="")
    evidence_image: Mapped[bytes | None] = mapped_column(LargeBinary)
    evidence_mime: Mapped[str | None] = mapped_column(String(40))
    credential_id: Mapped[int | None] = mapped_column(ForeignKey("credential.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")

    claim_code: Mapped[ClaimCode] = relationship(back_populates="claims")

    __table_args__ = (
        UniqueConstraint("claim_code_id", "email", name="uq_code_claim_email"),
        Index("ix_code_claim_claim_code_id", "claim_code_id"),
    )
