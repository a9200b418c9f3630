"""Adviser access: a learner lets a named adviser see their passport for a while.

Invariants: a grant always expires (``expires_at`` is required); withdrawing
or expiring ends access at once, because every adviser page checks
:meth:`AdviserGrant.is_active`. Each page an adviser opens is logged as an
:class:`AdviserView` that the learner can read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.models.base import Base, CreatedAt, utcnow
from badges.models.organisation import Organisation
from badges.models.user import User


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
