"""What an organisation wants sent, what was sent, and who opted out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from badges.kernel.models import Base, CreatedAt, utcnow

CLAIM = "claim"  # a credential still waiting to be claimed
EXPIRY = "expiry"  # a credential whose validity ends soon
KINDS = (CLAIM, EXPIRY)


class ReminderSettings(Base):
    """Per organisation: after how many days to remind, before how many days to warn."""

    __tablename__ = "reminder_settings"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"),
                                                 primary_key=True)
    claim_days: Mapped[str] = mapped_column(String(40), default="7,21")  # at most two reminders
    expiry_days: Mapped[str] = mapped_column(String(40), default="60,14")
    renew_text: Mapped[str] = mapped_column(String(500), default="")  # how to renew, in the notice


class NoticeSent(CreatedAt, Base):
    """One notice about one credential: claimed by one tick (unique), then sent."""

    __tablename__ = "notice_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credential.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))  # "claim:7", "expiry:60"
    state: Mapped[str] = mapped_column(String(12), default="sending")  # sending, sent, skipped
    sent_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("credential_id", "kind", name="uq_notice_sent_credential_kind"),)


class NoticeOptOut(Base):
    """This address wants no notices of this kind (from any organisation)."""

    __tablename__ = "notice_opt_out"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("email", "kind", name="uq_notice_opt_out_email_kind"),)
