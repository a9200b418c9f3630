"""Pathways: sets of achievements that together lead to a larger one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.models.achievement import Achievement
from badges.models.base import Base, CreatedAt
from badges.models.organisation import Organisation

if TYPE_CHECKING:
    from badges.models.trajectory import PathwayPartner


class Pathway(CreatedAt, Base):
    """Modules → mbo-certificaat, keuzedelen → LLO trajectory, ...

    ``min_required`` None means all steps; otherwise "any N of these".
    """

    __tablename__ = "pathway"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    target_achievement_id: Mapped[int | None] = mapped_column(ForeignKey("achievement.id"))
    ordered: Mapped[bool] = mapped_column(default=False)
    min_required: Mapped[int | None]
    max_months: Mapped[int | None]
    # LLO trajectory: "off" | "automatic" | "approval" (badges.models.trajectory.AwardMode)
    award_mode: Mapped[str] = mapped_column(String(16), default="off", server_default="off")

    organisation: Mapped[Organisation] = relationship()
    target: Mapped[Achievement | None] = relationship()
    steps: Mapped[list[PathwayStep]] = relationship(
        back_populates="pathway", order_by="PathwayStep.position", cascade="all, delete-orphan"
    )
    partners: Mapped[list[PathwayPartner]] = relationship(cascade="all, delete-orphan")


class PathwayStep(Base):
    __tablename__ = "pathway_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathway.id", ondelete="CASCADE"))
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id"))
    position: Mapped[int] = mapped_column(default=0)

    pathway: Mapped[Pathway] = relationship(back_populates="steps")
    achievement: Mapped[Achievement] = relationship()

    __table_args__ = (
        UniqueConstraint("pathway_id", "achievement_id"),
        Index("ix_pathway_step_achievement_id", "achievement_id"),
    )
