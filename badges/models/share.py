"""Share links: a learner shows a chosen set of credentials through one public URL.

Privacy invariants: the link shows only the credentials chosen for it (issued
and/or imported), a view is recorded as a bare timestamp (no IP address, no
user agent, no referrer), and revoking or expiring a link hides everything.
The token is random (192 bits) and is the only secret: it is stored so the
learner can see the link and its QR code again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.models.base import Base, CreatedAt, utcnow
from badges.models.credential import Credential
from badges.models.imported import ImportedCredential
from badges.models.user import User

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


class ShareView(Base):
    """One opening of a share link: when, nothing else."""

    __tablename__ = "share_view"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("share_link.id", ondelete="CASCADE"))
    viewed_at: Mapped[datetime] = mapped_column(default=utcnow)

    link: Mapped[ShareLink] = relationship(back_populates="views")

    __table_args__ = (Index("ix_share_view_link_id_viewed_at", "link_id", "viewed_at"),)
