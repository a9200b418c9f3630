"""Applications for recognition, their messages and evidence; adviser access."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.issuing.models import Credential
from badges.kernel.models import Base, CreatedAt, new_uuid, utcnow, value_enum
from badges.organisations.models import Organisation


class ApplicationState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    QUESTION = "question"  # the assessor asked something; the learner answers
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class EvidenceKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"
    STATEMENT = "statement"  # from an employer or coach: text + name + role


class Application(CreatedAt, Base):
    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    state: Mapped[ApplicationState] = mapped_column(
        value_enum(ApplicationState), default=ApplicationState.DRAFT
    )
    description: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decline_reason: Mapped[str | None] = mapped_column(Text)
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    achievement: Mapped[Achievement] = relationship()
    credential: Mapped[Credential | None] = relationship()
    messages: Mapped[list[ApplicationMessage]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationMessage.id",
    )
    evidence: Mapped[list[ApplicationEvidence]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="ApplicationEvidence.id",
    )

    __table_args__ = (
        Index("ix_application_user_id", "user_id"),
        Index("ix_application_organisation_id_state", "organisation_id", "state"),
    )


class ApplicationMessage(CreatedAt, Base):
    """One turn in the question/answer thread between assessor and learner."""

    __tablename__ = "application_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    from_assessor: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_application_message_application_id", "application_id"),)


class ApplicationEvidence(CreatedAt, Base):
    __tablename__ = "application_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE")
    )
    kind: Mapped[EvidenceKind] = mapped_column(value_enum(EvidenceKind))
    name: Mapped[str] = mapped_column(String(200))  # file name, link title, statement author
    # file
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    mime: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[int | None]
    capability_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # link
    url: Mapped[str | None] = mapped_column(String(500))
    # statement (text + name + role) or a note with a file or link
    text: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str | None] = mapped_column(String(200))
    # statement: the employer confirms it by a mailed link; until then it is the learner's word
    confirm_email: Mapped[str | None] = mapped_column(String(254))
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None]

    application: Mapped[Application] = relationship(back_populates="evidence")

    __table_args__ = (Index("ix_application_evidence_application_id", "application_id"),)


class AdviserGrant(CreatedAt, Base):
    __tablename__ = "adviser_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    adviser_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE")
    )
    pending_email: Mapped[str | None] = mapped_column(String(254))  # invited, no account yet
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    scope: Mapped[str] = mapped_column(String(40), default="passport+applications")
    expires_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    adviser: Mapped[User | None] = relationship(foreign_keys=[adviser_id])
    organisation: Mapped[Organisation | None] = relationship()
    views: Mapped[list[AdviserView]] = relationship(
        back_populates="grant", cascade="all, delete-orphan", order_by="AdviserView.id.desc()"
    )

    def is_active(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.withdrawn_at is None and self.expires_at > now

    __table_args__ = (
        Index("ix_adviser_grant_learner_id", "learner_id"),
        Index("ix_adviser_grant_adviser_id", "adviser_id"),
    )


class AdviserView(Base):
    """One page an adviser opened under a grant: when and which page."""

    __tablename__ = "adviser_view"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("adviser_grant.id", ondelete="CASCADE"))
    viewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    page: Mapped[str] = mapped_column(String(200))

    grant: Mapped[AdviserGrant] = relationship(back_populates="views")

    __table_args__ = (Index("ix_adviser_view_grant_id_viewed_at", "grant_id", "viewed_at"),)
