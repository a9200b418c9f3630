"""Pathways (larger achievements built from parts) and LLO trajectories with their awards."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.accounts.models import User
from badges.catalogue.models import Pathway
from badges.issuing.models import Credential
from badges.kernel.models import Base, CreatedAt, new_uuid, value_enum
from badges.organisations.models import Organisation


class AwardMode(enum.StrEnum):
    OFF = "off"  # progress only: nothing is issued by the platform
    AUTOMATIC = "automatic"  # issued as soon as the rules are met
    APPROVAL = "approval"  # an assessor of the owner approves first


class AwardState(enum.StrEnum):
    PENDING = "pending"  # in the assessor's queue
    ISSUED = "issued"
    DECLINED = "declined"


class PathwayPartner(Base):
    """An organisation that runs the trajectory with its owner (employer, training fund)."""

    __tablename__ = "pathway_partner"

    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id", ondelete="CASCADE"),
                                            primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"),
                                                 primary_key=True)
    role: Mapped[str] = mapped_column(String(120), default="")  # "leerbedrijf", "opleidingsfonds"

    organisation: Mapped[Organisation] = relationship()


class TrajectoryAward(CreatedAt, Base):
    __tablename__ = "trajectory_award"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    state: Mapped[AwardState] = mapped_column(value_enum(AwardState))
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)  # why it was declined
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    pathway: Mapped[Pathway] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    credential: Mapped[Credential | None] = relationship()

    __table_args__ = (
        UniqueConstraint("pathway_id", "user_id", name="uq_trajectory_award_pathway_user"),
        Index("ix_trajectory_award_state", "state"),
    )
