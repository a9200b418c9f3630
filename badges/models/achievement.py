"""Achievements (what can be earned), their versions and the skills they certify."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.models.base import Base, CreatedAt, new_uuid, value_enum
from badges.models.organisation import Organisation


class AchievementKind(enum.StrEnum):
    MODULE = "module"
    KEUZEDEEL = "keuzedeel"
    MBO_CERTIFICAAT = "mbo_certificaat"
    PRAKTIJKVERKLARING = "praktijkverklaring"
    DEELCERTIFICAAT = "deelcertificaat"
    LLO_TRAJECT = "llo_traject"
    MICROCREDENTIAL = "microcredential"
    OPEN_BADGE = "open_badge"


class AchievementState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Skill(Base):
    """A skill from a taxonomy (CompetentNL, ESCO) or typed in by an issuer."""

    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    framework: Mapped[str] = mapped_column(String(40), default="")  # "ESCO", "CompetentNL"
    code: Mapped[str] = mapped_column(String(200), default="")  # targetCode
    url: Mapped[str | None] = mapped_column(String(500))
    group: Mapped[str] = mapped_column(String(80), default="")

    __table_args__ = (UniqueConstraint("framework", "code", "label"),)


achievement_skill = Table(
    "achievement_skill",
    Base.metadata,
    Column("achievement_id", ForeignKey("achievement.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True),
)


class Achievement(CreatedAt, Base):
    """One version of an achievement.

    Editing a published achievement creates a new row with the same
    ``lineage`` and ``version + 1``; credentials keep pointing at the row
    they were issued for, so what a learner holds never changes under them.
    """

    __tablename__ = "achievement"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    lineage: Mapped[str] = mapped_column(String(36), default=new_uuid)
    version: Mapped[int] = mapped_column(default=1)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    kind: Mapped[AchievementKind] = mapped_column(value_enum(AchievementKind))
    state: Mapped[AchievementState] = mapped_column(
        value_enum(AchievementState), default=AchievementState.PUBLISHED
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    criteria_md: Mapped[str] = mapped_column(Text, default="")
    image: Mapped[bytes | None] = mapped_column(LargeBinary)
    image_mime: Mapped[str | None] = mapped_column(String(40))
    # Dutch vocational specifics
    keuzedeel_code: Mapped[str | None] = mapped_column(String(10))
    crebo: Mapped[str | None] = mapped_column(String(5))
    qualification_name: Mapped[str | None] = mapped_column(String(200))
    mbo_level: Mapped[str | None] = mapped_column(String(8))  # "entree", "1".."4"
    nlqf_level: Mapped[str | None] = mapped_column(String(8))
    eqf_level: Mapped[str | None] = mapped_column(String(8))
    sbu: Mapped[int | None]
    ec: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    validity_months: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(8), default="nl")
    field_of_study: Mapped[str | None] = mapped_column(String(200))
    # type-specific details (work tasks and workplace for a praktijkverklaring,
    # EU micro-credential elements, ...), validated by the service layer
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    organisation: Mapped[Organisation] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=achievement_skill)

    __table_args__ = (
        UniqueConstraint("lineage", "version"),
        Index("ix_achievement_organisation_id", "organisation_id"),
    )
