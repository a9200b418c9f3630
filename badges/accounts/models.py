"""People: a user account, the extra email addresses it claims with, and the
record of failed logins per account and source that slows down guessing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.kernel.models import Base, CreatedAt

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
    # Part of every session and remember cookie (``get_id``): raising it ends
    # them all ("log out everywhere", a new password).
    session_version: Mapped[int] = mapped_column(default=1)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    emails: Mapped[list[EmailAddress]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    identities: Mapped[list[LinkedIdentity]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="LinkedIdentity.id"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: id and version.

        A cookie copied before the version went up no longer loads the user
        (``accounts.services.user_for_session``).
        """
        return f"{self.id}:{self.session_version}"


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


class LoginThrottle(Base):
    """Failed logins for one account from one source address, and how long it must wait.

    Keyed by the address as typed (normalised), not by user, so an unknown
    address is slowed down exactly like a real one and reveals nothing.
    """

    __tablename__ = "login_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    source: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime]
    wait_until: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("email", "source"),
        Index("ix_login_throttle_last_failure_at", "last_failure_at"),
    )


class LinkedIdentity(CreatedAt, Base):
    """An account at an OpenID Provider (eduID, SURFconext) that signs in to this user.

    Keyed by what the provider promises never changes: its configured name and
    the ``sub`` it gives. The email it vouched for is kept only to show which
    account it is; it grants nothing.
    """

    __tablename__ = "linked_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(254))
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="identities")

    __table_args__ = (
        UniqueConstraint("provider", "subject"),
        Index("ix_linked_identity_user_id", "user_id"),
    )
