"""People: a user account and the extra email addresses it claims with."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.kernel.models import Base, CreatedAt
from badges.kernel.tokens import fingerprint as session_fingerprint

if TYPE_CHECKING:  # memberships belong to the organisations feature, above this one
    from badges.organisations.models import Membership


class User(UserMixin, CreatedAt, Base):
    """A person. Learner, staff of several organisations, or both."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # Set when a link mailed to ``email`` was used (confirmation, reset, email
    # change). Until then the address proves nothing: no memberships, no
    # credentials straight into the passport, no adviser access.
    email_confirmed_at: Mapped[datetime | None]
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    last_login_at: Mapped[datetime | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    emails: Mapped[list[EmailAddress]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def get_id(self) -> str:
        """The session's user id, bound to the password: a new password ends other sessions."""
        return f"{self.id}.{session_fingerprint(self.password_hash)}"


class EmailAddress(CreatedAt, Base):
    """An extra address (school, private, work) a learner claims credentials with."""

    __tablename__ = "email_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    label: Mapped[str] = mapped_column(String(20), default="private")
    confirmed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="emails")

    __table_args__ = (Index("ix_email_address_user_id", "user_id"),)
