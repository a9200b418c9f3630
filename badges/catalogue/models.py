"""Achievements (what can be earned, in versions) and the skills they teach."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Any

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

from badges.kernel.models import Base, CreatedAt, new_uuid, value_enum
from badges.organisations.models import Organisation

if TYPE_CHECKING:  # partners belong to LLO trajectories, a feature above this one
    from badges.trajectories.models import PathwayPartner


class AchievementKind(enum.StrEnum):
    MODULE = "module"
    KEUZEDEEL = "keuzedeel"
    MBO_CERTIFICAAT = "mbo_certificaat"
    PRAKTIJKVERKLARING = "praktijkverklaring"
    DEELCERTIFICAAT = "deelcertificaat"
    LLO_TRAJECT = "llo_traject"
    MICROCREDENTIAL = "microcredential"
    OPEN_BADGE = "open_badge"


# Certificate-like awards: one person's award waits for a second person unless turned off.
FOUR_EYES_KINDS = frozenset({AchievementKind.MBO_CERTIFICAAT, AchievementKind.PRAKTIJKVERKLARING,
                             AchievementKind.MICROCREDENTIAL, AchievementKind.DEELCERTIFICAAT})


class AchievementState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Skill(Base):
    """A skill from a taxonomy (CompetentNL, ESCO) or typed in by an issuer."""

    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    framework: Mapped[str] = mapped_column(String(40), default="")  # "ESCO", "CompetentNL"
    code: Mapped[str] = mapped_column(String(200), default="")  # targetCode
    url: Mapped[str | None] = mapped_column(String(500))
    group: Mapped[str] = mapped_column(String(80), default="")

    __table_args__ = (UniqueConstraint("framework", "code", "label"),)

    @property
    def shown_label(self) -> str:
        """The label in the page's language; Dutch when there is no English one."""
        from badges.kernel.i18n import current_language
        return (current_language() == "en" and self.label_en) or self.label


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
    # English (optional): signed beside the Dutch as language-tagged values, shown on
    # English pages; empty means the Dutch is shown (see ``in_language``)
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    criteria_en: Mapped[str] = mapped_column(Text, default="", server_default="")
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
    # four-eyes: None follows the kind's default (FOUR_EYES_KINDS)
    four_eyes: Mapped[bool | None]

    organisation: Mapped[Organisation] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=achievement_skill)

    __table_args__ = (
        UniqueConstraint("lineage", "version"),
        Index("ix_achievement_organisation_id", "organisation_id"),
    )

    def in_language(self, field: str, lang: str | None = None) -> str:
        """``name``, ``description`` or ``criteria`` in ``lang`` (default: the page's
        language); Dutch when there is no text in that language."""
        if lang is None:
            from badges.kernel.i18n import current_language
            lang = current_language()
        dutch = self.criteria_md if field == "criteria" else getattr(self, field)
        if lang == "en":
            return getattr(self, f"{field}_en", "") or dutch
        return dutch

    def language_of(self, field: str, lang: str) -> str:
        """The language :meth:`in_language` answers in: ``lang`` where there is text in
        it, else Dutch (so a document can say so, for a screen reader's voice)."""
        return "en" if lang == "en" and bool(getattr(self, f"{field}_en", None)) else "nl"

    @property
    def shown_name(self) -> str:
        return self.in_language("name")

    @property
    def shown_description(self) -> str:
        return self.in_language("description")

    @property
    def shown_criteria(self) -> str:
        return self.in_language("criteria")

    @property
    def needs_second_person(self) -> bool:
        """Does an award of this achievement wait for a second person (four-eyes)?"""
        return self.kind in FOUR_EYES_KINDS if self.four_eyes is None else self.four_eyes


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
    # LLO trajectory: "off" | "automatic" | "approval" (AwardMode)
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
