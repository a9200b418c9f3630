"""Listings in the public catalogue ("Aanbod"): format, costs and funding."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.kernel.models import Base, utcnow, value_enum


class ListingFormat(enum.StrEnum):
    ON_SITE = "op_locatie"
    ONLINE = "online"
    BLENDED = "blended"
    WORKPLACE = "op_de_werkplek"


class CostKind(enum.StrEnum):
    UNKNOWN = ""
    FREE = "gratis"
    AMOUNT = "bedrag"


class FundingTag(enum.StrEnum):
    LEERREKENING = "leerrekening"  # the STAP successor (persoonlijke leerrekening)
    OO_FONDS = "oo_fonds"
    GEMEENTE = "gemeente"
    WERKGEVER = "werkgever"
    UWV = "uwv"


class Listing(Base):
    __tablename__ = "listing"

    id: Mapped[int] = mapped_column(primary_key=True)
    achievement_lineage: Mapped[str | None] = mapped_column(String(36), unique=True)
    pathway_id: Mapped[int | None] = mapped_column(
        ForeignKey("pathway.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    listed: Mapped[bool] = mapped_column(default=False)
    sector: Mapped[str] = mapped_column(String(40), default="")
    format: Mapped[ListingFormat | None] = mapped_column(value_enum(ListingFormat, 20))
    city: Mapped[str] = mapped_column(String(80), default="")
    language: Mapped[str] = mapped_column(String(8), default="nl")
    duration_weeks: Mapped[int | None]
    cost_kind: Mapped[CostKind] = mapped_column(value_enum(CostKind, 10), default=CostKind.UNKNOWN)
    cost_euro: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    cost_text: Mapped[str] = mapped_column(String(300), default="")
    funding_text: Mapped[str] = mapped_column(Text, default="")
    start_url: Mapped[str] = mapped_column(String(500), default="")
    start_email: Mapped[str] = mapped_column(String(254), default="")
    start_phone: Mapped[str] = mapped_column(String(40), default="")
    start_text: Mapped[str] = mapped_column(Text, default="")
    applications_open: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    funding: Mapped[list[ListingFunding]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ListingFunding.tag")

    @property
    def funding_tags(self) -> list[FundingTag]:
        return [f.tag for f in self.funding]

    __table_args__ = (
        CheckConstraint("(achievement_lineage IS NULL) <> (pathway_id IS NULL)", name="one_subject"),
        Index("ix_listing_organisation_id", "organisation_id"),
        Index("ix_listing_listed_sector", "listed", "sector"),
        Index("ix_listing_format", "format"),
        Index("ix_listing_city", "city"),
        Index("ix_listing_language", "language"),
    )


class ListingFunding(Base):
    """One funding tag of a listing (a row per tag: filterable with plain SQL)."""

    __tablename__ = "listing_funding"

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listing.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[FundingTag] = mapped_column(value_enum(FundingTag, 20), primary_key=True)

    __table_args__ = (Index("ix_listing_funding_tag", "tag"),)
